/**
 * The one place that reads process.env. Everything else imports `env`.
 * Values are read once, on first use, and validated; a bad value stops the
 * process with a message naming the variable.
 */
import { z } from "zod";
import { Resource } from "sst/resource";

/**
 * On Lambda the secrets come by SST linking (infra/: `link: [secret.DatabaseUrl,
 * secret.SecretKey]`), not as environment variables: read with SST's `Resource`. Locally
 * and in tests (no links) they come from process.env.
 */
const LINKED: Record<string, string> = {
  DATABASE_URL: "DatabaseUrl",
  SECRET_KEY: "SecretKey",
  SLACK_CLIENT_ID: "SlackClientId",
  SLACK_CLIENT_SECRET: "SlackClientSecret",
  GITHUB_APP_PRIVATE_KEY: "GithubAppPrivateKey",
  GITHUB_WEBHOOK_SECRET: "GithubWebhookSecret",
  GITHUB_CLIENT_SECRET: "GithubClientSecret",
  STRIPE_SECRET_KEY: "StripeSecretKey",
  STRIPE_WEBHOOK_SECRET: "StripeWebhookSecret",
  STRIPE_PRICE_ID: "StripePriceId",
};

function linkedSecrets(): Record<string, string> {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return {};
  const out: Record<string, string> = {};
  const linked = Resource as unknown as Record<string, { value?: unknown } | undefined>;
  for (const [variable, name] of Object.entries(LINKED)) {
    if (!(name in linked)) continue;
    const value = linked[name]?.value;
    // "none" is the placeholder of an optional secret left unset (infra/secret.ts).
    if (typeof value === "string" && value && value !== "none") out[variable] = value;
  }
  return out;
}

const schema = z.object({
  /** mysql://user:pass@host:port/db uses mysql2; a PlanetScale URL (host *.psdb.cloud, or scheme planetscale://) uses @planetscale/database. */
  DATABASE_URL: z.string().min(1).default("mysql://root@127.0.0.1:3306/console"),
  /** Port of the local runtime (API and web app on one port). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public URL of the web app, used in emails and links. */
  PUBLIC_URL: z.string().url().optional(),
  /** Where emails go: "console" prints them (local dev), "ses" sends them through SES, "memory" keeps them in-process (tests). */
  EMAIL_TRANSPORT: z.enum(["console", "ses", "memory"]).default("console"),
  EMAIL_FROM: z.string().default("Console <no-reply@console.localhost>"),
  /** "local" runs subscribers in-process; "eventbridge" publishes to the bus named BUS_NAME. */
  BUS: z.enum(["local", "eventbridge"]).default("local"),
  BUS_NAME: z.string().default("console"),
  /** On AWS, which event subscriber a subscriber function is (an entry of packages/functions/src/subscribers/list.ts). */
  SUBSCRIBER: z.string().optional(),
  /** AWS region of the console's own resources. */
  AWS_REGION: z.string().default("us-east-1"),
  /** Endpoint of an AWS emulator (moto_server); unset on real AWS. */
  AWS_ENDPOINT_URL: z.string().url().optional(),
  /** Set when the console runs with real AWS credentials. */
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
  AWS_PROFILE: z.string().optional(),
  /** The console's own AWS account id (the one customer roles trust). Read from STS when unset. */
  CONSOLE_ACCOUNT_ID: z.string().regex(/^\d{12}$/).optional(),
  /** ARN of the console's event bus, where customer accounts forward bootstrap bucket events. */
  CONSOLE_BUS_ARN: z.string().optional(),
  /** ARN of the connect custom resource handler; unset on a console AWS cannot call back (a laptop). */
  CONNECT_SERVICE_TOKEN: z.string().optional(),
  /** https URL of the public template bucket (templates at <url>/template-<variant>.json). */
  TEMPLATE_BASE_URL: z.string().url().optional(),
  /** Local runtime: "auto" starts the AWS emulator when no AWS credentials are set; "on" always; "off" never. */
  AWS_EMULATOR: z.enum(["auto", "on", "off"]).default("auto"),
  /** Account id of the emulated demo account (set by the local runtime when it seeds one). */
  DEMO_ACCOUNT_ID: z.string().regex(/^\d{12}$/).optional(),
  /** ARN of the Kinesis stream that receives customer log events (Issues), and the role CloudWatch Logs uses to write to it. */
  ISSUES_STREAM_ARN: z.string().optional(),
  ISSUES_DESTINATION_ROLE_ARN: z.string().optional(),
  /** The console's bucket for uploaded source-map bodies (on AWS; the emulator gets its own). */
  SOURCEMAP_BUCKET: z.string().optional(),
  /** Regions discovery scans at once per account. */
  /** Stripe (billing is off without STRIPE_SECRET_KEY: nothing is gated then). */
  STRIPE_SECRET_KEY: z.string().optional().transform((v) => v || undefined),
  STRIPE_WEBHOOK_SECRET: z.string().optional().transform((v) => v || undefined),
  /** The graduated tiered metered price (on the Billing Meter) workspaces subscribe to. */
  STRIPE_PRICE_ID: z.string().optional().transform((v) => v || undefined),
  /** The Billing Meter's event name. */
  STRIPE_METER_EVENT: z.string().min(1).max(100).default("console_invocations"),
  /** Another Stripe API base URL (a local fake or stripe-mock), e.g. http://127.0.0.1:12111. */
  STRIPE_API_URL: z.string().url().optional(),
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(6),
  /**
   * Keys the sign-in code HMAC and the encryption of values at rest (external ids).
   * Outside local development it must be set and strong (see `secretKeyProblem`); read
   * through `env.SECRET_KEY`, which enforces that.
   */
  SECRET_KEY: z.string().min(1).optional(),
  /**
   * Where the client IP comes from (per-IP limits, sessions, audit):
   * - `cloudfront`: the address CloudFront adds (CloudFront-Viewer-Address); the API is
   *   reachable only through the router (infra/api.ts), so no caller can write it;
   * - true: a proxy that appends the client to X-Forwarded-For (the right-most hop);
   * - false: the connection's own address.
   */
  TRUST_PROXY: z
    .enum(["cloudfront", "1", "0", "true", "false", "yes", "no", ""])
    .default("false")
    .transform((v): "cloudfront" | "forwarded" | "none" => (v === "cloudfront" ? "cloudfront" : ["1", "true", "yes"].includes(v) ? "forwarded" : "none")),
  /** Slack app (alerts): OAuth client id and secret; unset hides Slack. */
  SLACK_CLIENT_ID: z.string().optional(),
  SLACK_CLIENT_SECRET: z.string().optional(),
  /** Slack's Web API and OAuth authorize page (tests point these at a local fake). */
  SLACK_API_URL: z.string().url().default("https://slack.com/api/"),
  SLACK_AUTHORIZE_URL: z.string().url().default("https://slack.com/oauth/v2/authorize"),
  /** GitHub App (autodeploy): its id, private key (PEM; `\n` escapes allowed) and webhook secret; unset hides GitHub. */
  GITHUB_APP_ID: z.string().regex(/^\d+$/).optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().optional(),
  GITHUB_WEBHOOK_SECRET: z.string().optional(),
  /** The GitHub App's name in its URL (`github.com/apps/<slug>`), and its OAuth client (to check who installed it). */
  GITHUB_APP_SLUG: z.string().regex(/^[a-z0-9-]+$/).optional(),
  GITHUB_CLIENT_ID: z.string().optional(),
  GITHUB_CLIENT_SECRET: z.string().optional(),
  /** GitHub's web address, for the install page (tests point it at a local fake). */
  GITHUB_URL: z.string().url().default("https://github.com"),
  /** GitHub's REST API (tests point it at a local fake). */
  GITHUB_API_URL: z.string().url().default("https://api.github.com"),
  /**
   * Webhook URLs that resolve to private, loopback or link-local addresses: "auto" allows
   * them in local development only (a hosted console refuses them), "allow" or "deny" forces.
   */
  WEBHOOK_PRIVATE_URLS: z.enum(["auto", "allow", "deny"]).default("auto"),
  /** Log level for the console's own logs. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Folder of the committed SQL migrations (set on Lambda, where files are copied beside the bundle). */
  MIGRATIONS_DIR: z.string().optional(),
  /** Folder of the built web app, served by the local runtime when set. */
  WEB_DIST: z.string().optional(),
  /**
   * `development` (set by `npm run dev`) or `test` (the test setup) is local development;
   * anything else, or unset, is a deployment. On Lambda it is always a deployment.
   */
  NODE_ENV: z.string().default("production"),
  /** Set by Lambda itself. */
  AWS_LAMBDA_FUNCTION_NAME: z.string().optional(),
});

export type Env = Omit<z.infer<typeof schema>, "SECRET_KEY"> & { SECRET_KEY: string };

/** What SECRET_KEY is when unset in local development (never accepted elsewhere). */
export const DEV_SECRET_KEY = "local-development-secret-change-me";

let cached: z.infer<typeof schema> | undefined;
let secretKey: string | undefined;

function load() {
  const parsed = schema.safeParse({ ...process.env, ...linkedSecrets() });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

/** Local development: the local runtime (`npm run dev` sets NODE_ENV=development) or the tests (NODE_ENV=test), never Lambda. */
export function isLocalDev(): boolean {
  cached ??= load();
  return (cached.NODE_ENV === "development" || cached.NODE_ENV === "test") && !cached.AWS_LAMBDA_FUNCTION_NAME;
}

/**
 * Why `key` is not good enough for a deployment, or undefined when it is: at least 32
 * characters, at least 10 different ones, and not a placeholder.
 */
export function secretKeyProblem(key: string | undefined): string | undefined {
  const how = "set 32 or more random characters, e.g. `openssl rand -base64 48`";
  if (!key) return `SECRET_KEY is not set: ${how}`;
  if (key === DEV_SECRET_KEY || /change.?me|placeholder|example|your.?secret/i.test(key)) return `SECRET_KEY is a placeholder: ${how}`;
  if (key.length < 32) return `SECRET_KEY is too short (${key.length} characters): ${how}`;
  if (new Set(key).size < 10) return `SECRET_KEY is not random (fewer than 10 different characters): ${how}`;
  return undefined;
}

function resolveSecretKey(): string {
  if (secretKey !== undefined) return secretKey;
  cached ??= load();
  if (isLocalDev()) return (secretKey = cached.SECRET_KEY ?? DEV_SECRET_KEY);
  const problem = secretKeyProblem(cached.SECRET_KEY);
  if (problem) throw new Error(`Invalid configuration:\n  ${problem}. Outside local development (NODE_ENV development or test) the console does not start without it.`);
  return (secretKey = cached.SECRET_KEY!);
}

export const env: Env = new Proxy({} as Env, {
  get(_, key: string) {
    if (key === "SECRET_KEY") return resolveSecretKey();
    cached ??= load();
    return cached[key as keyof typeof cached];
  },
});

/**
 * Validates the whole configuration now (called once at start-up by every entry point,
 * so a deployment with a missing or weak SECRET_KEY refuses to start).
 */
export function assertConfig() {
  cached ??= load();
  resolveSecretKey();
}

/** For tests and the local runtime, which set variables before first use. */
export function resetEnv() {
  cached = undefined;
  secretKey = undefined;
}
