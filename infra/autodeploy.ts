/**
 * Autodeploy runs: every minute, running builds (CodeBuild in the customers' accounts,
 * through their connection roles) are polled and the next queued run of each idle stage is
 * started with a fresh installation token. GitHub's deliveries arrive at the API
 * (POST /api/github/webhook) and only queue runs.
 */
import { bus } from "./bus";
import { assumeCustomerRoles } from "./permissions";
import { router } from "./router";
import { githubEnvironment, runtimeEnvironment, secret } from "./secret";

new sst.aws.Cron("AutodeployRuns", {
  schedule: "rate(1 minute)",
  function: {
    handler: "packages/functions/src/cron/autodeploy.handler",
    runtime: "nodejs22.x",
    timeout: "5 minutes",
    link: [bus, secret.DatabaseUrl, secret.SecretKey, secret.GithubAppPrivateKey, secret.GithubWebhookSecret, secret.GithubClientSecret],
    environment: { ...runtimeEnvironment, ...githubEnvironment, BUS_NAME: bus.name, PUBLIC_URL: router.url },
    permissions: [assumeCustomerRoles],
  },
});
