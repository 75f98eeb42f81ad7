/**
 * Secrets, set per stage with `npx sst secret set <Name> <value> --stage <stage>`.
 * - DatabaseUrl: a PlanetScale URL (mysql://user:pass@aws.connect.psdb.cloud/console?sslaccept=strict)
 *   or any MySQL 8 / MariaDB URL reachable from Lambda.
 * - SecretKey: at least 32 random characters; keys the sign-in code HMAC and the
 *   encryption of connection secrets. Changing it invalidates pending codes.
 * - StripeSecretKey, StripeWebhookSecret, StripePriceId: billing (set "none" to leave
 *   billing off: nothing is gated then). The webhook endpoint is <router>/api/billing/webhook.
 */
export const secret = {
  DatabaseUrl: new sst.Secret("DatabaseUrl"),
  SecretKey: new sst.Secret("SecretKey"),
  StripeSecretKey: new sst.Secret("StripeSecretKey", "none"),
  StripeWebhookSecret: new sst.Secret("StripeWebhookSecret", "none"),
  StripePriceId: new sst.Secret("StripePriceId", "none"),
};

/** Stripe settings for the functions that bill (the API and the daily usage job). */
export const stripeEnvironment = {
  STRIPE_SECRET_KEY: secret.StripeSecretKey.value.apply((v) => (v === "none" ? "" : v)),
  STRIPE_WEBHOOK_SECRET: secret.StripeWebhookSecret.value.apply((v) => (v === "none" ? "" : v)),
  STRIPE_PRICE_ID: secret.StripePriceId.value.apply((v) => (v === "none" ? "" : v)),
};

/** Environment every console function gets (read by packages/core/src/env.ts). */
export const runtimeEnvironment = {
  DATABASE_URL: secret.DatabaseUrl.value,
  SECRET_KEY: secret.SecretKey.value,
  BUS: "eventbridge",
  LOG_LEVEL: "info",
  NODE_ENV: "production",
};
