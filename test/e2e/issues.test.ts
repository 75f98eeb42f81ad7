/**
 * End to end in headless Chromium: errors raised by a connected account's functions
 * (real Lambda-framed traces of a minified bundle) appear as a source-mapped issue;
 * the detail shows the original source line and the invocation's logs; resolving it
 * moves it to Resolved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { bundleDemo, invoke } from "@console/testkit/programs";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { currentEmulatedIssues } from "../../packages/functions/src/local/kinesis";
import { Bus } from "../../packages/core/src/event";
import { call, createWorkspace, randomEmail } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, signInWithBrowser, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let seed: SeedResult;

beforeAll(async () => {
  const bundle = await bundleDemo();
  seed = await seedDemoAccount({
    endpoint: motoUrl(),
    accountId: randomAccountId(),
    sourcemaps: [{ functionName: "acme-api/production/OrderWorker", map: bundle.map, file: "index.mjs" }],
  });
  server = await startConsole();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("issues in the web app", () => {
  it("shows a source-mapped issue with its logs, and resolves it", async () => {
    const email = randomEmail("triage");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, server.url, email);
    await page.waitForURL(/\/workspace\/new/);
    const token = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.includes("token"))?.[1] ?? "");
    const ws = await createWorkspace(token.replace(/^"|"$/g, ""), `Triage ${Date.now().toString(36)}`);
    await connectAccount(token.replace(/^"|"$/g, ""), ws.slug, seed.accountId);

    const worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
    const run = await invoke("node", "shippingLabel", { customerId: "c2" });
    const logs = customerClient(CloudWatchLogsClient, seed.accountId, worker.region);
    const stream = `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: worker.logGroup, logStreamName: stream }));
    await logs.send(new PutLogEventsCommand({ logGroupName: worker.logGroup, logStreamName: stream, logEvents: run.events.map((e) => ({ timestamp: e.timestamp, message: e.message })).sort((a, b) => a.timestamp - b.timestamp) }));
    await currentEmulatedIssues()!.drain();
    await Bus.idle();
    expect((await call("GET", `/api/workspaces/${ws.slug}/issues`, { token: token.replace(/^"|"$/g, "") })).body.issues).toHaveLength(1);

    await page.goto(`${server.url}/${ws.slug}/issues`);
    const table = page.getByRole("table", { name: "Active issues" });
    const row = table.getByRole("row", { name: /TypeError/ });
    await row.waitFor();
    await row.getByText(/Cannot read properties of undefined/).first().click();

    const stack = page.getByRole("region", { name: "Stack trace" });
    await stack.waitFor();
    const source = stack.getByRole("list", { name: /^Source of node\/handler\.ts around line/ }).first();
    await source.waitFor();
    expect(await source.locator('li[aria-current="true"]').innerText()).toContain("customer.address!.street");
    await stack.getByText("formatLabel").first().waitFor();
    await page.getByRole("img", { name: /in the last 7 days/ }).waitFor();

    const logRegion = page.getByRole("region", { name: `Logs of request ${run.requestId}` });
    await logRegion.waitFor({ timeout: 15_000 });
    await logRegion.getByText(/^START RequestId/).first().waitFor();
    expect(await logRegion.locator("li[data-error]").count()).toBeGreaterThan(0);

    await page.getByRole("group", { name: "Issue actions" }).getByRole("button", { name: "Resolve" }).click();
    await page.goto(`${server.url}/${ws.slug}/issues?status=resolved`);
    await page.getByRole("table", { name: "Resolved issues" }).getByRole("row", { name: /TypeError/ }).waitFor();
    await context.close();
  });
});
