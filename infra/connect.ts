/**
 * Connecting AWS accounts.
 *
 * - The connect function is the custom resource of the workspace template (its
 *   ServiceToken). CloudFormation in any customer account invokes it, so its
 *   permission is open; it attaches nothing until it has assumed the stack's role
 *   with the connection's own external id.
 * - The templates are built from packages/workspace-template at deploy time and
 *   published in a public bucket, one per policy variant; the quick-create link
 *   points there.
 */
import { buildTemplate, POLICY_VARIANTS } from "../packages/workspace-template/src";
import { bus } from "./bus";
import { runtimeEnvironment, secret } from "./secret";
import { assumeCustomerRoles } from "./permissions";
import { afterMigration } from "./migrate";

export const connect = new sst.aws.Function("Connect", {
  handler: "packages/functions/src/connect/lambda.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  timeout: "2 minutes",
  link: [bus, secret.DatabaseUrl, secret.SecretKey],
  environment: { ...runtimeEnvironment, BUS_NAME: bus.name },
  permissions: [assumeCustomerRoles],
  transform: afterMigration,
});

new aws.lambda.Permission("ConnectInvokedByCloudFormation", {
  action: "lambda:InvokeFunction",
  function: connect.name,
  principal: "*",
});

export const templates = new sst.aws.Bucket("Templates", { access: "public" });

const account = aws.getCallerIdentityOutput({}).accountId;

for (const variant of POLICY_VARIANTS) {
  new aws.s3.BucketObjectv2(`Template${variant[0]!.toUpperCase()}${variant.slice(1)}`, {
    bucket: templates.name,
    key: `template-${variant}.json`,
    contentType: "application/json",
    content: $resolve([account, bus.arn, connect.arn]).apply(([consoleAccountId, consoleBusArn, serviceToken]) =>
      JSON.stringify(buildTemplate({ variant, consoleAccountId, consoleBusArn, serviceToken }), null, 2),
    ),
  });
}

export const templateBaseUrl = $interpolate`https://${templates.domain}`;

/** What the API and the scanners need to describe the console to customer accounts. */
export const connectEnvironment = {
  CONSOLE_ACCOUNT_ID: account,
  CONSOLE_BUS_ARN: bus.arn,
  CONNECT_SERVICE_TOKEN: connect.arn,
  TEMPLATE_BASE_URL: templateBaseUrl,
};
