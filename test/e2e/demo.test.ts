/**
 * End to end in headless Chromium: a newcomer connects the demo account in one
 * click, sees its apps, stages and functions, and the issues its functions raise.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { setDemoProvider } from "../../packages/functions/src/api/demo";
import { deployConnectionStack } from "../../packages/functions/src/local/stack";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { randomEmail } from "../setup/api";
import { motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, signInWithBrowser, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let seed: SeedResult;

beforeAll(async () => {
  const accountId = randomAccountId();
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId });
  setDemoProvider({ accountId, deployStack: (info) => deployConnectionStack({ endpoint: motoUrl(), accountId, info }) });
  server = await startConsole();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  setDemoProvider(undefined);
  await browser?.close();
  await server?.close();
});

describe("the demo account", () => {
  it("connects in one click and shows its apps, stages and functions", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, server.url, randomEmail("newcomer"));
    await page.waitForURL(/\/workspace\/new/);
    await page.getByLabel("Name").fill(`Demo ${Date.now().toString(36)}`);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("button", { name: "Connect demo account" }).first().click();

    // The overview fills with the demo's apps once the scan is done.
    const apps = page.getByRole("region", { name: "Apps and stages" });
    await apps.getByRole("table", { name: "Stages of acme-api" }).waitFor({ timeout: 30_000 });
    for (const app of [...new Set(seed.stages.map((s) => s.app))]) {
      const table = apps.getByRole("table", { name: `Stages of ${app}` });
      for (const s of seed.stages.filter((x) => x.app === app)) {
        await table.getByRole("link", { name: s.stage, exact: true }).first().waitFor();
      }
    }

    await apps.getByRole("table", { name: "Stages of acme-api" }).getByRole("link", { name: "production", exact: true }).click();
    const functions = page.getByRole("table", { name: "Functions" });
    await functions.waitFor();
    const expected = seed.functions.filter((f) => f.app === "acme-api" && f.stage === "production" && !f.internal);
    for (const f of expected) await functions.getByText(f.component, { exact: true }).first().waitFor();
    await functions.getByRole("button", { name: "OrderWorker" }).click();
    const dialog = page.getByRole("dialog", { name: "OrderWorker" });
    const worker = expected.find((f) => f.component === "OrderWorker")!;
    await dialog.getByText(worker.arn).waitFor();
    await dialog.getByText(worker.logGroup).first().waitFor();
    expect(await dialog.getByText(worker.runtime).count()).toBeGreaterThan(0);
    // The demo account is emulated: no AWS console to open; the function's issues are a link away.
    await dialog.getByRole("link", { name: "Issues of this function" }).waitFor();
    expect(await dialog.getByRole("link", { name: "Open in AWS console" }).count()).toBe(0);
    await context.close();
  });
});
