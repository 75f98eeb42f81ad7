/**
 * Browser tests: the real local runtime (API + built web app) in this process on a
 * free port, driven by playwright-core in Debian's Chromium.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { Email } from "../../packages/core/src/email";
import { setupLocalRuntime } from "../../packages/functions/src/local/runtime";
import { startLocalServer, type LocalServer } from "../../packages/functions/src/local/server";
import { createWorkspace, randomEmail } from "./api";
import { connectAccount } from "./aws";

export async function startConsole(): Promise<LocalServer> {
  const dir = process.env.WEB_DIST;
  if (!dir) throw new Error("WEB_DIST is not set: the test global setup builds the web app");
  await setupLocalRuntime();
  return startLocalServer({ port: 0, web: { type: "static", dir } });
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) throw new Error("CHROMIUM_PATH is not set: the test global setup finds Chromium");
  return chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

/** Waits for a sign-in email to `email` sent after `since` and returns its code. */
export async function waitForCode(email: string, since: number, timeoutMs = 10_000): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const mail = Email.sent(email)
      .filter((m) => m.subject.includes("sign-in code") && m.time.getTime() >= since)
      .at(-1);
    const code = mail && /\b(\d{6})\b/.exec(mail.text)?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`No sign-in code reached ${email}`);
}

/** Signs in through the web app's own form. */
export async function signInWithBrowser(page: Page, baseUrl: string, email: string) {
  await page.goto(`${baseUrl}/auth`);
  const since = Date.now();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Continue with email" }).click();
  const code = await waitForCode(email, since);
  await page.getByLabel("Sign-in code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The session token the web app keeps in localStorage (to call the API as the person in the page). */
export async function browserToken(page: Page): Promise<string> {
  const stored = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.includes("token"))?.[1] ?? "");
  return stored.replace(/^"|"$/g, "");
}

/**
 * A new person signed in through the page, with a new workspace (made through the API) that has
 * `accountId` connected. The page is left on the new-workspace screen.
 */
export async function signedInWorkspace(page: Page, baseUrl: string, options: { prefix: string; accountId: string; email?: string }) {
  const email = options.email ?? randomEmail(options.prefix.toLowerCase());
  await signInWithBrowser(page, baseUrl, email);
  await page.waitForURL(/\/workspace\/new/);
  const token = await browserToken(page);
  const ws = await createWorkspace(token, `${options.prefix} ${Date.now().toString(36)}`);
  const connectionId = (await connectAccount(token, ws.slug, options.accountId)).id;
  return { email, token, ws, connectionId };
}

/** How far the page, or its scrolling main area, reaches past the viewport (0 when it fits). */
export async function overflow(page: Page) {
  return page.evaluate(() => {
    const main = document.getElementById("main");
    return { document: document.documentElement.scrollWidth - window.innerWidth, main: main ? main.scrollWidth - main.clientWidth : 0 };
  });
}
