/**
 * End to end in headless Chromium at 390 px (a phone): every page fits the width (nothing
 * scrolls sideways, the page itself or its main area), and the columns people need stay
 * visible (the stage of a stage row, the issue of an issue row, members' full emails).
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
import { call, randomEmail } from "../setup/api";
import { customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, overflow, signedInWorkspace, startConsole } from "../setup/browser";

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

describe("at 390 px", () => {
  it("every page fits the width and keeps its key columns", async () => {
    const email = randomEmail("phone");
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const { token, ws } = await signedInWorkspace(page, server.url, { prefix: "Phone", accountId: seed.accountId, email: email });

    const worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
    const run = await invoke("node", "shippingLabel", { customerId: "c2" });
    const logs = customerClient(CloudWatchLogsClient, seed.accountId, worker.region);
    const stream = `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: worker.logGroup, logStreamName: stream }));
    await logs.send(new PutLogEventsCommand({ logGroupName: worker.logGroup, logStreamName: stream, logEvents: run.events.map((e) => ({ timestamp: e.timestamp, message: e.message })).sort((a, b) => a.timestamp - b.timestamp) }));
    await currentEmulatedIssues()!.drain();
    await Bus.idle();
    const issue = (await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues[0];

    const stage = `/${ws.slug}/app/acme-api/production`;
    const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body as Array<{ id: string; app: string; name: string }>;
    const production = stages.find((s) => s.app === "acme-api" && s.name === "production")!;
    const detail = (await call("GET", `/api/workspaces/${ws.slug}/stages/${production.id}`, { token })).body as { functions: Array<{ id: string; name: string }> };
    const fnId = detail.functions.find((f) => f.name === worker.name)!.id;
    const pages: Array<[string, () => Promise<unknown>]> = [
      [`/${ws.slug}`, () => page.getByRole("table", { name: "Stages of acme-api" }).getByRole("link", { name: "production", exact: true }).first().waitFor()],
      [`/${ws.slug}/issues`, () => page.getByRole("table", { name: "Active issues" }).getByText(/Cannot read properties/).first().waitFor()],
      [`/${ws.slug}/issues/${issue.id}`, () => page.getByRole("region", { name: "Stack trace" }).waitFor()],
      [stage, () => page.getByRole("table", { name: "Functions" }).getByText("OrderWorker").first().waitFor()],
      [`${stage}/issues`, () => page.getByText(/Cannot read properties/).first().waitFor()],
      [`${stage}/logs`, () => page.getByRole("table", { name: "Functions" }).getByText("OrderWorker").first().waitFor()],
      [
        `${stage}/logs/${fnId}`,
        async () => {
          await page.getByRole("list", { name: "Invocations" }).locator(`li[data-request="${run.requestId}"]`).waitFor();
          await page.getByRole("button", { name: "Invoke…" }).click();
          await page.getByLabel("Event (JSON)").fill("{ nope");
          await page.getByText(/^Not valid JSON/).waitFor();
        },
      ],
      [`${stage}/logs/${fnId}?request=${run.requestId}`, () => page.getByRole("list", { name: `Log lines of Invocation ${run.requestId}` }).waitFor()],
      [`${stage}/local`, () => page.getByRole("heading", { level: 1 }).first().waitFor()],
      [`${stage}/deploys`, () => page.getByRole("list", { name: "Deploys" }).getByText("Failed").first().waitFor()],
      [`/${ws.slug}/settings/general`, () => page.getByRole("heading", { level: 1, name: "General" }).waitFor()],
      [`/${ws.slug}/settings/accounts`, () => page.getByRole("heading", { level: 1, name: "AWS accounts" }).waitFor()],
      [`/${ws.slug}/settings/members`, () => page.getByText(email).first().waitFor()],
      [`/${ws.slug}/settings/alerts`, () => page.getByRole("heading", { level: 1, name: "Alerts" }).waitFor()],
      [`/${ws.slug}/settings/usage`, () => page.getByRole("heading", { level: 1, name: "Usage & billing" }).waitFor()],
      [`/${ws.slug}/settings/audit`, () => page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor()],
    ];
    const wide: string[] = [];
    for (const [path, ready] of pages) {
      await page.goto(`${server.url}${path}`);
      await ready();
      const o = await overflow(page);
      if (o.document > 0 || o.main > 0) wide.push(`${path}: document +${o.document}px, main +${o.main}px`);
    }
    expect(wide).toEqual([]);

    // Key columns stay visible: the stage of the overview's rows, the issue of the list's rows, a member's full email.
    await page.goto(`${server.url}/${ws.slug}`);
    await page.getByRole("table", { name: "Stages of acme-api" }).getByRole("link", { name: "production", exact: true }).first().waitFor({ state: "visible" });
    await page.goto(`${server.url}/${ws.slug}/issues`);
    await page.getByRole("table", { name: "Active issues" }).getByText(/TypeError/).first().waitFor({ state: "visible" });
    await page.goto(`${server.url}/${ws.slug}/settings/members`);
    const shown = page.getByText(email, { exact: true }).first();
    await shown.waitFor({ state: "visible" });
    expect(await shown.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await context.close();
  }, 120_000);
});
