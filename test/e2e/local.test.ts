/**
 * End to end in headless Chromium: `sst dev` on this computer, as the demo plays it
 * (packages/functions/src/local/sst-dev: SST's socket.go protocol, real demo programs run
 * locally). A newcomer connects the demo account, opens the personal stage, and sees its
 * local invocations arrive in the Local tab, straight from the local server to the browser.
 * The demo server takes a random port here (so browsers of other test files, which look at
 * 13557 and up, never meet it) and the page is told the port with `?_port=`, as SST v2 did.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { setDemoProvider } from "../../packages/functions/src/api/demo";
import { deployConnectionStack } from "../../packages/functions/src/local/stack";
import { startDemoSstDev, type DemoSstDev } from "../../packages/functions/src/local/sst-dev/demo";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { randomEmail } from "../setup/api";
import { motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, signInWithBrowser, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let seed: SeedResult;
let sstDev: DemoSstDev;

beforeAll(async () => {
  const accountId = randomAccountId();
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId });
  setDemoProvider({ accountId, deployStack: (info) => deployConnectionStack({ endpoint: motoUrl(), accountId, info }) });
  server = await startConsole();
  browser = await launchBrowser();
  // One invocation runs at start (before any browser connects: the server replays it); no timer after.
  sstDev = (await startDemoSstDev({ seed, port: 0, intervalMs: 3_600_000 }))!;
}, 120_000);

afterAll(async () => {
  setDemoProvider(undefined);
  await sstDev?.stop();
  await browser?.close();
  await server?.close();
});

describe("local logs of the demo's personal stage", () => {
  it("finds sst dev, opens its stage, and shows its invocations as they happen; clear empties them", async () => {
    expect(sstDev.app).toBe("acme-api");
    const personal = seed.stages.find((s) => s.app === sstDev.app && s.stage === sstDev.stage)!;
    expect(personal.personal).toBe(true);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, server.url, randomEmail("local"));
    await page.waitForURL(/\/workspace\/new/);
    await page.getByLabel("Name").fill(`Local ${Date.now().toString(36)}`);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("button", { name: "Connect demo account" }).first().click();
    const apps = page.getByRole("region", { name: "Apps and stages" });
    await apps.getByRole("table", { name: "Stages of acme-api" }).getByRole("link", { name: sstDev.stage, exact: true }).first().waitFor({ timeout: 30_000 });

    // `/local` waits for sst dev to say what it runs, then opens that stage's Local tab.
    await page.goto(`${server.url}/local?_port=${sstDev.server.port}`);
    await page.waitForURL(new RegExp(`/app/acme-api/${sstDev.stage}/local`), { timeout: 30_000 });
    await page.getByRole("status").filter({ hasText: `Live: sst dev runs ${sstDev.stage} on this computer` }).waitFor();
    await page.getByRole("link", { name: `sst dev: acme-api / ${sstDev.stage}` }).waitFor();
    await page.getByText("Running locally", { exact: true }).waitFor();

    // The invocation that ran before the page connected was replayed, finished.
    const table = page.getByRole("table", { name: "Local invocations" });
    await table.getByRole("row").nth(1).getByText(/Success|Error/).waitFor({ timeout: 30_000 });
    expect(await table.getByText("Api", { exact: true }).count()).toBeGreaterThan(0);

    // A new one arrives live: the demo's Api runs `checkout`, which throws; its error is shown
    // as on an issue's page (type, message, stack trace), beside its input.
    await sstDev.invokeOnce();
    await table.getByRole("row").nth(2).waitFor({ timeout: 30_000 });
    await table.getByRole("row").nth(1).click();
    const detail = page.getByRole("region", { name: /^Invocation / });
    await detail.getByRole("group", { name: /^Error / }).waitFor({ timeout: 30_000 });
    await detail.getByRole("region", { name: "Input" }).getByText('"currency": "EUR"').waitFor();
    await page.getByText("2 invocations").waitFor();

    // A live function's logs are its local invocations: its dialog links to the tab, filtered to it.
    await page.getByRole("link", { name: "Resources" }).click();
    await page.getByRole("table", { name: "Functions" }).getByRole("button", { name: "OrderWorker" }).click();
    await page.getByRole("dialog", { name: "OrderWorker" }).getByRole("link", { name: "Local invocations" }).click();
    await page.waitForURL(/\/local\?function=OrderWorker/);
    await page.getByRole("region", { name: "Waiting for invocations" }).waitFor();
    await page.getByText("only OrderWorker").waitFor();
    await page.getByRole("link", { name: "show all" }).click();
    await page.getByText("2 invocations").waitFor();

    // Clear: the list empties, and sst dev is told (`log.cleared`, all).
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByRole("region", { name: "Waiting for invocations" }).waitFor();
    await expect.poll(() => sstDev.server.received).toContainEqual({ type: "log.cleared", properties: { source: "all" } });
    await context.close();
  }, 120_000);

  it("says when no connected account has the stage that sst dev runs", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, server.url, randomEmail("local-missing"));
    await page.waitForURL(/\/workspace\/new/);
    await page.getByLabel("Name").fill(`Missing ${Date.now().toString(36)}`);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.waitForURL(/\/[^/]+$/);
    // This workspace has no AWS account: the stage sst dev runs is in none of the person's workspaces.
    await page.goto(`${server.url}/local?_port=${sstDev.server.port}`);
    const empty = page.getByRole("region", { name: "No connected AWS account has this stage" });
    await empty.waitFor({ timeout: 30_000 });
    await empty.getByText(`sst dev runs ${sstDev.stage} of acme-api`).waitFor();
    await empty.getByRole("link", { name: "AWS accounts" }).waitFor();

    // Where nothing answers, it says so and what to run (Chromium: no HTTPS needed, start sst dev).
    const closed = await startDemoSstDev({ seed, port: 0, intervalMs: 3_600_000 });
    const closedPort = closed!.server.port;
    await closed!.stop();
    await page.goto(`${server.url}/local?_port=${closedPort}`);
    const help = page.getByRole("region", { name: "sst dev is not reachable from this browser" });
    await help.waitFor({ timeout: 30_000 });
    await help.getByRole("region", { name: "Start sst dev on this computer" }).getByText("npx sst dev", { exact: true }).waitFor();
    await help.getByRole("region", { name: "Safari and Brave need HTTPS" }).getByText("npx sst cert").waitFor();
    await help.getByRole("region", { name: "sst dev on another machine needs a tunnel" }).waitFor();
    await context.close();
  }, 60_000);
});
