/**
 * The Kinesis consumer as Lambda runs it (packages/functions/src/issues/consumer.ts):
 * a batch spanning two workspaces whose write fails for one of them reports exactly
 * that workspace's records in `batchItemFailures` (by sequence number), keeps the
 * other's issues, never names a malformed or unroutable record, and a replay of the
 * whole batch counts the stored errors once.
 *
 * The failure is a real one: a trigger in the database refuses that workspace's
 * issue rows, so its transaction rolls back.
 */
import { randomBytes, randomInt } from "node:crypto";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { createId, sha256 } from "../../packages/core/src/id";
import { awsAccountTable } from "../../packages/core/src/account/account.sql";
import { appTable, functionTable, stageTable } from "../../packages/core/src/app/app.sql";
import { Ingest, issueTable } from "../../packages/core/src/issue";
import { ingestUsageTable } from "../../packages/core/src/usage";
import { filterName } from "../../packages/core/src/issue/subscription";
import { handler } from "../../packages/functions/src/issues/consumer";
import { invoke } from "@console/testkit/programs";

const REGION = "us-east-1";
const trigger = `test_refuse_${randomBytes(4).toString("hex")}`;

interface Tenant {
  workspaceId: string;
  connectionId: string;
  accountId: string;
  logGroup: string;
}

/** A workspace with a connected account and one deployed function, as discovery leaves them. */
async function tenant(): Promise<Tenant> {
  const workspaceId = createId();
  const connectionId = createId();
  const accountId = String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999));
  const appId = createId();
  const stageId = createId();
  const name = `shop-production-Worker-${randomBytes(4).toString("hex")}`;
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
      component: "Worker",
      name,
      arn: `arn:aws:lambda:${REGION}:${accountId}:function:${name}`,
      region: REGION,
      accountId,
      runtime: "python3.12",
      logGroup,
    });
  });
  return { workspaceId, connectionId, accountId, logGroup };
}

/** A Kinesis record as Lambda hands it over: the subscription payload, gzipped, in base64. */
function record(sequenceNumber: string, data: Buffer) {
  return { kinesis: { sequenceNumber, data: data.toString("base64"), approximateArrivalTimestamp: Date.now() / 1000 } };
}

async function payload(t: Tenant) {
  const run = await invoke("python", "price_quote", { sku: "sku-404" });
  return gzipSync(
    JSON.stringify({
      messageType: "DATA_MESSAGE",
      owner: t.accountId,
      logGroup: t.logGroup,
      logStream: `2026/11/22/[$LATEST]${randomBytes(16).toString("hex")}`,
      subscriptionFilters: [filterName(t.connectionId, REGION)],
      logEvents: run.events.map((e) => ({ id: e.id, timestamp: e.timestamp, message: e.message })),
    }),
  );
}

async function issuesOf(t: Tenant) {
  return Database.use((db) => db.select({ type: issueTable.type, count: issueTable.count }).from(issueTable).where(eq(issueTable.workspaceId, t.workspaceId)));
}

let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  [a, b] = await Promise.all([tenant(), tenant()]);
  Ingest.clearCaches();
  await Database.use((db) =>
    db.execute(
      sql.raw(
        `create trigger ${trigger} before insert on issue for each row begin if new.workspace_id = '${b.workspaceId}' then signal sqlstate '45000' set message_text = 'refused by the test'; end if; end`,
      ),
    ),
  );
});

afterAll(async () => {
  await Database.use((db) => db.execute(sql.raw(`drop trigger if exists ${trigger}`)));
});

describe("the consumer's partial batch failures", () => {
  it("names only the records of the workspace whose write failed, then a replay counts each error once", async () => {
    const [a1, a2, b1, b2] = await Promise.all([payload(a), payload(a), payload(b), payload(b)]);
    const stranger = { ...a, accountId: "999999999999" };
    const event = {
      Records: [
        record("seq-a1", a1),
        record("seq-b1", b1),
        record("seq-bad", Buffer.from("not a payload")),
        record("seq-a2", a2),
        record("seq-spoof", await payload(stranger)),
        record("seq-b2", b2),
      ],
    };
    const first = await handler(event);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: "seq-b1" }, { itemIdentifier: "seq-b2" }]);
    expect(await issuesOf(a)).toEqual([{ type: "KeyError", count: 2 }]);
    expect(await issuesOf(b)).toEqual([]);
    // The failed workspace's quota was not spent: its transaction rolled back.
    const usageB = await Database.use((db) => db.select().from(ingestUsageTable).where(eq(ingestUsageTable.workspaceId, b.workspaceId)));
    expect(usageB).toEqual([]);

    // Lambda retries; this time the write goes through. The records already stored count once.
    await Database.use((db) => db.execute(sql.raw(`drop trigger if exists ${trigger}`)));
    const second = await handler(event);
    expect(second.batchItemFailures).toEqual([]);
    expect(await issuesOf(a)).toEqual([{ type: "KeyError", count: 2 }]);
    expect(await issuesOf(b)).toEqual([{ type: "KeyError", count: 2 }]);
    const usageA = await Database.use((db) =>
      db.select({ count: ingestUsageTable.count, dropped: ingestUsageTable.dropped }).from(ingestUsageTable).where(and(eq(ingestUsageTable.workspaceId, a.workspaceId))),
    );
    expect(usageA).toEqual([{ count: 2, dropped: 0 }]);
  });

  it("a batch that is partly a replay stores and counts only its new errors, whatever came before in the transaction", async () => {
    const c = await tenant();
    const [p1, p2, p3] = await Promise.all([payload(c), payload(c), payload(c)]);
    const first = await Ingest.batch([{ id: "r1", data: p1.toString("base64") }]);
    expect(first.stats).toMatchObject({ stored: 1, duplicates: 0, newIssues: 1, distinctIssues: 1 });
    // r1 again, beside two new records: the keys written with the rest show the replay, the
    // transaction starts again reading them first, and the counts are those of the second run.
    const second = await Ingest.batch([
      { id: "r1", data: p1.toString("base64") },
      { id: "r2", data: p2.toString("base64") },
      { id: "r3", data: p3.toString("base64") },
    ]);
    expect(second.failed).toEqual([]);
    expect(second.stats).toMatchObject({ stored: 2, duplicates: 1, newIssues: 0, distinctIssues: 1, limited: 0 });
    expect(await issuesOf(c)).toEqual([{ type: "KeyError", count: 3 }]);
    const usage = await Database.use((db) => db.select({ count: ingestUsageTable.count }).from(ingestUsageTable).where(eq(ingestUsageTable.workspaceId, c.workspaceId)));
    expect(usage.reduce((n, u) => n + u.count, 0)).toBe(3);
  });
});
