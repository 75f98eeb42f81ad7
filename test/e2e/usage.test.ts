/**
 * End to end in headless Chromium: the demo account's invocation metrics reach the Usage
 * and billing page as a chart and a cost, and a workspace over the free tier without a
 * subscription sees the billing banner above its issues (the server refuses them meanwhile).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { seedDemoMetrics } from "@console/testkit/metrics";
import { appTable, stageTable } from "../../packages/core/src/app/app.sql";
import { Database } from "../../packages/core/src/db";
import { resetEnv } from "../../packages/core/src/env";
import { createId } from "../../packages/core/src/id";
import { invocationUsageTable } from "../../packages/core/src/usage/usage.sql";
import { call, randomEmail } from "../setup/api";
import { motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, signedInWorkspace, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let seed: SeedResult;

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  await seedDemoMetrics({ endpoint: motoUrl(), accountId: seed.accountId }, seed, { days: 5 });
  // Billing configured (nothing here calls Stripe: the page reads the workspace's state).
  process.env.STRIPE_SECRET_KEY = "sk_test_usage_page";
  process.env.STRIPE_PRICE_ID = "price_graduated";
  resetEnv();
  server = await startConsole();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_PRICE_ID;
  resetEnv();
});

describe("usage and billing", () => {
  it("shows the demo's usage as a chart and a cost, and the billing banner once over the free tier", async () => {
    const email = randomEmail("usage");
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { token, ws } = await signedInWorkspace(page, server.url, { prefix: "Usage", accountId: seed.accountId, email: email });

    await page.goto(`${server.url}/${ws.slug}/settings/usage`);
    await page.getByRole("heading", { level: 1, name: "Usage & billing" }).waitFor();
    await page.getByRole("button", { name: "Refresh usage" }).click();
    await page.waitForFunction(() => document.querySelector("[data-testid=usage-invocations]")?.textContent !== "0");
    const expected = (await call("GET", `/api/workspaces/${ws.slug}/usage`, { token })).body;
    expect(expected.invocations).toBeGreaterThan(0);
    expect(await page.getByTestId("usage-invocations").textContent()).toBe(expected.invocations.toLocaleString("en-US"));
    expect(await page.getByTestId("usage-cost").textContent()).toBe(`$${expected.costUsd}`);
    // One bar per metered day, each made of its stages' parts; personal stages are listed as not counted.
    expect(await page.locator("[data-testid=usage-chart] > div").count()).toBe(expected.days.length);
    await page.getByText("(personal, not counted)").first().waitFor();
    expect(await page.getByTestId("usage-tiers").locator("tbody tr").count()).toBe(expected.tiers.length);
    await expect(page.getByTestId("billing-gate").count()).resolves.toBe(0);

    // Over the free tier without a subscription: a banner above the issues, and the way to subscribe.
    await Database.use(async (db) => {
      const appId = createId();
      const stageId = createId();
      await db.insert(appTable).values({ workspaceId: ws.id, id: appId, name: "busy" });
      await db.insert(stageTable).values({ workspaceId: ws.id, id: stageId, appId, connectionId: createId(), region: "us-east-1", name: "production", version: "v3", contentHash: "0".repeat(64), sourceTag: "" });
      await db.insert(invocationUsageTable).values({ workspaceId: ws.id, stageId, functionId: createId(), day: new Date().toISOString().slice(0, 10), invocations: 2_000_000 });
    });
    await page.goto(`${server.url}/${ws.slug}/issues`);
    const banner = page.getByTestId("billing-gate");
    await banner.getByText("This workspace is over the free tier").waitFor();
    await banner.getByRole("link", { name: /Subscribe/ }).click();
    await page.waitForURL(new RegExp(`/${ws.slug}/settings/usage$`));
    await page.getByRole("button", { name: "Subscribe" }).waitFor();
    await context.close();
  }, 120_000);
});
