/**
 * Usage metering and billing: a daily job reads invocations from CloudWatch in every
 * connected account and sends finished days to Stripe as meter events. The Stripe
 * webhook is a route of the API (POST /api/billing/webhook).
 */
import { bus } from "./bus";
import { assumeCustomerRoles } from "./permissions";
import { runtimeEnvironment, secret } from "./secret";

new sst.aws.Cron("Usage", {
  schedule: "cron(30 0 * * ? *)",
  function: {
    handler: "packages/functions/src/cron/usage.handler",
    runtime: "nodejs22.x",
    timeout: "15 minutes",
    link: [bus, secret.DatabaseUrl, secret.SecretKey, secret.StripeSecretKey, secret.StripeWebhookSecret, secret.StripePriceId],
    environment: { ...runtimeEnvironment, BUS_NAME: bus.name },
    permissions: [assumeCustomerRoles],
  },
});
