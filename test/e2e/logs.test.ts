/**
 * End to end in headless Chromium: a demo function's logs as invocations (from the stage's
 * Logs tab), a line arriving live (put into the emulator's log group while watching)
 * showing once at the top and completed in place when the rest of its invocation comes;
 * search and a jump to a time; Ctrl-K and an issue's occurrence ("around it") leading to a function's logs;
 * invoking it (the JSON checked first), saved payloads, and replay from an invocation's row.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { invoke } from "@console/testkit/programs";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { call } from "../setup/api";
import { currentEmulatedIssues } from "../../packages/functions/src/local/kinesis";
import { Bus } from "../../packages/core/src/event";
import { customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { launchBrowser, signedInWorkspace, startConsole } from "../setup/browser";
import { useDemoRuntime } from "../../packages/functions/src/local/demo-invoker";

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

const iso = (ms: number) => new Date(ms).toISOString();

describe("function logs in the web app", () => {
  it("shows invocations, then a line arriving live at the top, once", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const { ws, token } = await signedInWorkspace(page, server.url, { prefix: "Logs", accountId: seed.accountId });

    const worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
    const logs = customerClient(CloudWatchLogsClient, seed.accountId, worker.region);
    const stream = `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: worker.logGroup, logStreamName: stream }));
    // A past invocation: a cold start that fails (the demo program's real lines).
    const run = await invoke("node", "shippingLabel", { customerId: "c2" });
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: worker.logGroup,
        logStreamName: stream,
        logEvents: run.events.map((e) => ({ timestamp: e.timestamp, message: e.message })).sort((a, b) => a.timestamp - b.timestamp),
      }),
    );

    // The stage's Logs tab lists its functions and leads to their pages.
    await page.goto(`${server.url}/${ws.slug}/app/acme-api/production/logs`);
    await page.getByRole("table", { name: "Functions" }).getByRole("link", { name: "OrderWorker", exact: true }).first().click();
    await page.getByRole("heading", { level: 2, name: "OrderWorker" }).waitFor();

    const list = page.getByRole("list", { name: "Invocations" });
    const past = list.locator(`li[data-request="${run.requestId}"]`);
    await past.waitFor();
    expect(await past.getAttribute("data-status")).toBe("error");
    await past.getByText("Cold start").waitFor();
    await past.getByRole("button", { expanded: false }).click();
    const lines = past.getByRole("list", { name: `Log lines of Invocation ${run.requestId}` });
    await lines.getByText(/^START RequestId/).waitFor();
    expect(await lines.locator("li[data-error]").count()).toBeGreaterThan(0);
    await past.getByRole("link", { name: "Its issue" }).first().waitFor();

    // Live: an invocation put while watching appears at the top; its end, put later, completes the same row.
    await page.getByRole("toolbar", { name: "Log filters" }).getByRole("button", { name: "Live" }).click();
    await page.getByRole("status").getByText("Live: new invocations appear at the top").waitFor();
    const rid = randomUUID();
    const marker = `live-${randomUUID().slice(0, 8)}`;
    // A whole second after the past invocation and before the live one: where the jump below goes (the input has seconds).
    const before = Math.ceil((Math.max(...run.events.map((e) => e.timestamp)) + 1) / 1000) * 1000;
    while (Date.now() < before + 100) await new Promise((r) => setTimeout(r, 25));
    const t = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: worker.logGroup,
        logStreamName: stream,
        logEvents: [
          { timestamp: t, message: `START RequestId: ${rid} Version: $LATEST` },
          { timestamp: t + 5, message: `${iso(t + 5)}\t${rid}\tINFO\t{"level":"info","message":"${marker}","orderId":"o-42"}` },
        ],
      }),
    );
    const fresh = list.locator(`li[data-request="${rid}"]`);
    await fresh.waitFor({ timeout: 20_000 });
    expect(await list.locator(":scope > li").first().getAttribute("data-request")).toBe(rid);
    expect(await fresh.getAttribute("data-status")).toBe("running");
    await fresh.getByText(marker).first().waitFor();

    await logs.send(
      new PutLogEventsCommand({
        logGroupName: worker.logGroup,
        logStreamName: stream,
        logEvents: [
          { timestamp: t + 20, message: `END RequestId: ${rid}` },
          { timestamp: t + 21, message: `REPORT RequestId: ${rid}\tDuration: 16.25 ms\tBilled Duration: 17 ms\tMemory Size: 1024 MB\tMax Memory Used: 81 MB\t` },
        ],
      }),
    );
    await list.locator(`li[data-request="${rid}"][data-status="success"]`).waitFor({ timeout: 20_000 });
    await fresh.getByText("16.3 ms").waitFor();
    await fresh.getByText("81 / 1024 MB").waitFor();
    expect(await list.locator(`li[data-request="${rid}"]`).count()).toBe(1);

    // Its lines: the JSON line pretty-printed.
    await fresh.getByRole("button", { expanded: false }).click();
    const json = fresh.locator("pre").filter({ hasText: marker });
    await json.waitFor();
    expect(await json.innerText()).toContain(`"orderId": "o-42"`);

    // Search: only the invocation with the marker stays.
    const search = page.getByRole("search", { name: "Search the logs" });
    await search.getByLabel("Search").fill(marker);
    await search.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(new RegExp(`[?&]q=${marker}`));
    await list.locator(`li[data-request="${run.requestId}"]`).waitFor({ state: "detached" });
    await list.locator(`li[data-request="${rid}"]`).waitFor();
    await page.getByRole("button", { name: "Clear" }).click();
    await list.locator(`li[data-request="${run.requestId}"]`).waitFor();

    // Jump to a time: the logs before it (the failed invocation, not the later one).
    const local = await page.evaluate((ms) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, before);
    const jump = page.getByRole("form", { name: "Jump to a time" });
    await jump.getByLabel("Jump to").fill(local);
    await jump.getByRole("button", { name: "Jump" }).click();
    await page.waitForURL(new RegExp(`[?&]at=${before}`));
    expect(await page.getByRole("button", { name: "Live" }).getAttribute("aria-pressed")).toBe("false");
    await list.locator(`li[data-request="${run.requestId}"]`).waitFor();
    await list.locator(`li[data-request="${rid}"]`).waitFor({ state: "detached" });

    // Ctrl-K leads to a function's logs too.
    await page.keyboard.press("Control+k");
    const input = page.getByRole("combobox", { name: "Type a command or search" });
    await input.fill("logs of Pricing acme-api production");
    await page.getByRole("option", { name: /^Logs of Pricing \(acme-api \/ production\)/, selected: true }).waitFor();
    await input.press("Enter");
    await page.getByRole("heading", { level: 2, name: "Pricing" }).waitFor();
    await page.getByRole("toolbar", { name: "Log filters" }).waitFor();

    // From an issue's occurrence: the function's logs around it, its invocation opened.
    await currentEmulatedIssues()!.drain();
    await Bus.idle();
    const issue = (await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues[0];
    await page.goto(`${server.url}/${ws.slug}/issues/${issue.id}`);
    await page.getByRole("link", { name: "Function logs around it" }).click();
    await page.waitForURL(/[?&]around=\d+/);
    await page.getByRole("list", { name: `Log lines of Invocation ${run.requestId}` }).getByText(/^START RequestId/).waitFor();
    await page.getByText(/^Around .+, then older\.$/).waitFor();
    await context.close();
  }, 120_000);

  it("invokes a demo function with a checked JSON event, saves the payload, and replays the invocation from its row", async () => {
    // As `npm run dev` does: invocations of the demo account's functions run their programs here and log into their groups.
    const demo = useDemoRuntime({ endpoint: motoUrl(), accountId: seed.accountId, functions: seed.functions, extraCold: 0 });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const { ws } = await signedInWorkspace(page, server.url, { prefix: "Invoke", accountId: seed.accountId });

      // From the stage's Resources: the function's dialog leads to its page.
      await page.goto(`${server.url}/${ws.slug}/app/acme-api/production`);
      await page.getByRole("table", { name: "Functions" }).getByRole("button", { name: "Api", exact: true }).click();
      await page.getByRole("dialog").getByRole("link", { name: "Logs and invoke" }).click();
      await page.getByRole("heading", { level: 2, name: "Api" }).waitFor();
      await page.getByRole("toolbar", { name: "Log filters" }).getByRole("button", { name: "Live" }).click();
      await page.getByRole("status").getByText("Live: new invocations appear at the top").waitFor();

      await page.getByRole("button", { name: "Invoke…" }).click();
      const editor = page.getByLabel("Event (JSON)");
      const invokeButton = page.getByRole("button", { name: "Invoke", exact: true });
      // Bad JSON is refused before anything is sent, saying where it is wrong.
      await editor.fill('{\n  "rawPath": \n}');
      await page.getByText("Not valid JSON (line 3, column 1): a value is expected").waitFor();
      expect(await invokeButton.isDisabled()).toBe(true);
      expect(await editor.getAttribute("aria-invalid")).toBe("true");

      // A saved payload: saved, renamed.
      await editor.fill('{"rawPath": "/orders/o-1001", "requestContext": {"http": {"method": "GET"}}}');
      expect(await invokeButton.isDisabled()).toBe(false);
      await page.getByRole("button", { name: "Save as…" }).click();
      await page.getByRole("form", { name: "Save the payload" }).getByLabel("Name").fill("Order o-1001");
      await page.getByRole("form", { name: "Save the payload" }).getByRole("button", { name: "Save" }).click();
      const picker = page.getByLabel("Saved payload");
      await picker.locator("option:checked", { hasText: "Order o-1001" }).waitFor({ state: "attached" });
      await page.getByRole("button", { name: "Rename" }).click();
      await page.getByRole("form", { name: "Rename the payload" }).getByLabel("New name").fill("Get an order");
      await page.getByRole("form", { name: "Rename the payload" }).getByRole("button", { name: "Rename" }).click();
      await picker.locator("option:checked", { hasText: "Get an order" }).waitFor({ state: "attached" });

      // Invoke: the program's answer, its figures and its log tail.
      await invokeButton.click();
      const result = page.getByRole("region", { name: "Invoke result" });
      await result.waitFor({ timeout: 30_000 });
      await result.getByText("Status 200").waitFor();
      expect(await result.getByLabel("Response").innerText()).toContain("o-1001");
      const requestId = (await result.getAttribute("data-request"))!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      await result.getByText(/^Cold start, init /).waitFor();
      await result.getByRole("list", { name: "Logs of this invocation" }).getByText(`START RequestId: ${requestId} Version: $LATEST`).waitFor();

      // The same invocation arrives in the live logs; its row replays the event the console kept.
      const list = page.getByRole("list", { name: "Invocations" });
      await list.locator(`li[data-request="${requestId}"][data-status="success"]`).waitFor({ timeout: 20_000 });
      await result.getByRole("button", { name: "Show in the logs" }).click();
      const row = list.locator(`li[data-request="${requestId}"]`);
      await row.getByRole("list", { name: `Log lines of Invocation ${requestId}` }).waitFor();
      await row.getByRole("button", { name: "Replay" }).click();
      // The replay's answer replaces the first one, and arrives live in its own row.
      const replayed = page.locator(`section[aria-label="Invoke result"]:not([data-request="${requestId}"])`);
      await replayed.waitFor({ timeout: 30_000 });
      await replayed.getByText("Status 200").waitFor();
      expect(await replayed.getByLabel("Response").innerText()).toContain("o-1001");
      const second = (await replayed.getAttribute("data-request"))!;
      await list.locator(`li[data-request="${second}"]`).waitFor({ timeout: 20_000 });
      expect(await editor.inputValue()).toContain("/orders/o-1001");

      // Delete the saved payload.
      await picker.selectOption({ label: "Get an order" });
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
      await picker.locator("option", { hasText: "Get an order" }).waitFor({ state: "detached" });

      // The workspace's setting of who may invoke (Settings → General), kept.
      await page.goto(`${server.url}/${ws.slug}/settings/general`);
      const setting = page.getByLabel("Who may invoke functions");
      await setting.and(page.locator("select:enabled")).waitFor();
      await setting.selectOption("admin");
      await page.getByText("Only admins and owners may invoke functions now").waitFor();
      await page.reload();
      await setting.locator("option:checked", { hasText: "Admins and owners only" }).waitFor({ state: "attached" });
      await context.close();
    } finally {
      demo.stop();
    }
  }, 120_000);
});
