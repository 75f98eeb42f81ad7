/**
 * The one place that reads process.env. Everything else imports `env`.
 * Values are read once, on first use, and validated; a bad value stops the
 * process with a message naming the variable.
 */
import { z } from "zod";

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

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
  /** Regions discovery scans at once per account. */
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(6),
  /** Secret used to derive keys for encrypting values at rest (external ids). */
  SECRET_KEY: z.string().min(16).default("local-development-secret-change-me"),
  /** Trust X-Forwarded-For for the client IP (behind CloudFront / a proxy). */
  TRUST_PROXY: bool.default(false),
  /** Log level for the console's own logs. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Folder of the committed SQL migrations (set on Lambda, where files are copied beside the bundle). */
  MIGRATIONS_DIR: z.string().optional(),
  /** Folder of the built web app, served by the local runtime when set. */
  WEB_DIST: z.string().optional(),
  NODE_ENV: z.string().default("development"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = new Proxy({} as Env, {
  get(_, key: string) {
    cached ??= load();
    return cached[key as keyof Env];
  },
});

/** For tests and the local runtime, which set variables before first use. */
export function resetEnv() {
  cached = undefined;
}
