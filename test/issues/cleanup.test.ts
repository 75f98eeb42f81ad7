/** Daily housekeeping: issues unseen for 30 days go (with their rows); recent ones stay. */
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { createId } from "../../packages/core/src/id";
import { awsAccountTable } from "../../packages/core/src/account/account.sql";
import { issueCountTable, issueHashTable, issueOccurrenceTable, issueTable } from "../../packages/core/src/issue";
import { cleanup } from "../../packages/functions/src/cron/cleanup";

const DAY = 86_400_000;

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
    const old = await makeIssue(workspaceId, new Date(Date.now() - 31 * DAY));
    const recent = await makeIssue(workspaceId, new Date(Date.now() - 29 * DAY));
    await cleanup();
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
        { workspaceId, id: stale, externalIdSealed: "v1.a.b.c", method: "stack", status: "connecting", timeCreated: new Date(Date.now() - 8 * DAY), timeUpdated: new Date(Date.now() - 8 * DAY) },
        { workspaceId, id: fresh, externalIdSealed: "v1.a.b.c", method: "stack", status: "connecting" },
      ]),
    );
    await cleanup();
    const rows = await Database.use((db) => db.select({ id: awsAccountTable.id }).from(awsAccountTable).where(eq(awsAccountTable.workspaceId, workspaceId)));
    expect(rows.map((r) => r.id)).toEqual([fresh]);
  });
});
