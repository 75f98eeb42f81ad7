/**
 * End to end in headless Chromium: the top bar's workspace navigation reaches every
 * settings page (Settings, then each entry of its side navigation), and Ctrl-K finds
 * the workspace's apps, stages, functions and issues (by words of the type and message).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { invoke } from "@console/testkit/programs";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { currentEmulatedIssues } from "../../packages/functions/src/local/kinesis";
import { Bus } from "../../packages/core/src/event";
import { call, createWorkspace, randomEmail } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { browserToken, launchBrowser, signInWithBrowser, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let seed: SeedResult;

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  server = await startConsole();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const SETTINGS: Array<[string, string]> = [
  ["General", "/settings/general"],
  ["AWS accounts", "/settings/accounts"],
  ["Members", "/settings/members"],
  ["Alerts", "/settings/alerts"],
  ["Usage & billing", "/settings/usage"],
  ["Audit log", "/settings/audit"],
];

describe("navigation", () => {
  it("reaches every settings page from the top bar, and Ctrl-K finds stages, functions and issues", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInWithBrowser(page, server.url, randomEmail("nav"));
    await page.waitForURL(/\/workspace\/new/);
    const token = await browserToken(page);
    const ws = await createWorkspace(token, `Nav ${Date.now().toString(36)}`);
    await connectAccount(token, ws.slug, seed.accountId);

    // An issue to find.
    const worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
    const run = await invoke("node", "shippingLabel", { customerId: "c2" });
    const logs = customerClient(CloudWatchLogsClient, seed.accountId, worker.region);
    const stream = `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: worker.logGroup, logStreamName: stream }));
    await logs.send(new PutLogEventsCommand({ logGroupName: worker.logGroup, logStreamName: stream, logEvents: run.events.map((e) => ({ timestamp: e.timestamp, message: e.message })).sort((a, b) => a.timestamp - b.timestamp) }));
    await currentEmulatedIssues()!.drain();
    await Bus.idle();
    const listed = await call("GET", `/api/workspaces/${ws.slug}/issues`, { token });
    expect(listed.body.issues).toHaveLength(1);
    // The API's search: every word in the type or message; no match, no issue.
    expect((await call("GET", `/api/workspaces/${ws.slug}/issues?q=properties%20typeerror`, { token })).body.issues).toHaveLength(1);
    expect((await call("GET", `/api/workspaces/${ws.slug}/issues?q=nothing-like-this`, { token })).body.issues).toHaveLength(0);

    await page.goto(`${server.url}/${ws.slug}`);
    const nav = page.getByRole("navigation", { name: "Workspace" });
    await nav.getByRole("link", { name: "Settings" }).click();
    await page.waitForURL(new RegExp(`/${ws.slug}/settings/general$`));
    const side = page.getByRole("navigation", { name: "Settings" });
    for (const [label, path] of SETTINGS) {
      await side.getByRole("link", { name: label }).click();
      await page.waitForURL(new RegExp(`/${ws.slug}${path}$`));
      await page.getByRole("heading", { level: 1, name: label }).waitFor();
      expect(await nav.getByRole("link", { name: "Settings" }).getAttribute("aria-current")).toBe("page");
    }
    await nav.getByRole("link", { name: "Issues" }).click();
    await page.waitForURL(new RegExp(`/${ws.slug}/issues$`));
    await nav.getByRole("link", { name: "Overview" }).click();
    await page.waitForURL(new RegExp(`/${ws.slug}$`));

    // The list's search: in the address, matching words of the type and message.
    await nav.getByRole("link", { name: "Issues" }).click();
    const table = page.getByRole("table", { name: "Active issues" });
    await table.getByRole("row", { name: /TypeError/ }).waitFor();
    await page.getByLabel("Search issues").fill("nothing-like-this");
    await page.waitForURL(/[?&]q=nothing-like-this/);
    await table.getByRole("row", { name: /TypeError/ }).waitFor({ state: "detached" });
    await page.getByLabel("Search issues").fill("properties typeerror");
    await page.waitForURL(/[?&]q=properties/);
    await table.getByRole("row", { name: /TypeError/ }).waitFor();
    await page.getByLabel("Order").selectOption("events");
    await page.waitForURL(/[?&]sort=events/);
    await table.getByRole("row", { name: /TypeError/ }).waitFor();
    await nav.getByRole("link", { name: "Overview" }).click();
    await page.waitForURL(new RegExp(`/${ws.slug}$`));

    // Ctrl-K: a function opens its dialog on its stage.
    const input = page.getByRole("combobox", { name: "Type a command or search" });
    await page.keyboard.press("Control+k");
    await input.fill("OrderWorker acme-api production");
    await page.getByRole("option", { name: /OrderWorker \(acme-api \/ production\)/, selected: true }).waitFor();
    await input.press("Enter");
    const dialog = page.getByRole("dialog", { name: "OrderWorker" });
    await dialog.getByRole("link", { name: "Open in AWS console" }).waitFor();
    await dialog.getByRole("link", { name: "Issues of this function" }).click();
    await page.waitForURL(new RegExp(`/app/acme-api/production/issues\\?function=${encodeURIComponent(worker.name)}`));
    await page.getByText(/Cannot read properties/).first().waitFor();

    // Ctrl-K: an issue by words of its message and type, in any order.
    await page.keyboard.press("Control+k");
    await input.fill("properties TypeError");
    await page.getByRole("option", { name: /TypeError: Cannot read properties/ }).waitFor();
    await input.press("ArrowUp");
    await page.getByRole("option", { name: /TypeError: Cannot read properties/, selected: true }).waitFor();
    await input.press("Enter");
    await page.waitForURL(new RegExp(`/${ws.slug}/issues/${listed.body.issues[0].id}`));

    // Ctrl-K: a stage.
    await page.keyboard.press("Control+k");
    await input.fill("Go to acme-api / production");
    await page.getByRole("option", { name: /Go to acme-api \/ production/, selected: true }).waitFor();
    await input.press("Enter");
    await page.getByRole("navigation", { name: "Stage" }).getByRole("link", { name: "Logs" }).waitFor();
    await context.close();
  }, 120_000);
});
