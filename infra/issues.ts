/**
 * Issues ingestion: the consumer of the issue stream (infra/stream.ts) turns records
 * into issues, reporting partial batch failures so only failed records are retried;
 * and the daily cleanup.
 */
import { bus } from "./bus";
import { sourcemapBucket } from "./storage";
import { email, emailFrom } from "./email";
import { router } from "./router";
import { assumeCustomerRoles } from "./permissions";
import { afterMigration } from "./migrate";
import { runtimeEnvironment, secret } from "./secret";
import { stream } from "./stream";

stream.subscribe(
  "IssueConsumer",
  {
    handler: "packages/functions/src/issues/consumer.handler",
    runtime: "nodejs22.x",
    architecture: "arm64",
    memory: "2048 MB",
    timeout: "5 minutes",
    link: [bus, sourcemapBucket, secret.DatabaseUrl, secret.SecretKey],
    environment: { ...runtimeEnvironment, BUS_NAME: bus.name, SOURCEMAP_BUCKET: sourcemapBucket.name },
    permissions: [assumeCustomerRoles],
    transform: afterMigration,
  },
  {
    transform: {
      eventSourceMapping: (args) => {
        args.startingPosition = "TRIM_HORIZON";
        args.batchSize = 500;
        args.maximumBatchingWindowInSeconds = 1;
        args.functionResponseTypes = ["ReportBatchItemFailures"];
        args.bisectBatchOnFunctionError = true;
        args.maximumRetryAttempts = 10;
        args.maximumRecordAgeInSeconds = 6 * 3600;
        args.parallelizationFactor = 4;
      },
    },
  },
);

// Relays domain events whose publish failed after commit (the outbox, core/src/event.ts).
new sst.aws.Cron("EventRelay", {
  schedule: "rate(1 minute)",
  function: {
    handler: "packages/functions/src/cron/outbox.handler",
    runtime: "nodejs22.x",
    timeout: "1 minute",
    link: [bus, secret.DatabaseUrl, secret.SecretKey],
    environment: { ...runtimeEnvironment, BUS_NAME: bus.name },
  },
});

new sst.aws.Cron("Cleanup", {
  schedule: "rate(1 day)",
  function: {
    handler: "packages/functions/src/cron/cleanup.handler",
    runtime: "nodejs22.x",
    timeout: "15 minutes",
    link: [bus, secret.DatabaseUrl, secret.SecretKey],
    environment: { ...runtimeEnvironment, BUS_NAME: bus.name },
  },
});

/** Alert deliveries that failed (or whose sender died) are retried when their lease runs out. */
new sst.aws.Cron("AlertRetries", {
  schedule: "rate(1 minute)",
  function: {
    handler: "packages/functions/src/cron/alerts.handler",
    runtime: "nodejs22.x",
    timeout: "5 minutes",
    link: [bus, email, secret.DatabaseUrl, secret.SecretKey, secret.SlackClientId, secret.SlackClientSecret],
    environment: { ...runtimeEnvironment, BUS_NAME: bus.name, EMAIL_TRANSPORT: "ses", EMAIL_FROM: emailFrom, PUBLIC_URL: router.url },
  },
});
