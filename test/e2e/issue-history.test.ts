/**
 * End to end in headless Chromium: issue history and the list's behaviour.
 * - A resolved issue that happens again shows "Regressed" in the list and on its page,
 *   and its timeline says first seen, resolved by whom, regressed (the request links to
 *   its occurrence), and merged from which issue.
 * - j/k, x and Enter work as soon as the list opens (nothing focused yet).
 * - While the pointer is on the list, a new issue does not move the rows: "1 updated:
 *   refresh" is offered, and refresh shows it.
 * - The stage filter is in the address by app and stage names, and such a link opens
 *   the filtered list.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { seedDemoAccount, type SeedResult, type SeededFunction } from "@console/testkit/seed";
import { call } from "../setup/api";
import { motoUrl, randomAccountId } from "../setup/aws";
import { browserToken, launchBrowser, signedInWorkspace, startConsole } from "../setup/browser";
import { happen } from "../setup/issues";

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

async function setUp(page: Page, prefix: string) {
  const { email, token, ws, connectionId } = await signedInWorkspace(page, server.url, { prefix, accountId: seed.accountId });
  const worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")! as SeededFunction;
  const target = { accountId: seed.accountId, connectionId, fn: worker };
  return { email, token, ws, target };
}

describe("issue history in the web app", () => {
  it("shows a regression in the list and on the issue, with a timeline of what happened", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { email, token, ws, target } = await setUp(page, "history");

    await happen(target, "shippingLabel", { customerId: "c2" });
    await happen(target, "quote", { total: 120 });
    const issues = (await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues as { id: string; type: string; message: string }[];
    const label = issues.find((i) => /street|address/.test(i.message))!;
    const quote = issues.find((i) => /toUpperCase/.test(i.message))!;
    expect((await call("POST", `/api/workspaces/${ws.slug}/issues/resolve`, { token, body: { ids: [label.id] } })).status).toBe(200);
    const again = await happen(target, "shippingLabel", { customerId: "c2" });
    expect((await call("POST", `/api/workspaces/${ws.slug}/issues/merge`, { token, body: { target: label.id, sources: [quote.id] } })).status).toBe(200);

    await page.goto(`${server.url}/${ws.slug}/issues`);
    const row = page.getByRole("table", { name: "Active issues" }).getByRole("row", { name: /TypeError/ });
    await row.getByText("Regressed").waitFor();
    await row.getByRole("link").first().click();

    await page.getByRole("heading", { level: 1, name: "TypeError" }).waitFor();
    await page.locator("header").getByText("Regressed", { exact: true }).first().waitFor();
    // The kept issue's own title.
    await page.getByText(label.message, { exact: true }).first().waitFor();

    const timeline = page.getByRole("list", { name: "Activity" });
    await timeline.waitFor();
    const entries = timeline.locator(":scope > li");
    expect(await entries.evaluateAll((els) => els.map((e) => e.getAttribute("data-kind")))).toEqual(["first_seen", "resolved", "regressed", "merged"]);
    expect(await entries.nth(1).innerText()).toContain(`Resolved by ${email}`);
    expect(await entries.nth(3).innerText()).toContain("Merged 1 issue into this one");
    expect(await entries.nth(3).getByRole("list", { name: "Merged issues" }).innerText()).toContain("toUpperCase");

    // No source map for this function in this account: the stack says where the console looked and how to add one.
    const note = page.getByRole("complementary", { name: "No source map" });
    await note.waitFor();
    expect(await note.getByRole("list", { name: "Where the console looked" }).innerText()).toContain(`sourcemap/arn:aws:logs:${target.fn.region}:${seed.accountId}:log-group:${target.fn.logGroup}/`);
    expect(await note.getByRole("list", { name: "How to provide a source map" }).innerText()).toContain("sourcemaps upload --function");

    // The regression's request opens that occurrence.
    await entries.nth(2).getByRole("button", { name: again.requestId }).click();
    await page.getByRole("region", { name: `Occurrence: request ${again.requestId}` }).waitFor();

    // "fingerprints lead here" only now that something was merged.
    await page.getByRole("button", { name: "Why these errors are grouped" }).click();
    await page.getByText(/fingerprints lead here \(1 merged issue\)/).waitFor();
    await context.close();
  }, 150_000);

  it("j/k, x and Enter work as the list opens; rows stay while the pointer is on them; filters read as names", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { ws, target } = await setUp(page, "keys");
    await happen(target, "shippingLabel", { customerId: "c2" });
    await happen(target, "createOrder", { id: "x", items: [] });

    // The stage filter by names, in the address.
    await page.goto(`${server.url}/${ws.slug}/issues`);
    const table = page.getByRole("table", { name: "Active issues" });
    await table.getByRole("row", { name: /ZodError/ }).waitFor();
    const stageFilter = page.getByLabel("Stage", { exact: true });
    const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token: await tokenOf(page) })).body as { id: string; app: string; name: string }[];
    const production = stages.find((s) => s.app === "acme-api" && s.name === "production")!;
    await stageFilter.selectOption(production.id);
    await page.waitForURL((url) => url.searchParams.get("app") === "acme-api" && url.searchParams.get("stage") === "production");
    expect(new URL(page.url()).search).not.toContain(production.id);

    // A shared link with names opens the filtered list; the keys work at once.
    await page.goto(`${server.url}/${ws.slug}/issues?app=acme-api&stage=production&sort=first`);
    await table.getByRole("row", { name: /ZodError/ }).waitFor();
    expect(await stageFilter.inputValue()).toBe(production.id);
    const rows = table.locator("tbody > tr[data-row]");
    await page.keyboard.press("j");
    await expect.poll(() => rows.first().evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("j");
    await expect.poll(() => rows.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("k");
    await page.keyboard.press("x");
    await expect.poll(() => rows.first().getByRole("checkbox").isChecked()).toBe(true);
    await page.keyboard.press("x");
    await expect.poll(() => rows.first().getByRole("checkbox").isChecked()).toBe(false);

    // Reload: nothing focused, x selects the first row at once.
    await page.reload();
    await table.getByRole("row", { name: /ZodError/ }).waitFor();
    await page.keyboard.press("x");
    await expect.poll(() => rows.first().getByRole("checkbox").isChecked()).toBe(true);
    await page.keyboard.press("x");

    // The pointer rests on the list; a new issue arrives: the rows stay, a refresh is offered.
    const before = await rows.allInnerTexts();
    await rows.nth(1).hover();
    await happen(target, "quote", { total: 120 });
    const refresh = page.getByRole("button", { name: "1 updated: refresh" });
    await refresh.waitFor({ timeout: 20_000 });
    expect(await rows.allInnerTexts()).toEqual(before);
    await refresh.click();
    await table.getByRole("row", { name: /toUpperCase/ }).waitFor();
    expect(await rows.count()).toBe(before.length + 1);

    // Enter from a fresh page opens the first row.
    await page.reload();
    await table.getByRole("row", { name: /TypeError/ }).first().waitFor();
    await page.mouse.move(0, 0);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/issues\/[0-9a-z]{26}$/i);

    // Resolve, then Reopen at the same spot.
    const actions = page.getByRole("group", { name: "Issue actions" });
    const resolve = actions.getByRole("button", { name: "Resolve" });
    await resolve.waitFor();
    const at = await resolve.boundingBox();
    await resolve.click();
    const reopen = actions.getByRole("button", { name: "Reopen" });
    await reopen.waitFor();
    expect((await reopen.boundingBox())?.x).toBe(at?.x);
    await context.close();
  }, 120_000);
});

async function tokenOf(page: Page) {
  return browserToken(page);
}
