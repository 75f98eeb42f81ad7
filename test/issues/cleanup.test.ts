/**
 * Daily housekeeping, on a fixed clock (`now` is passed in): issues unseen for 30 days
 * go (with their rows), recent ones stay; occurrences beyond the latest 50 of an issue
 * go; idempotency keys older than 8 days and usage rows older than 2 days go.
 */
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { createId } from "../../packages/core/src/id";
import { awsAccountTable } from "../../packages/core/src/account/account.sql";
import { ingestSeenTable, issueCountTable, issueHashTable, issueOccurrenceTable, issueTable } from "../../packages/core/src/issue";
import { ingestUsageTable } from "../../packages/core/src/usage";
import { cleanup } from "../../packages/functions/src/cron/cleanup";

const DAY = 86_400_000;
/** The clock of every cleanup here. */
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms);

async function makeIssue(workspaceId: string, lastSeen: Date) {
  const id = createId();
  const stageId = createId();
  const error = { type: "Error", message: "x", frames: [], kind: "invoke" as const, phase: "invoke" as const, timestamp: lastSeen.getTime(), eventIds: [], runtime: "node" as const };
  await Database.use(async (db) => {
    await db.insert(issueTable).values({ workspaceId, id, stageId, type: "Error", message: "x", kind: "invoke", error, count: 1, groupingVersion: 1, timeFirstSeen: lastSeen, timeLastSeen: lastSeen });
    await db.insert(issueHashTable).values({ workspaceId, stageId, hash: createId().padEnd(64, "0"), issueId: id, groupingVersion: 1 });
    await db.insert(issueCountTable).values({ workspaceId, issueId: id, hour: new Date(Math.floor(lastSeen.getTime() / 3_600_000) * 3_600_000), functionName: "f", count: 1 });
    await db.insert(issueOccurrenceTable).values({ workspaceId, id: createId(), issueId: id, stageId, eventId: createId(), functionName: "f", logGroup: "g", logStream: "s", error, lines: [], timeSeen: lastSeen });
  });
  return id;
}

describe("cleanup", () => {
  it("removes issues unseen for 30 days with their hashes, counts and occurrences; keeps the others", async () => {
    const workspaceId = createId();
    const old = await makeIssue(workspaceId, ago(31 * DAY));
    const recent = await makeIssue(workspaceId, ago(29 * DAY));
    await cleanup(now);
    const left = await Database.use((db) => db.select({ id: issueTable.id }).from(issueTable).where(eq(issueTable.workspaceId, workspaceId)));
    expect(left.map((r) => r.id)).toEqual([recent]);
    for (const table of [issueHashTable, issueCountTable, issueOccurrenceTable]) {
      const rows = await Database.use((db) => db.select().from(table).where(and(eq(table.workspaceId, workspaceId), eq(table.issueId, old))));
      expect(rows).toEqual([]);
    }
  });

  it("drops connections that were started and never completed a week ago", async () => {
    const workspaceId = createId();
    const stale = createId();
    const fresh = createId();
    await Database.use((db) =>
      db.insert(awsAccountTable).values([
        { workspaceId, id: stale, externalIdSealed: "v1.a.b.c", method: "stack", status: "connecting", timeCreated: ago(8 * DAY), timeUpdated: ago(8 * DAY) },
        { workspaceId, id: fresh, externalIdSealed: "v1.a.b.c", method: "stack", status: "connecting" },
      ]),
    );
    await cleanup(now);
    const rows = await Database.use((db) => db.select({ id: awsAccountTable.id }).from(awsAccountTable).where(eq(awsAccountTable.workspaceId, workspaceId)));
    expect(rows.map((r) => r.id)).toEqual([fresh]);
  });

  it("keeps the latest 50 occurrences of an issue", async () => {
    const workspaceId = createId();
    const busy = await makeIssue(workspaceId, ago(60_000));
    const quiet = await makeIssue(workspaceId, ago(60_000));
    const error = { type: "Error", message: "x", frames: [], kind: "invoke" as const, phase: "invoke" as const, timestamp: now.getTime(), eventIds: [], runtime: "node" as const };
    // 52 more occurrences of the busy issue, a minute apart, older than the one it was made with.
    await Database.use((db) =>
      db.insert(issueOccurrenceTable).values(
        Array.from({ length: 52 }, (_, i) => ({
          workspaceId,
          id: createId(),
          issueId: busy,
          stageId: createId(),
          eventId: createId(),
          functionName: "f",
          logGroup: "g",
          logStream: "s",
          error,
          lines: [],
          timeSeen: ago((i + 2) * 60_000),
        })),
      ),
    );
    const timesOf = async (issueId: string) =>
      (await Database.use((db) => db.select({ t: issueOccurrenceTable.timeSeen }).from(issueOccurrenceTable).where(and(eq(issueOccurrenceTable.workspaceId, workspaceId), eq(issueOccurrenceTable.issueId, issueId)))))
        .map((r) => r.t.getTime())
        .sort((x, y) => y - x);
    const before = await timesOf(busy);
    expect(before).toHaveLength(53);
    await cleanup(now);
    expect(await timesOf(busy)).toEqual(before.slice(0, 50));
    expect(await timesOf(quiet)).toHaveLength(1);
  });

  it("forgets idempotency keys after 8 days and usage rows after 2", async () => {
    const workspaceId = createId();
    const hour = (t: Date) => new Date(Math.floor(t.getTime() / 3_600_000) * 3_600_000);
    await Database.use(async (db) => {
      await db.insert(ingestSeenTable).values([
        { workspaceId, eventId: "old", timeSeen: ago(8 * DAY + 60_000) },
        { workspaceId, eventId: "recent", timeSeen: ago(7 * DAY) },
      ]);
      await db.insert(ingestUsageTable).values([
        { workspaceId, hour: hour(ago(3 * DAY)), count: 5 },
        { workspaceId, hour: hour(ago(DAY)), count: 7 },
      ]);
    });
    await cleanup(now);
    const keys = await Database.use((db) => db.select({ id: ingestSeenTable.eventId }).from(ingestSeenTable).where(eq(ingestSeenTable.workspaceId, workspaceId)));
    expect(keys.map((k) => k.id)).toEqual(["recent"]);
    const usage = await Database.use((db) => db.select({ count: ingestUsageTable.count }).from(ingestUsageTable).where(eq(ingestUsageTable.workspaceId, workspaceId)));
    expect(usage).toEqual([{ count: 7 }]);
  });
});
