/**
 * Browser tests: the real local runtime (API + built web app) in this process on a
 * free port, driven by playwright-core in Debian's Chromium.
 */
import { chromium, type Browser, type Page } from "playwright-core";
import { Email } from "../../packages/core/src/email";
import { setupLocalRuntime } from "../../packages/functions/src/local/runtime";
import { startLocalServer, type LocalServer } from "../../packages/functions/src/local/server";

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
