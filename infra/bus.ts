/**
 * The console's event bus.
 *
 * - Domain events (source "console", published by the console's own functions after
 *   their transaction commits) go to one Lambda per subscriber. The rules match the
 *   console's own account too, so an event put on the bus from elsewhere cannot pose
 *   as a domain event (the subscribers check it again).
 * - Customer accounts forward their SST bootstrap buckets' S3 events here through the
 *   role their connection stack created (`console-<connection>-forwarder`). The bus
 *   policy admits only those roles and only `aws.s3` events; the handler trusts an
 *   event for its source account and bucket alone, checked against the connections.
 */
import { runtimeEnvironment, secret } from "./secret";
import { email, emailFrom } from "./email";
import { router } from "./router";
import { assumeCustomerRoles } from "./permissions";
import { afterMigration } from "./migrate";
import { destinationPermissions, issuesEnvironment } from "./stream";
import { SUBSCRIBERS, SUBSCRIBER_HANDLER } from "../packages/functions/src/subscribers/list";

export const bus = new sst.aws.Bus("Bus");
const account = aws.getCallerIdentityOutput({}).accountId;

new aws.cloudwatch.EventBusPolicy("BusForwarders", {
  eventBusName: bus.name,
  policy: $jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConnectedAccountsForwardBootstrapEvents",
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: bus.arn,
        Condition: {
          StringEquals: { "events:source": "aws.s3" },
          ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/console-*-forwarder" },
        },
      },
    ],
  }),
});

/** Functions every subscriber needs. */
const base = {
  runtime: "nodejs22.x" as const,
  architecture: "arm64" as const,
  // The alert subscribers send email (SES) and link to the web app.
  link: [bus, email, secret.DatabaseUrl, secret.SecretKey, secret.SlackClientId, secret.SlackClientSecret],
  environment: {
    ...runtimeEnvironment,
    ...issuesEnvironment,
    BUS_NAME: bus.name,
    CONSOLE_BUS_ARN: bus.arn,
    CONSOLE_ACCOUNT_ID: account,
    EMAIL_TRANSPORT: "ses",
    EMAIL_FROM: emailFrom,
    PUBLIC_URL: router.url,
  },
  permissions: [assumeCustomerRoles, ...destinationPermissions],
  transform: afterMigration,
};

/**
 * Domain event subscribers: one Lambda and one rule per entry of the list the code
 * runs from (packages/functions/src/subscribers/list.ts).
 */
for (const { name, event, timeout } of SUBSCRIBERS) {
  bus.subscribe(
    name,
    { ...base, handler: SUBSCRIBER_HANDLER, timeout, environment: { ...base.environment, SUBSCRIBER: name } },
    {
      pattern: { source: ["console"], detailType: [event] },
      transform: {
        rule: (args) => {
          args.eventPattern = $jsonStringify({ source: ["console"], "detail-type": [event], account: [account] });
        },
      },
    },
  );
}

bus.subscribe(
  "BucketEvents",
  { ...base, handler: "packages/functions/src/events/bucket.handler", timeout: "5 minutes" },
  { pattern: { source: ["aws.s3"], detailType: ["Object Created", "Object Deleted"] } },
);
