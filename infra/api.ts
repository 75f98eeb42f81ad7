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
import { sourcemapBucket } from "./storage";
import { email, emailFrom } from "./email";
import { githubEnvironment, runtimeEnvironment, secret } from "./secret";
import { router } from "./router";
import { afterMigration } from "./migrate";
import { connectEnvironment } from "./connect";
import { assumeCustomerRoles } from "./permissions";
import { destinationPermissions, issuesEnvironment } from "./stream";

/** The API's timeout, and the router's read timeout for /api (so CloudFront waits as long as the function may run). */
const API_TIMEOUT = "30 seconds" as const;

export const api = new sst.aws.Function("Api", {
  handler: "packages/functions/src/api/lambda.handler",
  runtime: "nodejs22.x",
  architecture: "arm64",
  memory: "1024 MB",
  timeout: API_TIMEOUT,
  link: [bus, email, sourcemapBucket, secret.DatabaseUrl, secret.SecretKey, secret.SlackClientId, secret.SlackClientSecret, secret.StripeSecretKey, secret.StripeWebhookSecret, secret.StripePriceId, secret.GithubAppPrivateKey, secret.GithubWebhookSecret, secret.GithubClientSecret],
  environment: {
    ...runtimeEnvironment,
    ...githubEnvironment,
    ...connectEnvironment,
    ...issuesEnvironment,
    BUS_NAME: bus.name,
    SOURCEMAP_BUCKET: sourcemapBucket.name,
    EMAIL_TRANSPORT: "ses",
    EMAIL_FROM: emailFrom,
    PUBLIC_URL: router.url,
    TRUST_PROXY: "cloudfront",
  },
  permissions: [assumeCustomerRoles, ...destinationPermissions],
  transform: afterMigration,
  url: {
    router: { instance: router, path: "/api", readTimeout: API_TIMEOUT },
  },
});
