/**
 * Autodeploy in headless Chromium against the local runtime, the demo's GitHub stand-in, the
 * demo repository and the local build runner: an admin installs the GitHub App from the app's
 * Autodeploy tab (GitHub's install page sends the browser back to the console), links
 * `acme/acme-api`, makes `main` deploy `production` in the demo account, and a push to `main`
 * shows a run; the run's page shows its log as the build writes it and then its success; the
 * deploy it made is on top of the stage's Deploys tab, linked back to the run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { startDemoAutodeploy, type DemoAutodeploy } from "../../packages/functions/src/local/autodeploy";
import { advanceRuns } from "../../packages/functions/src/cron/autodeploy";
import { resetEnv } from "../../packages/core/src/env";
import { Scan } from "../../packages/core/src/account/scan";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { randomEmail } from "../setup/api";
import { customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, overflow, signedInWorkspace, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;
let seed: SeedResult;
let demo: DemoAutodeploy;

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  server = await startConsole();
  // GitHub's redirects and webhooks come back to this server.
  process.env.PUBLIC_URL = server.url;
  resetEnv();
  demo = (await startDemoAutodeploy())!;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await server?.close();
});

describe("autodeploy", () => {
  it("a push in the demo shows a run, its log, then a new deploy in the stage's history", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { ws } = await signedInWorkspace(page, server.url, { prefix: "Autodeploy", accountId: seed.accountId, email: randomEmail("autodeploy") });
    const target = seed.stages.find((s) => s.app === "acme-api" && s.stage === "production")!;

    // From the overview to the app's Autodeploy tab.
    await page.goto(`${server.url}/${ws.slug}`);
    await page.getByRole("table", { name: "Stages of acme-api" }).waitFor({ timeout: 30_000 });
    await page.getByRole("link", { name: "Autodeploy of acme-api" }).click();
    await page.waitForURL(/\/app\/acme-api\/autodeploy$/);
    await page.getByRole("region", { name: "Runs" }).getByText("No runs yet").waitFor();

    // Install the GitHub App: GitHub's page sends the browser back to the console's callback.
    await page.getByRole("button", { name: "Install the GitHub App" }).click();
    await page.waitForURL(/\/settings\/accounts/);
    await page.getByText("GitHub connected").waitFor();
    await page.getByRole("table", { name: "GitHub installations" }).getByText("acme").waitFor();

    // Link the repository, then a rule: main deploys production in the demo account.
    await page.goto(`${server.url}/${ws.slug}/app/acme-api/autodeploy`);
    const repository = page.getByRole("form", { name: "Link a repository" });
    expect(await repository.getByLabel("Repository").inputValue()).toBe("acme/acme-api");
    await repository.getByRole("button", { name: "Link repository" }).click();
    await page.getByRole("link", { name: /acme\/acme-api/ }).waitFor();

    const targets = page.getByRole("form", { name: "Targets" });
    await targets.getByRole("button", { name: "Add rule" }).click();
    const rule = targets.getByRole("listitem", { name: "Rule 1" });
    await rule.getByLabel("Branch").fill("main");
    await rule.getByLabel("Stage").fill("production");
    expect(await rule.getByLabel("Region").inputValue()).toBe(target.region);
    await targets.getByLabel("Try a branch").fill("main");
    await targets.getByText("Deploys stage production (rule 1).").waitFor();
    await targets.getByRole("button", { name: "Save targets" }).click();
    await page.getByText("Targets saved").waitFor();

    // A push to main: the run shows in the list (the runs table polls), then moves on.
    const pushed = await demo.push({ message: "Add the reports endpoint" });
    expect(pushed.status).toBe(200);
    const runs = page.getByRole("table", { name: "Runs" });
    const row = runs.getByRole("row").filter({ hasText: pushed.sha.slice(0, 7) });
    await expect.poll(async () => (await advanceRuns(), row.count()), { timeout: 30_000, interval: 1_000 }).toBe(1);
    expect(await row.innerText()).toMatch(/production[\s\S]*Add the reports endpoint[\s\S]*main/);

    // Its page: the log as the build writes it, then the success and the deploy it made.
    await row.click();
    await page.waitForURL(/\/autodeploy\/runs\//);
    const log = page.getByRole("list", { name: "Run log" });
    await expect
      .poll(async () => (await advanceRuns(), page.getByRole("heading", { name: "Deploy production" }).locator("..").innerText()), { timeout: 60_000, interval: 1_000 })
      .toMatch(/Succeeded/);
    await expect.poll(() => log.innerText(), { timeout: 15_000 }).toMatch(/sst|deploy/i);
    expect(await log.getByRole("listitem").count()).toBeGreaterThan(2);
    expect(await page.getByRole("link", { name: pushed.sha.slice(0, 7) }).getAttribute("href")).toContain(pushed.sha);

    // The deploy in the stage's history: the bucket event (EventBridge on AWS) handed to discovery, as in deploys.test.ts.
    const s3 = customerClient(S3Client, seed.accountId, target.region);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: target.bucket, Prefix: `update/${target.app}/${target.stage}/` }));
    const newest = [...(listed.Contents ?? [])].sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0))[0]!;
    await Scan.fromBucketEvent({ source: "aws.s3", account: seed.accountId, region: target.region, detail: { bucket: { name: target.bucket }, object: { key: newest.Key! } } });
    const deployLink = page.getByRole("link", { name: "See the deploy in the stage's history" });
    await deployLink.waitFor({ timeout: 30_000 });
    await deployLink.click();
    await page.waitForURL(/\/production\/deploys\?.*deploy=/);
    const items = page.getByRole("list", { name: "Deploys" }).locator(":scope > li");
    await expect.poll(() => items.count()).toBe(target.deploys!.length + 1);
    expect(await items.nth(0).innerText()).toMatch(/sst deploy[\s\S]*Succeeded[\s\S]*Autodeploy/);
    // Opened (the address names it), it links back to its run.
    await items.nth(0).getByRole("link", { name: "see the run and its logs" }).click();
    await page.waitForURL(/\/autodeploy\/runs\//);
    await page.getByRole("heading", { name: "Deploy production" }).waitFor();
    expect(await overflow(page)).toEqual({ document: 0, main: 0 });
    await context.close();
  }, 180_000);
});
