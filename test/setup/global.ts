/**
 * Runs once per `npm test`: a database of its own (created, migrated, dropped at the
 * end), an AWS emulator of its own, and Chromium. Values reach the test workers
 * through environment variables, read by the core env module.
 */
import mysql from "mysql2/promise";
import { randomBytes } from "node:crypto";
import { startMoto, type Moto } from "../../packages/functions/src/local/moto";
import { ensureChromium } from "./chromium";
import { buildWeb } from "./web";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";

let moto: Moto | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let builtWeb: string | undefined;

export async function setup() {
  const base = process.env.TEST_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/";
  const name = `console_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = new URL(base);
  url.pathname = `/${name}`;

  try {
    const admin = await mysql.createConnection({ uri: base });
    await admin.end();
  } catch (err) {
    throw new Error(
      `Cannot reach MySQL/MariaDB at ${base} (${(err as Error).message}). Start it (for MariaDB: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd) or set TEST_DATABASE_URL.`,
    );
  }

  Object.assign(process.env, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    DATABASE_URL: url.toString(),
    EMAIL_TRANSPORT: "memory",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    NODE_ENV: "test",
    SECRET_KEY: randomBytes(24).toString("hex"),
  });

  const { Database } = await import("../../packages/core/src/db/index");
  await Database.migrate();
  await Database.close();
  dropDatabase = async () => {
    const admin = await mysql.createConnection({ uri: base });
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  };

  moto = await startMoto();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.url,
    MOTO_URL: moto.url,
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_REGION: "us-east-1",
  });

  process.env.CHROMIUM_PATH = ensureChromium();
  // A prebuilt web app may be given (WEB_DIST); otherwise it is built for this run.
  if (!process.env.WEB_DIST || !existsSync(path.join(process.env.WEB_DIST, "index.html"))) {
    process.env.WEB_DIST = buildWeb();
    builtWeb = process.env.WEB_DIST;
  }
}

export async function teardown() {
  await moto?.stop();
  if (builtWeb) rmSync(builtWeb, { recursive: true, force: true });
  if (process.env.KEEP_TEST_DATABASE !== "1") await dropDatabase?.();
}
