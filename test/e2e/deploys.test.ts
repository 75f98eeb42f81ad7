/**
 * The stage's Deploys tab in headless Chromium at 390 px: the demo account's deploys,
 * newest first, the failed one with its error in view and, opened, the resource that
 * failed; a deploy that arrives by a bucket event shows after a reload. Nothing
 * scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { DEMO_DEPLOY_ERROR, seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { buildV3EventLog, buildV3Update } from "@console/testkit/sst";
import { Scan } from "../../packages/core/src/account/scan";
import { randomEmail } from "../setup/api";
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

describe("the Deploys tab", () => {
  it("shows the demo's deploys with the failed one's error, and a new deploy after a bucket event", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const { token, ws } = await signedInWorkspace(page, server.url, { prefix: "Deploys", accountId: seed.accountId, email: randomEmail("deploys") });
    const target = seed.stages.find((s) => s.app === "acme-api" && s.stage === "production")!;

    // From the stage's tabs.
    await page.goto(`${server.url}/${ws.slug}/app/acme-api/production`);
    await page.getByRole("link", { name: "Deploys" }).click();
    await page.waitForURL(/\/production\/deploys/);
    const list = page.getByRole("list", { name: "Deploys" });
    await list.waitFor();
    const items = list.locator(":scope > li");
    await expect.poll(() => items.count()).toBe(target.deploys!.length);
    // Newest first: the autodeploy run, then the failed deploy with its error, then the first deploy.
    await expect.poll(() => items.nth(0).innerText()).toMatch(/Succeeded[\s\S]*Autodeploy/);
    const failed = items.nth(1);
    expect(await failed.innerText()).toContain("Failed");
    await failed.getByText(DEMO_DEPLOY_ERROR).waitFor({ state: "visible" });
    expect(await items.nth(2).innerText()).toMatch(/created/);
    expect(await overflow(page)).toEqual({ document: 0, main: 0 });

    // Opened: the resource that failed, with its error; the address names the deploy.
    await failed.getByRole("button").first().click();
    const changes = failed.getByRole("list", { name: "Resource changes" });
    await changes.waitFor();
    const failing = changes.locator("li", { hasText: "ReportsFunction" });
    expect(await failing.innerText()).toMatch(/Created[\s\S]*ReportsFunction[\s\S]*Failed/);
    await failing.getByText(DEMO_DEPLOY_ERROR).waitFor({ state: "visible" });
    expect(page.url()).toMatch(/[?&]deploy=/);
    expect(await overflow(page)).toEqual({ document: 0, main: 0 });

    // A new deploy (a remove that failed) arrives through the bucket; a reload shows it on top.
    const urn = `urn:pulumi:production::acme-api::sst:aws:Bucket$aws:s3/bucketV2:BucketV2::MediaBucket`;
    const message = "deleting S3 Bucket (acme-api-production-media): BucketNotEmpty: The bucket you tried to delete is not empty";
    const u = buildV3Update(target.app, target.stage, new Date(), "e2e", "remove", { runId: false, errors: [{ urn, message }], durationMs: 12_000 });
    const s3 = customerClient(S3Client, seed.accountId, target.region);
    const eventlogKey = `eventlog/${target.app}/${target.stage}/${u.id}.json`;
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: eventlogKey, Body: buildV3EventLog(new Date(Date.now() - 12_000), [{ urn, op: "delete", error: message }]) }));
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: u.key.update, Body: JSON.stringify(u.update) }));
    const event = { source: "aws.s3", account: seed.accountId, region: target.region, detail: { bucket: { name: target.bucket }, object: { key: u.key.update } } };
    expect(await Scan.fromBucketEvent(event)).toBeGreaterThanOrEqual(1);
    await page.goto(`${server.url}/${ws.slug}/app/acme-api/production/deploys`);
    await expect.poll(() => items.count()).toBe(target.deploys!.length + 1);
    expect(await items.nth(0).innerText()).toMatch(/sst remove[\s\S]*Failed[\s\S]*CLI/);
    await items.nth(0).getByText(message).waitFor({ state: "visible" });
    expect(await overflow(page)).toEqual({ document: 0, main: 0 });
    await context.close();
  }, 120_000);
});
