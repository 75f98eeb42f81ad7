/**
 * Issues ingestion: the consumer of the issue stream (infra/stream.ts) turns records
 * into issues, reporting partial batch failures so only failed records are retried;
 * and the daily cleanup.
 */
import { bus } from "./bus";
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
    link: [bus, secret.DatabaseUrl, secret.SecretKey],
    environment: { ...runtimeEnvironment, BUS_NAME: bus.name },
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
