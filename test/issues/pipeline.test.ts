/**
 * Issues end to end against the emulator: a connected account's stage is subscribed,
 * real Lambda-framed error logs (from the demo programs, bundled and minified) are
 * put into its log groups, the emulator delivers them to Kinesis, the consumer turns
 * them into source-mapped, grouped issues, and the API shows them.
 */
import { beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  CloudWatchLogsClient,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeSubscriptionFiltersCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
  DeleteSubscriptionFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { KinesisClient, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { and, eq } from "drizzle-orm";
import { Bus } from "../../packages/core/src/event";
import { Database } from "../../packages/core/src/db";
import { FILTER_PATTERN, Ingest, issueHashTable, issueTable } from "../../packages/core/src/issue";
import { HOURLY_LIMIT, ingestUsageTable } from "../../packages/core/src/usage";
import { seedDemoAccount, type SeedResult, type SeededFunction } from "@console/testkit/seed";
import { bundleDemo, invoke } from "@console/testkit/programs";
import { actAsAccount } from "@console/testkit/aws";
import { currentEmulatedIssues, EMULATED_STREAM } from "../../packages/functions/src/local/kinesis";
import { call, createWorkspace, expectError, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;
let token: string;
let ws: { id: string; slug: string };
let stageId: string;
let worker: SeededFunction;

const logs = (region: string) => customerClient(CloudWatchLogsClient, seed.accountId, region);

async function putEvents(fn: SeededFunction, events: { timestamp: number; message: string }[], stream = `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`) {
  const client = logs(fn.region);
  await client.send(new CreateLogStreamCommand({ logGroupName: fn.logGroup, logStreamName: stream }));
  await client.send(new PutLogEventsCommand({ logGroupName: fn.logGroup, logStreamName: stream, logEvents: [...events].sort((a, b) => a.timestamp - b.timestamp) }));
  return stream;
}

async function drain() {
  const poller = currentEmulatedIssues();
  if (!poller) throw new Error("the emulated issue pipeline is not set up");
  await poller.drain();
  await Bus.idle();
}

async function issues(query = "") {
  const res = await call("GET", `/api/workspaces/${ws.slug}/issues?stage=${stageId}${query}`, { token });
  expect(res.status).toBe(200);
  return res.body.issues as { id: string; type: string; message: string; count: number; status: string; functionName: string; last24h: number[] }[];
}

beforeAll(async () => {
  const demo = await bundleDemo();
  seed = await seedDemoAccount({
    endpoint: motoUrl(),
    accountId: randomAccountId(),
    sourcemaps: [{ functionName: "acme-api/production/OrderWorker", map: demo.map, file: "index.mjs" }],
  });
  ({ token } = await signIn());
  ws = await createWorkspace(token);
  await connectAccount(token, ws.slug, seed.accountId);
  const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body as { id: string; app: string; name: string }[];
  stageId = stages.find((s) => s.app === "acme-api" && s.name === "production")!.id;
  worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
}, 120_000);

describe("subscriptions", () => {
  it("subscribes every function that does not run live, with the error filter pattern", async () => {
    const subs = (await call("GET", `/api/workspaces/${ws.slug}/subscriptions?stage=${stageId}`, { token })).body as { logGroup: string }[];
    const stageFns = seed.functions.filter((f) => f.app === "acme-api" && f.stage === "production");
    expect(subs.map((s) => s.logGroup).sort()).toEqual(stageFns.filter((f) => !f.live).map((f) => f.logGroup).sort());
    const filters = await logs(worker.region).send(new DescribeSubscriptionFiltersCommand({ logGroupName: worker.logGroup }));
    const ours = filters.subscriptionFilters!.find((f) => f.filterName?.startsWith("console-"))!;
    expect(ours.filterPattern).toBe(FILTER_PATTERN);
    expect(FILTER_PATTERN.length).toBeLessThanOrEqual(1024);
    // Live functions of the personal stage are not subscribed.
    const live = seed.functions.find((f) => f.app === "acme-api" && f.live)!;
    const liveFilters = await logs(live.region).send(new DescribeSubscriptionFiltersCommand({ logGroupName: live.logGroup }));
    expect(liveFilters.subscriptionFilters ?? []).toEqual([]);
  });

  it("records a warning when both filter slots are taken, and Retry subscribes once one is free", async () => {
    const target = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "NightlyReport")!;
    const client = logs(target.region);
    const destination = (await client.send(new DescribeSubscriptionFiltersCommand({ logGroupName: target.logGroup }))).subscriptionFilters![0]!.destinationArn!;
    await client.send(new DeleteSubscriptionFilterCommand({ logGroupName: target.logGroup, filterName: `console-${(await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body[0].id}-${target.region}` }));
    for (const name of ["datadog", "other-vendor"]) {
      await client.send(new PutSubscriptionFilterCommand({ logGroupName: target.logGroup, filterName: name, filterPattern: "", destinationArn: destination }));
    }
    const accounts = (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body;
    // A rescan after a deploy re-subscribes; here we force the stage's subscription sync through Retry's path.
    const { Subscriptions } = await import("../../packages/core/src/issue");
    const { Actor } = await import("../../packages/core/src/actor");
    const fns = (await call("GET", `/api/workspaces/${ws.slug}/stages/${stageId}`, { token })).body.functions as { id: string; name: string }[];
    const fnId = fns.find((f) => f.name === target.name)!.id;
    await Actor.system("test", { id: ws.id, slug: ws.slug }, () => Subscriptions.syncStage(stageId, { force: [fnId] }));
    const warnings = (await call("GET", `/api/workspaces/${ws.slug}/warnings?stage=${stageId}`, { token })).body as { id: string; type: string; message: string }[];
    const warning = warnings.find((w) => w.type === "subscription_limit")!;
    expect(warning.message).toContain("datadog");
    expect(accounts).toHaveLength(1);

    await client.send(new DeleteSubscriptionFilterCommand({ logGroupName: target.logGroup, filterName: "other-vendor" }));
    const retried = await call("POST", `/api/workspaces/${ws.slug}/warnings/${warning.id}/retry`, { token });
    expect(retried.status).toBe(200);
    expect((await call("GET", `/api/workspaces/${ws.slug}/warnings?stage=${stageId}`, { token })).body.find((w: { type: string }) => w.type === "subscription_limit")).toBeUndefined();
    const now = (await client.send(new DescribeSubscriptionFiltersCommand({ logGroupName: target.logGroup }))).subscriptionFilters!.map((f) => f.filterName);
    expect(now.some((n) => n?.startsWith("console-"))).toBe(true);
    expect(now).toContain("datadog");
  });

  it("creates a missing log group (a function that never ran) and subscribes it", async () => {
    const target = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "Api")!;
    await logs(target.region).send(new DeleteLogGroupCommand({ logGroupName: target.logGroup }));
    const { Subscriptions } = await import("../../packages/core/src/issue");
    const { Actor } = await import("../../packages/core/src/actor");
    const fns = (await call("GET", `/api/workspaces/${ws.slug}/stages/${stageId}`, { token })).body.functions as { id: string; name: string }[];
    const result = await Actor.system("test", { id: ws.id, slug: ws.slug }, () => Subscriptions.syncStage(stageId, { force: [fns.find((f) => f.name === target.name)!.id] }));
    expect(result.subscribed).toBe(1);
    const filters = await logs(target.region).send(new DescribeSubscriptionFiltersCommand({ logGroupName: target.logGroup }));
    expect(filters.subscriptionFilters!.some((f) => f.filterName?.startsWith("console-"))).toBe(true);
  });
});

describe("ingestion", () => {
  it("turns a real minified Node error into a source-mapped issue, grouped across invocations", async () => {
    const first = await invoke("node", "shippingLabel", { customerId: "c2" });
    const second = await invoke("node", "shippingLabel", { customerId: "c2" });
    const other = await invoke("node", "checkout", { total: 250, currency: "EUR" });
    await putEvents(worker, first.events);
    await putEvents(worker, [...second.events, ...other.events]);
    await drain();
    const list = await issues();
    const label = list.find((i) => i.type === "TypeError")!;
    expect(label).toBeDefined();
    expect(label.count).toBe(2);
    expect(label.functionName).toBe(worker.name);
    expect(list.find((i) => i.type === "PaymentDeclinedError")!.count).toBe(1);

    const detail = (await call("GET", `/api/workspaces/${ws.slug}/issues/${label.id}`, { token })).body;
    const top = detail.issue.error.frames.find((f: { inApp: boolean }) => f.inApp);
    expect(top.file).toBe("node/handler.ts");
    expect(top.function).toBe("formatLabel");
    expect(top.context.line).toContain("customer.address!.street");
    expect(top.generated.file).toBe("/var/task/index.mjs");
    expect(detail.functions).toEqual([{ functionName: worker.name, count: 2 }]);
    expect(detail.occurrences).toHaveLength(2);
    expect(detail.occurrences.map((o: { requestId: string }) => o.requestId).sort()).toEqual([first.requestId, second.requestId].sort());
    expect(detail.hourly.counts.reduce((a: number, b: number) => a + b, 0)).toBe(2);

    // The invocation's whole log, read back from CloudWatch Logs.
    const logsRes = await call("GET", `/api/workspaces/${ws.slug}/issues/${label.id}/occurrences/${detail.occurrences[0].id}/logs`, { token });
    expect(logsRes.body.source).toBe("cloudwatch");
    expect(logsRes.body.lines[0].message).toMatch(/^START RequestId/);
    expect(logsRes.body.lines.at(-1).message).toMatch(/^REPORT RequestId/);
  });

  it("counts a replayed record once", async () => {
    const before = (await issues()).find((i) => i.type === "TypeError")!.count;
    // Read the whole stream again from the start, as Kinesis may redeliver.
    const poller = currentEmulatedIssues()!;
    (poller as unknown as { shards: Map<string, unknown> }).shards.clear();
    await drain();
    expect((await issues()).find((i) => i.type === "TypeError")!.count).toBe(before);
  });

  it("detects timeouts, Python errors and out-of-memory kills with fixed keys", async () => {
    const timeout = await invoke("node", "generateReport", { ms: 60_000 }, { timeoutMs: 300, timeoutStyle: "both" });
    const py = await invoke("python", "price_quote", { sku: "sku-404" });
    const oom = await invoke("node", "exportAll", {}, { memoryMb: 64 });
    await putEvents(worker, timeout.events);
    await putEvents(worker, py.events);
    await putEvents(worker, oom.events);
    await drain();
    const types = (await issues()).map((i) => i.type);
    expect(types).toContain("Timeout");
    expect(types).toContain("KeyError");
    expect(types.some((t) => /OutOfMemory|ExitError/.test(t))).toBe(true);
    // One timeout issue, though the REPORT status and the legacy line both said so.
    expect((await issues()).filter((i) => i.type === "Timeout")[0]!.count).toBe(1);
  });

  it("the extract CLI finds what the consumer stores from the same events: the same errors, with the same fingerprints", async () => {
    const runs = [
      await invoke("node", "shippingLabel", { customerId: "c7" }),
      await invoke("node", "checkout", { total: 250, currency: "EUR" }, { format: "json" }),
      await invoke("python", "price_quote", { sku: "sku-404" }),
      await invoke("node", "generateReport", { ms: 60_000 }, { timeoutMs: 300, timeoutStyle: "both" }),
    ];
    const total = async () => (await issues()).reduce((n, i) => n + i.count, 0);
    const before = await total();
    const streams: { stream: string; events: { timestamp: number; message: string }[] }[] = [];
    for (const r of runs) streams.push({ stream: await putEvents(worker, r.events), events: r.events });
    await drain();
    const stored = (await total()) - before;

    // The same events as the CLI reads them (one JSON event per line), the bundle's map beside.
    const dir = mkdtempSync(join(tmpdir(), "extract-vs-consumer-"));
    mkdirSync(join(dir, "maps"));
    writeFileSync(join(dir, "maps", "index.mjs.map"), (await bundleDemo()).map);
    const lines = streams.flatMap(({ stream, events }) => [...events].sort((a, b) => a.timestamp - b.timestamp).map((e) => JSON.stringify({ timestamp: e.timestamp, message: e.message, logGroup: worker.logGroup, logStream: stream })));
    writeFileSync(join(dir, "events.jsonl"), lines.join("\n") + "\n");
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn("npx", ["tsx", "packages/functions/src/cli/index.ts", "extract", "--sourcemaps", join(dir, "maps"), join(dir, "events.jsonl")], { cwd: join(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      child.stdout.on("data", (c: Buffer) => (text += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`extract exited with ${code}`))));
    });
    const found = out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string; fingerprint: string });
    expect(found.map((f) => f.type).sort()).toEqual(["KeyError", "PaymentDeclinedError", "Timeout", "TypeError"]);
    expect(found).toHaveLength(stored);
    // Each fingerprint the CLI prints is one the consumer linked to an issue of that type.
    const linked = await Database.use((db) =>
      db.select({ hash: issueHashTable.hash, type: issueTable.type }).from(issueHashTable).innerJoin(issueTable, and(eq(issueTable.workspaceId, issueHashTable.workspaceId), eq(issueTable.id, issueHashTable.issueId))).where(eq(issueHashTable.stageId, stageId)),
    );
    for (const f of found) expect(linked).toContainEqual({ hash: f.fingerprint, type: f.type });
  });

  it("counts and skips malformed records without blocking the others", async () => {
    const kinesis = actAsAccount(
      new KinesisClient({ region: worker.region, endpoint: motoUrl(), credentials: { accessKeyId: "testing", secretAccessKey: "testing" }, requestHandler: new NodeHttpHandler() }),
      seed.accountId,
    );
    await kinesis.send(new PutRecordCommand({ StreamName: EMULATED_STREAM, PartitionKey: "x", Data: Buffer.from("not gzip at all") }));
    await kinesis.send(new PutRecordCommand({ StreamName: EMULATED_STREAM, PartitionKey: "x", Data: gzipSync("{broken json") }));
    const poller = currentEmulatedIssues()!;
    const malformedBefore = poller.totals.malformed;
    const good = await invoke("node", "createOrder", { id: "x", items: [] });
    await putEvents(worker, good.events);
    await drain();
    expect(poller.totals.malformed - malformedBefore).toBe(2);
    expect((await issues()).some((i) => i.type === "ZodError")).toBe(true);
  });

  it("refuses payloads whose owner is not the connection's account", async () => {
    const accounts = (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body;
    const payload = {
      messageType: "DATA_MESSAGE",
      owner: "999999999999",
      logGroup: worker.logGroup,
      logStream: "s",
      subscriptionFilters: [`console-${accounts[0].id}-${worker.region}`],
      logEvents: [{ id: "1", timestamp: Date.now(), message: `${new Date().toISOString()}\t${randomUUID()}\tERROR\tInvoke Error \t{"errorType":"Spoof","errorMessage":"x","stack":["Spoof: x","    at h (/var/task/index.mjs:1:1)"]}` }],
    };
    const result = await Ingest.batch([{ id: "seq-1", data: gzipSync(JSON.stringify(payload)) }]);
    expect(result.stats.unrouted).toBe(1);
    expect((await issues()).some((i) => i.type === "Spoof")).toBe(false);
  });

  it("pauses a workspace past 10,000 issue events an hour, warns, and resumes the next hour", async () => {
    // A fake clock in the middle of an hour (the next one, so nothing real has expired by then):
    // the quota's hour cannot change under the test, whenever it runs.
    const hour = new Date((Math.floor(Date.now() / 3_600_000) + 1) * 3_600_000);
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    vi.setSystemTime(new Date(hour.getTime() + 30 * 60_000));
    onTestFinished(() => {
      vi.useRealTimers();
    });
    await Database.use((db) =>
      db.insert(ingestUsageTable).values({ workspaceId: ws.id, hour, count: HOURLY_LIMIT - 1 }).onDuplicateKeyUpdate({ set: { count: HOURLY_LIMIT - 1 } }),
    );
    const runs = await Promise.all([1, 2, 3].map(() => invoke("node", "quote", { total: 120 })));
    await putEvents(worker, runs.flatMap((r) => r.events));
    await drain();
    const quote = (await issues()).find((i) => /TypeError/.test(i.type) && /toUpperCase/.test(i.message));
    expect(quote?.count).toBe(1);
    const warnings = (await call("GET", `/api/workspaces/${ws.slug}/warnings`, { token })).body as { type: string; message: string }[];
    expect(warnings.find((w) => w.type === "issues_rate_limited")?.message).toContain("resumes on its own");
    const [usage] = await Database.use((db) =>
      db.select().from(ingestUsageTable).where(and(eq(ingestUsageTable.workspaceId, ws.id), eq(ingestUsageTable.hour, hour))),
    );
    expect(usage!.dropped).toBe(2);

    // The next hour, ingestion resumes.
    const later = await invoke("node", "quote", { total: 120 });
    const accounts = (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body;
    const payload = {
      messageType: "DATA_MESSAGE",
      owner: seed.accountId,
      logGroup: worker.logGroup,
      logStream: "next-hour",
      subscriptionFilters: [`console-${accounts[0].id}-${worker.region}`],
      logEvents: later.events.map((e) => ({ id: e.id, timestamp: e.timestamp, message: e.message })),
    };
    const next = await Ingest.batch([{ id: "seq-2", data: gzipSync(JSON.stringify(payload)) }], { now: new Date(hour.getTime() + 3_600_000 + 60_000) });
    expect(next.stats.stored).toBe(1);
    await Database.use((db) => db.delete(ingestUsageTable).where(eq(ingestUsageTable.workspaceId, ws.id)));
  });
});

describe("issue states", () => {
  it("resolves, reopens on a new occurrence (regression), ignores, merges and bulk-acts", async () => {
    const list = await issues();
    const zod = list.find((i) => i.type === "ZodError")!;
    expect((await call("POST", `/api/workspaces/${ws.slug}/issues/resolve`, { token, body: { ids: [zod.id] } })).status).toBe(200);
    expect((await issues("&status=resolved")).map((i) => i.id)).toContain(zod.id);
    const detected: string[] = [];
    const { Bus: bus } = await import("../../packages/core/src/event");
    bus.subscribe({ type: "issue.detected", schema: {} as never }, async (e) => {
      detected.push((e.properties as { reason: string }).reason);
    });
    await new Promise((r) => setTimeout(r, 5));
    const again = await invoke("node", "createOrder", { id: "x", items: [] });
    await putEvents(worker, again.events);
    await drain();
    const back = (await issues()).find((i) => i.id === zod.id)!;
    expect(back.status).toBe("active");
    expect(detected).toContain("regression");

    const ignored = list.find((i) => i.type === "PaymentDeclinedError")!;
    await call("POST", `/api/workspaces/${ws.slug}/issues/ignore`, { token, body: { ids: [ignored.id] } });
    expect((await issues("&status=ignored")).map((i) => i.id)).toContain(ignored.id);
    await call("POST", `/api/workspaces/${ws.slug}/issues/reopen`, { token, body: { ids: [ignored.id] } });

    const [a, b] = (await issues()).filter((i) => i.id !== zod.id);
    const total = a!.count + b!.count;
    const merged = await call("POST", `/api/workspaces/${ws.slug}/issues/merge`, { token, body: { target: a!.id, sources: [b!.id] } });
    expect(merged.status).toBe(200);
    const after = await issues();
    expect(after.find((i) => i.id === b!.id)).toBeUndefined();
    expect(after.find((i) => i.id === a!.id)!.count).toBe(total);
    expectError(await call("GET", `/api/workspaces/${ws.slug}/issues/${b!.id}`, { token }), 404, "not_found");

    const ids = after.map((i) => i.id);
    expect((await call("POST", `/api/workspaces/${ws.slug}/issues/resolve`, { token, body: { ids } })).body.updated).toBe(ids.length);
    expect(await issues()).toEqual([]);
    expectError(await call("POST", `/api/workspaces/${ws.slug}/issues/resolve`, { token, body: { ids: [] } }), 400, "validation");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/issues/resolve`, { token, body: { ids: ["01aaaaaaaaaaaaaaaaaaaaaaaa"] } }), 404, "not_found");
  });
});

describe("taking filters away", () => {
  const ourFilters = async (fn: SeededFunction) =>
    ((await logs(fn.region).send(new DescribeSubscriptionFiltersCommand({ logGroupName: fn.logGroup }))).subscriptionFilters ?? []).filter((f) =>
      f.filterName?.startsWith("console-"),
    );

  it("a stage removed from AWS loses its filters", async () => {
    const removed = seed.stages.find((s) => s.app === "acme-storefront" && s.stage === "production")!;
    const fns = removed.functions.filter((f) => !f.live && f.created);
    for (const f of fns) expect(await ourFilters(f), f.logGroup).toHaveLength(1);
    // `sst remove` leaves an empty state file.
    const { S3Client, PutObjectCommand } = await import("@aws-sdk/client-s3");
    await customerClient(S3Client, seed.accountId, removed.region).send(new PutObjectCommand({ Bucket: removed.bucket, Key: removed.keys[0], Body: new Uint8Array(0) }));
    const accounts = (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body;
    expect((await call("POST", `/api/workspaces/${ws.slug}/accounts/${accounts[0].id}/scan`, { token })).status).toBe(202);
    await Bus.idle();
    const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body as { app: string; name: string }[];
    expect(stages.find((s) => s.app === "acme-storefront" && s.name === "production")).toBeUndefined();
    for (const f of fns) expect(await ourFilters(f), f.logGroup).toEqual([]);
  });

  it("deleting a workspace disconnects its accounts", async () => {
    const other = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    const { token: t } = await signIn();
    const w = await createWorkspace(t);
    await connectAccount(t, w.slug, other.accountId);
    const subscribed = other.functions.filter((f) => !f.live && f.created);
    const filtersOf = async (f: SeededFunction) =>
      ((await customerClient(CloudWatchLogsClient, other.accountId, f.region).send(new DescribeSubscriptionFiltersCommand({ logGroupName: f.logGroup }))).subscriptionFilters ?? []).filter((x) =>
        x.filterName?.startsWith("console-"),
      );
    expect((await Promise.all(subscribed.map(filtersOf))).flat().length).toBeGreaterThan(0);
    expect((await call("DELETE", `/api/workspaces/${w.slug}`, { token: t })).status).toBe(200);
    await Bus.idle();
    expect((await Promise.all(subscribed.map(filtersOf))).flat()).toEqual([]);
  });

  it("disconnect removes every filter the console put in the account", async () => {
    const subscribed = seed.functions.filter((f) => !f.live && f.created);
    expect((await Promise.all(subscribed.map(ourFilters))).flat().length).toBeGreaterThan(0);
    const accounts = (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body;
    expect((await call("DELETE", `/api/workspaces/${ws.slug}/accounts/${accounts[0].id}`, { token })).status).toBe(202);
    await Bus.idle();
    expect((await Promise.all(subscribed.map(ourFilters))).flat()).toEqual([]);
    // Other vendors' filters stay.
    const target = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "NightlyReport")!;
    const left = (await logs(target.region).send(new DescribeSubscriptionFiltersCommand({ logGroupName: target.logGroup }))).subscriptionFilters!;
    expect(left.map((f) => f.filterName)).toEqual(["datadog"]);
  });
});
