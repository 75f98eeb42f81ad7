/**
 * No poison records (issue 7, item 4):
 *
 * - an 80 KB error line of multibyte text is stored (its message cut by bytes, on a
 *   character boundary, to fit the TEXT column);
 * - a record whose write always fails (a database trigger refuses its issue row) is
 *   retried a few times, then dead-lettered: counted, listed by GET .../dead-letters,
 *   shown as a warning, and the records behind it are processed, both through the
 *   Lambda consumer (partial batch failures) and through the local poller.
 */
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { KinesisClient, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Database } from "../../packages/core/src/db";
import { Actor } from "../../packages/core/src/actor";
import { createId, sha256 } from "../../packages/core/src/id";
import { awsAccountTable } from "../../packages/core/src/account/account.sql";
import { appTable, functionTable, stageTable } from "../../packages/core/src/app/app.sql";
import { DeadLetters, Ingest, issueTable, MAX_ATTEMPTS } from "../../packages/core/src/issue";
import { filterName } from "../../packages/core/src/issue/subscription";
import { handler } from "../../packages/functions/src/issues/consumer";
import { currentEmulatedIssues, EMULATED_STREAM } from "../../packages/functions/src/local/kinesis";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { actAsAccount } from "@console/testkit/aws";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";

const REGION = "us-east-1";
const MARK = `POISON${randomBytes(4).toString("hex")}`;
const trigger = `test_poison_${randomBytes(4).toString("hex")}`;

interface Tenant {
  workspaceId: string;
  connectionId: string;
  accountId: string;
  logGroup: string;
}

async function tenant(): Promise<Tenant> {
  const workspaceId = createId();
  const connectionId = createId();
  const accountId = String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999));
  const appId = createId();
  const stageId = createId();
  const name = `shop-production-Api-${randomBytes(4).toString("hex")}`;
  const logGroup = `/aws/lambda/${name}`;
  await Database.use(async (db) => {
    await db.insert(awsAccountTable).values({ workspaceId, id: connectionId, accountId, externalIdSealed: "v1.a.b.c", method: "stack", status: "connected" });
    await db.insert(appTable).values({ workspaceId, id: appId, name: "shop" });
    await db.insert(stageTable).values({ workspaceId, id: stageId, appId, connectionId, region: REGION, name: "production", version: "v3", contentHash: "x", sourceTag: "x" });
    await db.insert(functionTable).values({
      workspaceId,
      id: createId(),
      stageId,
      keyHash: sha256(name),
      component: "Api",
      name,
      arn: `arn:aws:lambda:${REGION}:${accountId}:function:${name}`,
      region: REGION,
      accountId,
      runtime: "nodejs22.x",
      logGroup,
    });
  });
  return { workspaceId, connectionId, accountId, logGroup };
}

/** A Node "Invoke Error" line with this error type and message. */
function errorLine(type: string, message: string) {
  const body = JSON.stringify({ errorType: type, errorMessage: message, stack: [`${type}: ${message.slice(0, 40)}`, "    at handler (file:///var/task/index.mjs:1:10)"] });
  return `${new Date().toISOString()}\t${randomUUID()}\tERROR\tInvoke Error \t${body}`;
}

let eventId = 0;
function payload(t: { accountId: string; logGroup: string; connectionId: string }, message: string) {
  const id = `${Date.now()}${String(++eventId).padStart(6, "0")}${randomInt(1e9)}`.slice(0, 56);
  return gzipSync(
    JSON.stringify({
      messageType: "DATA_MESSAGE",
      owner: t.accountId,
      logGroup: t.logGroup,
      logStream: `2026/11/22/[$LATEST]${randomBytes(16).toString("hex")}`,
      subscriptionFilters: [filterName(t.connectionId, REGION)],
      logEvents: [{ id, timestamp: Date.now(), message }],
    }),
  );
}

function kinesisEvent(records: [string, Buffer][]) {
  return { Records: records.map(([sequenceNumber, data]) => ({ kinesis: { sequenceNumber, data: data.toString("base64"), approximateArrivalTimestamp: Date.now() / 1000 } })) };
}

async function issuesOf(workspaceId: string) {
  return Database.use((db) => db.select({ type: issueTable.type, message: issueTable.message }).from(issueTable).where(eq(issueTable.workspaceId, workspaceId)));
}

beforeAll(async () => {
  Ingest.clearCaches();
  await Database.use((db) =>
    db.execute(
      sql.raw(`create trigger ${trigger} before insert on issue for each row begin if new.message like '%${MARK}%' then signal sqlstate '45000' set message_text = 'refused by the test'; end if; end`),
    ),
  );
});

afterAll(async () => {
  await Database.use((db) => db.execute(sql.raw(`drop trigger if exists ${trigger}`)));
});

describe("the consumer", () => {
  it("stores an 80 KB error line of multibyte text, its message cut by bytes", async () => {
    const t = await tenant();
    const message = "価格が見つかりません🙂".repeat(3000); // ~101 KB of UTF-8, 36,000 UTF-16 units
    const line = errorLine("PriceError", message);
    expect(Buffer.byteLength(line)).toBeGreaterThan(80_000);
    const res = await handler(kinesisEvent([["seq-big", payload(t, line)]]));
    expect(res.batchItemFailures).toEqual([]);
    const [issue] = await issuesOf(t.workspaceId);
    expect(issue!.type).toBe("PriceError");
    expect(Buffer.byteLength(issue!.message)).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(issue!.message)).toBeGreaterThan(60_000);
    expect(issue!.message).not.toContain("\uFFFD");
  });

  it("retries a record that always fails, then dead-letters it; the records behind it are processed", async () => {
    const t = await tenant();
    const event = kinesisEvent([
      ["seq-1", payload(t, errorLine("GoodError", "before"))],
      ["seq-2", payload(t, errorLine("PoisonError", `refused ${MARK}`))],
      ["seq-3", payload(t, errorLine("LaterError", "after"))],
    ]);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      const res = await handler(event);
      expect(res.batchItemFailures).toEqual([{ itemIdentifier: "seq-2" }]);
    }
    expect((await issuesOf(t.workspaceId)).map((i) => i.type).sort()).toEqual(["GoodError", "LaterError"]);
    const last = await handler(event);
    expect(last.batchItemFailures).toEqual([]);
    // Once dead, it stays given up (a replay of the batch does not retry it).
    expect((await handler(event)).batchItemFailures).toEqual([]);

    const listed = await Actor.system("test", { id: t.workspaceId, slug: "" }, () => DeadLetters.list());
    expect(listed.count).toBe(1);
    expect(listed.deadLetters[0]).toMatchObject({ connectionId: t.connectionId, region: REGION, recordId: "seq-2", attempts: MAX_ATTEMPTS });
    expect(listed.deadLetters[0]!.reason).toContain("refused by the test");
    expect(listed.deadLetters[0]!.excerpt).toContain(MARK);
    expect(listed.deadLetters[0]!.excerpt).toContain(t.logGroup);
  });

  it("does not count an outage as an attempt: the batch is retried as it is", async () => {
    const t = await tenant();
    const original = Database.transaction;
    let calls = 0;
    // The database is away for this workspace's writes: every transaction fails to connect.
    (Database as { transaction: typeof Database.transaction }).transaction = (async () => {
      calls++;
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" });
    }) as typeof Database.transaction;
    try {
      const event = kinesisEvent([["seq-a", payload(t, errorLine("OutageError", "a"))], ["seq-b", payload(t, errorLine("OutageError2", "b"))]]);
      for (let i = 0; i < MAX_ATTEMPTS + 1; i++) {
        const res = await handler(event);
        expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["seq-a", "seq-b"]);
      }
    } finally {
      (Database as { transaction: typeof Database.transaction }).transaction = original;
    }
    expect(calls).toBeGreaterThan(0);
    const listed = await Actor.system("test", { id: t.workspaceId, slug: "" }, () => DeadLetters.list());
    expect(listed.count).toBe(0);
  });
});

describe("the local poller", () => {
  let seed: SeedResult;
  beforeAll(async () => {
    seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  }, 120_000);

  it("moves past a record that always fails, and shows it to the workspace", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const conn = await connectAccount(token, ws.slug, seed.accountId);
    const fn = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "Api")!;
    const kinesis = actAsAccount(
      new KinesisClient({ region: fn.region, endpoint: motoUrl(), credentials: { accessKeyId: "testing", secretAccessKey: "testing" }, requestHandler: new NodeHttpHandler() }),
      seed.accountId,
    );
    const source = { accountId: seed.accountId, logGroup: fn.logGroup, connectionId: conn.id };
    const put = (message: string) =>
      kinesis.send(new PutRecordCommand({ StreamName: EMULATED_STREAM, PartitionKey: randomUUID(), Data: payload({ ...source }, message) }));
    const poller = currentEmulatedIssues()!;
    await poller.drain();
    const before = poller.totals.deadLettered;

    await put(errorLine("PoisonError", `refused ${MARK}`));
    await put(errorLine("BehindError", "the record after the poison one"));
    await poller.drain();
    expect(poller.totals.deadLettered - before).toBe(1);

    // A later record is not held back either.
    await put(errorLine("LaterStillError", "a later record"));
    await poller.drain();

    const issues = (await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues as { type: string }[];
    expect(issues.map((i) => i.type)).toEqual(expect.arrayContaining(["BehindError", "LaterStillError"]));
    expect(issues.map((i) => i.type)).not.toContain("PoisonError");

    const dead = await call("GET", `/api/workspaces/${ws.slug}/dead-letters`, { token });
    expect(dead.status).toBe(200);
    expect(dead.body.count).toBe(1);
    expect(dead.body.deadLetters[0].excerpt).toContain(MARK);
    expect(dead.body.deadLetters[0].connectionId).toBe(conn.id);
    const warnings = (await call("GET", `/api/workspaces/${ws.slug}/warnings`, { token })).body as { type: string; data: { count: number } }[];
    expect(warnings.find((w) => w.type === "issues_dead_lettered")?.data.count).toBe(1);

    // Another workspace sees none of it.
    const other = await createWorkspace(token);
    expect((await call("GET", `/api/workspaces/${other.slug}/dead-letters`, { token })).body.count).toBe(0);
  });
});
