/**
 * The HTTP API: the Hono app of packages/functions/src/api on Lambda, behind the
 * router at /api. Migrations ship with the function and run before deploys
 * finish (see infra/migrate.ts).
 *
 * Its function URL is reachable only through the router: the router's edge signing
 * (infra/router.ts) makes the URL `AWS_IAM` and lets only the distribution invoke it.
 * The client address is the one CloudFront adds (TRUST_PROXY=cloudfront).
 */
import { bus } from "./bus";
import { email, emailFrom } from "./email";
import { runtimeEnvironment, secret, stripeEnvironment } from "./secret";
import { router } from "./router";
import { connectEnvironment } from "./connect";
import { assumeCustomerRoles } from "./permissions";
import { destinationPermissions, issuesEnvironment } from "./stream";

export const api = new sst.aws.Function("Api", {
  handler: "packages/functions/src/api/lambda.handler",
  runtime: "nodejs20.x",
  architecture: "arm64",
  memory: "1024 MB",
  timeout: "30 seconds",
  link: [bus, email, secret.DatabaseUrl, secret.SecretKey, secret.StripeSecretKey, secret.StripeWebhookSecret, secret.StripePriceId],
  environment: {
    ...runtimeEnvironment,
    ...stripeEnvironment,
    ...connectEnvironment,
    ...issuesEnvironment,
    BUS_NAME: bus.name,
    EMAIL_TRANSPORT: "ses",
    EMAIL_FROM: emailFrom,
    PUBLIC_URL: router.url,
    TRUST_PROXY: "cloudfront",
  },
  permissions: [assumeCustomerRoles, ...destinationPermissions],
  url: {
    router: { instance: router, path: "/api" },
  },
});
