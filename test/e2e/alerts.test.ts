/**
 * Settings → Alerts in headless Chromium: an admin adds a webhook destination (its
 * secret shown once), a rule that sends new issues to it, and sends a test alert that a
 * local receiver verifies with the `standardwebhooks` verifier; the delivery history
 * then shows it sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startWebhookReceiver, type WebhookReceiver } from "@console/testkit/alerts";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { call, createWorkspace, randomEmail } from "../setup/api";
import { launchBrowser, signInWithBrowser, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let hook: WebhookReceiver;

beforeAll(async () => {
  server = await startConsole();
  browser = await launchBrowser();
  hook = await startWebhookReceiver();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await hook?.close();
});

describe("alerts in the web app", () => {
  it("creates a webhook and a rule, and sends a signed test webhook", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, server.url, randomEmail("alerts"));
    await page.waitForURL(/\/workspace\/new/);
    const stored = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.includes("token"))?.[1] ?? "");
    const token = stored.replace(/^"|"$/g, "");
    const ws = await createWorkspace(token, `Alerts ${Date.now().toString(36)}`);

    await page.goto(`${server.url}/${ws.slug}/settings/alerts`);
    await page.getByRole("heading", { name: "Alerts" }).waitFor();
    // The default rule is there.
    await page.getByRole("table", { name: "Rules" }).getByText("All members").waitFor();

    await page.getByRole("button", { name: "Add destination" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("Ops hook");
    await dialog.getByLabel("URL").fill(`${hook.url}/ops`);
    await dialog.getByRole("button", { name: "Add destination" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    hook.setSecret(secret);
    await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
    await page.getByRole("table", { name: "Destinations" }).getByText("Ops hook").waitFor();

    await page.getByRole("button", { name: "Add rule" }).click();
    const ruleDialog = page.getByRole("dialog");
    await ruleDialog.getByRole("textbox", { name: "Stages" }).fill("prod*");
    await ruleDialog.getByRole("checkbox", { name: "Ops hook" }).check();
    await ruleDialog.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("table", { name: "Rules" }).getByText("prod*").waitFor();
    const rules = (await call("GET", `/api/workspaces/${ws.slug}/alerts/rules`, { token })).body;
    expect(rules).toHaveLength(2);
    expect(rules[1]).toMatchObject({ events: ["issue.new", "issue.regression"], stages: ["prod*"] });

    await page.getByRole("button", { name: "Send a test to Ops hook" }).click();
    const [received] = await hook.waitFor(1);
    expect(received!.payload).toMatchObject({ type: "test", data: { workspace: { id: ws.id, slug: ws.slug } } });
    await page.getByRole("table", { name: "Delivery history" }).getByText("sent").waitFor();
    await context.close();
  });
});
