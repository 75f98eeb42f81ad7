/**
 * `npm run screenshots`: screenshots of each page of the web app at 1440 and 390 px,
 * light and dark, into screenshots/ (gitignored), for a reviewer to look at.
 *
 * Like the browser tests, it starts everything itself on a fresh clone: a database of
 * its own (created, migrated, dropped at the end), the AWS emulator with the demo
 * account (its functions fail now and then, so there are issues), a build of the web
 * app, the local server (127.0.0.1) with the demo connected, and a signed-in user.
 *
 * Environment: TEST_DATABASE_URL (default mysql://root@127.0.0.1:3306/), CHROMIUM_PATH.
 */
import { mkdirSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import mysql from "mysql2/promise";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "screenshots");
const started = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);

const WIDTHS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
const THEMES = ["light", "dark"] as const;

async function main() {
  // The run's own database, before anything reads the configuration.
  const base = process.env.TEST_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/";
  const dbName = `console_shots_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  try {
    await (await mysql.createConnection({ uri: base })).end();
  } catch (err) {
    throw new Error(`Cannot reach MySQL/MariaDB at ${base} (${(err as Error).message}). Start it or set TEST_DATABASE_URL.`);
  }
  Object.assign(process.env, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    DATABASE_URL: url.toString(),
    EMAIL_TRANSPORT: "memory",
    LOG_LEVEL: "silent",
    NODE_ENV: "development",
    AWS_EMULATOR: "on",
    SECRET_KEY: randomBytes(24).toString("hex"),
  });
  for (const name of ["AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) delete process.env[name];

  const { resetEnv } = await import("../packages/core/src/env");
  resetEnv();
  const { Database } = await import("../packages/core/src/db");
  const { Email } = await import("../packages/core/src/email");
  const { startEmulator } = await import("../packages/functions/src/local/emulator");
  const { setupLocalRuntime } = await import("../packages/functions/src/local/runtime");
  const { startLocalServer } = await import("../packages/functions/src/local/server");
  const { currentEmulatedIssues } = await import("../packages/functions/src/local/kinesis");
  const { buildWeb } = await import("../test/setup/web");
  const { ensureChromium } = await import("../test/setup/chromium");
  const { chromium } = await import("playwright-core");

  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    say(`database ${dbName}: migrating...`);
    cleanups.push(async () => {
      const admin = await mysql.createConnection({ uri: base });
      await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await admin.end();
    });
    await Database.migrate();
    cleanups.push(() => Database.close());

    say("starting the AWS emulator with the demo account...");
    const emulator = await startEmulator({ onStatus: (line) => say(`  ${line}`) });
    cleanups.push(() => emulator.stop());

    say("building the web app...");
    const dist = buildWeb();
    cleanups.push(() => rmSync(dist, { recursive: true, force: true }));

    await setupLocalRuntime();
    const poller = currentEmulatedIssues();
    poller?.start(1000);
    cleanups.push(() => poller?.stop());
    const server = await startLocalServer({ port: 0, host: "127.0.0.1", web: { type: "static", dir: dist } });
    cleanups.push(() => server.close());
    say(`console at ${server.url}`);

    const api = async (method: string, p: string, token?: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api${p}`, {
        method,
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => undefined)) as any;
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };

    // A signed-in user with a workspace and the demo account connected.
    const email = "reviewer@example.com";
    const { challenge } = await api("POST", "/auth/code", undefined, { email });
    const code = /\b(\d{6})\b/.exec(Email.sent(email).at(-1)!.text)![1];
    const { token } = await api("POST", "/auth/verify", undefined, { email, code, challenge });
    const ws = await api("POST", "/workspaces", token, { name: "Acme" });
    say(`signed in as ${email}; workspace /${ws.slug}; connecting the demo account...`);
    await api("POST", `/workspaces/${ws.slug}/accounts/demo`, token, {});
    let stages: { id: string; app: string; name: string }[] = [];
    let issues: { id: string }[] = [];
    for (let i = 0; i < 120 && (!stages.length || !issues.length); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      stages = await api("GET", `/workspaces/${ws.slug}/stages`, token);
      issues = stages.length ? (await api("GET", `/workspaces/${ws.slug}/issues`, token)).issues : [];
    }
    say(`${stages.length} stages, ${issues.length} issues`);
    const stage = stages.find((s) => s.app === "acme-api" && s.name === "production") ?? stages[0];
    const stageBase = stage ? `/${ws.slug}/app/${encodeURIComponent(stage.app)}/${encodeURIComponent(stage.name)}` : undefined;
    const appBase = stage ? `/${ws.slug}/app/${encodeURIComponent(stage.app)}` : undefined;
    // A function of that stage, for its logs page (the one that errs most often, when known).
    const detail = stage ? ((await api("GET", `/workspaces/${ws.slug}/stages/${stage.id}`, token)) as { functions: { id: string; internal?: boolean }[] }) : undefined;
    const fn = detail?.functions.find((f) => !f.internal) ?? detail?.functions[0];

    const pages: { name: string; path: string; signedOut?: boolean }[] = [
      { name: "sign-in", path: "/auth", signedOut: true },
      { name: "overview", path: `/${ws.slug}` },
      { name: "issues", path: `/${ws.slug}/issues` },
      ...(issues[0] ? [{ name: "issue", path: `/${ws.slug}/issues/${issues[0].id}` }] : []),
      ...(stageBase
        ? [
            { name: "stage-resources", path: stageBase },
            { name: "stage-issues", path: `${stageBase}/issues` },
            { name: "stage-logs", path: `${stageBase}/logs` },
            { name: "stage-local", path: `${stageBase}/local` },
            { name: "stage-deploys", path: `${stageBase}/deploys` },
            ...(fn ? [{ name: "function-logs", path: `${stageBase}/logs/${fn.id}` }] : []),
          ]
        : []),
      ...(appBase
        ? [
            { name: "app-stages", path: appBase },
            { name: "app-autodeploy", path: `${appBase}/autodeploy` },
          ]
        : []),
      { name: "settings-general", path: `/${ws.slug}/settings/general` },
      { name: "settings-accounts", path: `/${ws.slug}/settings/accounts` },
      { name: "settings-members", path: `/${ws.slug}/settings/members` },
      { name: "settings-alerts", path: `/${ws.slug}/settings/alerts` },
      { name: "settings-usage", path: `/${ws.slug}/settings/usage` },
      { name: "settings-audit", path: `/${ws.slug}/settings/audit` },
      { name: "invitations", path: "/invitations" },
    ];

    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const browser = await chromium.launch({
      executablePath: ensureChromium(),
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"],
    });
    cleanups.push(() => browser.close());

    // The session the web app keeps, taken from a sign-in through its own form.
    const signedIn = await browser.newContext();
    {
      const page = await signedIn.newPage();
      await page.goto(`${server.url}/auth`);
      const since = Date.now();
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Continue with email" }).click();
      let code2: string | undefined;
      while (!code2) {
        await new Promise((r) => setTimeout(r, 100));
        const m = Email.sent(email).filter((x) => x.time.getTime() >= since).at(-1);
        code2 = m && /\b(\d{6})\b/.exec(m.text)?.[1];
      }
      await page.getByLabel("Sign-in code").fill(code2);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((u) => !u.pathname.startsWith("/auth"));
    }
    const state = await signedIn.storageState();
    await signedIn.close();

    let n = 0;
    const total = pages.length * WIDTHS.length * THEMES.length;
    for (const theme of THEMES) {
      for (const size of WIDTHS) {
        const context = await browser.newContext({
          viewport: { width: size.width, height: size.height },
          colorScheme: theme,
          storageState: state,
        });
        for (const p of pages) {
          const page = await context.newPage();
          if (p.signedOut) await page.addInitScript(() => window.localStorage.clear());
          await page.goto(`${server.url}${p.path}`);
          await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {});
          // Until loading skeletons are gone (bounded: a page that keeps loading is shown as it is).
          await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 10_000 }).catch(() => {});
          const file = path.join(out, `${p.name}-${size.width}-${theme}.png`);
          // The whole page: the app scrolls inside its own frame, so the window grows to its content.
          const height = await page.evaluate(() => {
            let h = document.documentElement.scrollHeight;
            for (const el of Array.from(document.querySelectorAll<HTMLElement>("body *"))) {
              const style = getComputedStyle(el);
              if (/auto|scroll/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1) {
                h = Math.max(h, el.getBoundingClientRect().top + el.scrollHeight + (document.documentElement.scrollHeight - el.getBoundingClientRect().bottom));
              }
            }
            return Math.ceil(h);
          });
          await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 12_000) });
          await page.waitForTimeout(300);
          await page.screenshot({ path: file });
          await page.setViewportSize({ width: size.width, height: size.height });
          n++;
          say(`${String(n).padStart(3)}/${total} ${path.relative(root, file)}`);
          await page.close();
        }
        await context.close();
      }
    }
    say(`done: ${n} screenshots in ${path.relative(root, out)}/`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
