/**
 * Secrets, set per stage with `npx sst secret set <Name> <value> --stage <stage>`.
 * - DatabaseUrl: a PlanetScale URL (mysql://user:pass@aws.connect.psdb.cloud/console?sslaccept=strict)
 *   or any MySQL 8 / MariaDB URL reachable from Lambda.
 * - SecretKey: at least 32 random characters; keys the sign-in code HMAC and the
 *   encryption of connection secrets. Changing it invalidates pending codes.
 * - SlackClientId, SlackClientSecret: the Slack app of alerts (OAuth v2, bot scopes
 *   chat:write, chat:write.public, channels:read, groups:read; redirect URL
 *   <console URL>/api/alerts/slack/callback). Empty (the default) hides Slack.
 * - StripeSecretKey, StripeWebhookSecret, StripePriceId: billing (set "none" to leave
 *   billing off: nothing is gated then). The webhook endpoint is <router>/api/billing/webhook.
 * - GithubAppPrivateKey, GithubWebhookSecret, GithubClientSecret: the GitHub App of
 *   autodeploy ("none", the default, leaves GitHub off); see README.
 */
export const secret = {
  DatabaseUrl: new sst.Secret("DatabaseUrl"),
  SecretKey: new sst.Secret("SecretKey"),
  SlackClientId: new sst.Secret("SlackClientId", ""),
  SlackClientSecret: new sst.Secret("SlackClientSecret", ""),
  StripeSecretKey: new sst.Secret("StripeSecretKey", "none"),
  StripeWebhookSecret: new sst.Secret("StripeWebhookSecret", "none"),
  StripePriceId: new sst.Secret("StripePriceId", "none"),
  // The GitHub App of autodeploy ("none" leaves GitHub off). Its id and slug are plain settings: GITHUB_APP_ID, GITHUB_APP_SLUG, GITHUB_CLIENT_ID at deploy time.
  GithubAppPrivateKey: new sst.Secret("GithubAppPrivateKey", "none"),
  GithubWebhookSecret: new sst.Secret("GithubWebhookSecret", "none"),
  GithubClientSecret: new sst.Secret("GithubClientSecret", "none"),
};

/** The GitHub App's plain settings, read at deploy time (unset: GitHub stays off). */
export const githubEnvironment: Record<string, string> = Object.fromEntries(
  (["GITHUB_APP_ID", "GITHUB_APP_SLUG", "GITHUB_CLIENT_ID"] as const).flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
);

/**
 * Environment every console function gets (read by packages/core/src/env.ts). The
 * secrets are not in it: functions link them (`link: [secret.DatabaseUrl, secret.SecretKey, ...]`)
 * and env.ts reads them with SST's `Resource` on Lambda.
 */
export const runtimeEnvironment = {
  BUS: "eventbridge",
  LOG_LEVEL: "info",
  NODE_ENV: "production",
};
