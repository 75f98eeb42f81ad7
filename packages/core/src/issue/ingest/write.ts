/**
 * Write: one workspace's share of a batch, in one transaction of a fixed handful of
 * multi-row statements (they grow with the distinct issues of a batch only through
 * chunking, never with its events):
 *
 * 1. take the hour's quota (../../usage);
 * 2. group (./group.ts);
 * 3. insert the errors' idempotency keys (Kinesis delivers at least once; ingest_seen
 *    remembers keys for 8 days), without waiting; before the commit, when some were there
 *    already (a replay), roll back and start again reading them first, dropping the errors
 *    they belong to;
 * 4. upsert issues, link new hashes, add hourly counts per function, keep the latest
 *    few occurrences per issue;
 *
 * and `issue.detected` for new issues and regressions into the outbox (relayed after commit).
 * The big inserts are written as text directly (./rows.ts), each built while the database
 * runs the one before.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { Actor } from "../../actor";
import { Database, type Tx } from "../../db";
import { Bus } from "../../event";
import { createId } from "../../id";
import { Usage } from "../../usage";
import { hourOf } from "../../util/time";
import { cutBytes, cutChars, TEXT_BYTES } from "../../util/text";
import { IssueEvents } from "../events";
import { ingestSeenTable, issueActivityTable, issueCountTable, issueHashTable, issueOccurrenceTable, issueTable } from "../issue.sql";
import { group } from "./group";
import { affectedRows, errorJson, insertRows, type Literal } from "./rows";
import type { Found, IngestOptions, IngestStats } from "./types";

const OCCURRENCES_PER_ISSUE_PER_BATCH = 5;
const CHUNK = 500;
/** Idempotency keys are short strings: one statement covers a whole batch. */
const KEY_CHUNK = 10_000;

/** Thrown when the keys written unread show a replay: the write starts again, reading the keys first. */
class Replayed extends Error {}

/**
 * Statements sent one at a time, in order, while the next one is being built: the database
 * works on one while this process builds the next (the connection still has one in flight).
 * `send` resolves once the statement is sent, with its result to come (awaited by whoever
 * needs it; a failure is also raised by the next `send` or by `done`).
 */
function sender(tx: Tx) {
  let inflight: Promise<unknown> | undefined;
  return {
    async send(query: SQL): Promise<{ result: Promise<unknown> }> {
      const previous = inflight;
      inflight = undefined;
      if (previous) await previous;
      const started = tx.execute(query);
      // Not swallowed: the failure is raised by the next `send` or by `done` (both await this
      // statement) and by whoever awaits `result`; this only keeps Node from reporting it as
      // unhandled in the meantime.
      started.catch(() => {});
      inflight = started;
      return { result: started };
    },
    async done() {
      const previous = inflight;
      inflight = undefined;
      if (previous) await previous;
    },
  };
}

/** Writes one workspace's errors. Returns the ids of new and regressed issues (published after commit). */
export async function write(workspaceId: string, found: Found[], stats: IngestStats, options: IngestOptions): Promise<string[]> {
  const before = { ...stats };
  try {
    return await writeOnce(workspaceId, found, stats, options, "write-keys");
  } catch (err) {
    if (!(err instanceof Replayed)) throw err;
    // The rolled-back attempt counted nothing.
    Object.assign(stats, before);
    return writeOnce(workspaceId, found, stats, options, "read-keys");
  }
}

/**
 * `write-keys`: the idempotency keys are inserted (`insert ignore`) with the rest, unread;
 * when every one was new, which is the rule, nothing was ingested before and no read was
 * needed. Otherwise the transaction is rolled back before its commit (Replayed) and the write
 * runs `read-keys`: the keys already ingested are read first, their errors dropped, and only
 * the new keys written.
 */
async function writeOnce(workspaceId: string, found: Found[], stats: IngestStats, options: IngestOptions, mode: "write-keys" | "read-keys"): Promise<string[]> {
  const now = options.now ?? new Date();
  return Database.transaction(async (tx) => {
    const keys = [...new Set(found.map((f) => f.key))];
    const seen = new Set<string>();
    if (mode === "read-keys") {
      // Idempotency: drop errors whose first log event was ingested already.
      for (let i = 0; i < keys.length; i += KEY_CHUNK) {
        const rows = await tx
          .select({ eventId: ingestSeenTable.eventId })
          .from(ingestSeenTable)
          .where(and(eq(ingestSeenTable.workspaceId, workspaceId), inArray(ingestSeenTable.eventId, keys.slice(i, i + KEY_CHUNK))));
        for (const r of rows) seen.add(r.eventId);
      }
    }
    const fresh: Found[] = [];
    const batchKeys = new Set<string>();
    for (const f of found) {
      if (seen.has(f.key) || batchKeys.has(f.key)) {
        stats.duplicates++;
        continue;
      }
      batchKeys.add(f.key);
      fresh.push(f);
    }
    if (!fresh.length) return [];
    const q = sender(tx);
    // What is ingested is remembered (the rate-limited ones too: they are not retried). In
    // `write-keys` every key goes in, sent without waiting while the rest is written; the
    // count of keys that were new is checked before the commit.
    const keyWrites: Promise<unknown>[] = [];
    const rememberKeys = async () => {
      const rememberedKeys = mode === "write-keys" ? keys : fresh.map((f) => f.key);
      for (let i = 0; i < rememberedKeys.length; i += KEY_CHUNK) {
        const chunk = rememberedKeys.slice(i, i + KEY_CHUNK);
        const { result } = await q.send(insertRows(ingestSeenTable, ["workspaceId", "eventId", "timeSeen"], chunk.map((k) => [workspaceId, k, now]), { ignore: true }));
        keyWrites.push(result);
      }
    };
    /** `write-keys`: a key that was there already means a replay: start again, reading the keys first. */
    const checkKeys = async () => {
      await q.done();
      if (mode !== "write-keys") return;
      let inserted = 0;
      for (const w of keyWrites) {
        const n = affectedRows(await w);
        if (n === undefined) throw new Replayed();
        inserted += n;
      }
      if (inserted !== keys.length) throw new Replayed();
    };

    // The hourly quota.
    const admission = await Usage.admitIssueEvents(tx, workspaceId, fresh.length, now);
    const accepted = fresh.slice(0, admission.accepted);
    stats.limited += admission.dropped;
    const announce = async () => {
      if (admission.crossed) await Usage.announceLimited(workspaceId, admission.hour);
    };
    if (!accepted.length) {
      await rememberKeys();
      await checkKeys();
      await Database.afterCommit(announce);
      return [];
    }

    // Which issue each error joins.
    const { updates: all, issueOf } = await group(tx, workspaceId, accepted);
    stats.distinctIssues += all.length;
    await rememberKeys();

    const own = sql`(${issueTable.primaryHash} is null or ${issueTable.primaryHash} = values(${issueTable.primaryHash}))`;
    const regressed = sql`(${issueTable.status} = 'resolved' and (${issueTable.timeResolved} is null or values(${issueTable.timeLastSeen}) > ${issueTable.timeResolved}))`;
    const onDuplicate = {
      count: sql`${issueTable.count} + values(${issueTable.count})`,
      // The title and the shown error follow the issue's own fingerprint only (never one merged in).
      error: sql`if(values(${issueTable.timeLastSeen}) >= ${issueTable.timeLastSeen} and ${own}, values(${issueTable.error}), ${issueTable.error})`,
      message: sql`if(values(${issueTable.timeLastSeen}) >= ${issueTable.timeLastSeen} and ${own}, values(${issueTable.message}), ${issueTable.message})`,
      functionName: sql`if(values(${issueTable.timeLastSeen}) >= ${issueTable.timeLastSeen}, values(${issueTable.functionName}), ${issueTable.functionName})`,
      timeRegressed: sql`if(${regressed}, values(${issueTable.timeLastSeen}), ${issueTable.timeRegressed})`,
      status: sql`if(${issueTable.status} = 'resolved' and (${issueTable.timeResolved} is null or values(${issueTable.timeLastSeen}) > ${issueTable.timeResolved}), 'active', ${issueTable.status})`,
      timeResolved: sql`if(${issueTable.status} = 'active', null, ${issueTable.timeResolved})`,
      timeFirstSeen: sql`least(${issueTable.timeFirstSeen}, values(${issueTable.timeFirstSeen}))`,
      timeLastSeen: sql`greatest(${issueTable.timeLastSeen}, values(${issueTable.timeLastSeen}))`,
      timeUpdated: sql`now(3)`,
      primaryHash: sql`coalesce(${issueTable.primaryHash}, values(${issueTable.primaryHash}))`,
    };
    // Issues: new ones inserted and existing ones updated by one upsert per chunk.
    // Assignments run left to right (in the table's column order), so the columns compared against come last.
    const written = new Date();
    for (let i = 0; i < all.length; i += CHUNK) {
      const rows = all.slice(i, i + CHUNK).map((u) => {
        const e = u.latest.extracted;
        return [
          workspaceId,
          u.id,
          u.stageId,
          cutChars(e.error.type, 255),
          cutBytes(e.error.message, TEXT_BYTES),
          e.error.kind,
          errorJson(e.error),
          u.latest.fn.name,
          "active",
          u.count,
          e.fingerprint.version,
          JSON.stringify({ basis: e.fingerprint.basis, components: e.fingerprint.components }),
          written,
          written,
          new Date(u.first),
          new Date(u.last),
          // An error that carries the issue's own hash among its hashes is still its own (a mapped
          // stack that took over from its minified one); one merged in is not.
          u.issuePrimary && e.fingerprint.hashes.includes(u.issuePrimary) ? u.issuePrimary : e.fingerprint.hash,
        ];
      });
      await q.send(
        insertRows(
          issueTable,
          ["workspaceId", "id", "stageId", "type", "message", "kind", "error", "functionName", "status", "count", "groupingVersion", "groupingBasis", "timeCreated", "timeUpdated", "timeFirstSeen", "timeLastSeen", "primaryHash"],
          rows,
          { onDuplicate },
        ),
      );
    }

    // Hashes that were not yet linked (new issues, or a new variant of a known one).
    const hashRows = all.flatMap((u) => [...u.hashes].map((hash) => [workspaceId, u.stageId, hash, u.id, u.latest.extracted.fingerprint.version]));
    for (let i = 0; i < hashRows.length; i += CHUNK) {
      await q.send(insertRows(issueHashTable, ["workspaceId", "stageId", "hash", "issueId", "groupingVersion"], hashRows.slice(i, i + CHUNK), { ignore: true }));
    }

    // Hourly counts per function.
    const counts = new Map<string, { issueId: string; hour: Date; functionName: string; count: number }>();
    for (const f of accepted) {
      const issueId = issueOf.get(`${f.fn.stageId}|${f.extracted.fingerprint.hash}`)!;
      const h = hourOf(f.extracted.error.timestamp);
      const key = `${issueId}|${h.getTime()}|${f.fn.name}`;
      const c = counts.get(key);
      if (c) c.count++;
      else counts.set(key, { issueId, hour: h, functionName: f.fn.name, count: 1 });
    }
    const countRows = [...counts.values()].map((c) => [workspaceId, c.issueId, c.hour, c.functionName, c.count]);
    for (let i = 0; i < countRows.length; i += CHUNK) {
      await q.send(
        insertRows(issueCountTable, ["workspaceId", "issueId", "hour", "functionName", "count"], countRows.slice(i, i + CHUNK), {
          onDuplicate: { count: sql`${issueCountTable.count} + values(${issueCountTable.count})` },
        }),
      );
    }

    // The latest few occurrences per issue, with the lines they were read from.
    const perIssue = new Map<string, number>();
    const occurrences: { id: string; issueId: string; eventId: string; row: Literal[] }[] = [];
    for (const f of [...accepted].sort((a, b) => b.extracted.error.timestamp - a.extracted.error.timestamp)) {
      const issueId = issueOf.get(`${f.fn.stageId}|${f.extracted.fingerprint.hash}`)!;
      const n = perIssue.get(issueId) ?? 0;
      if (n >= OCCURRENCES_PER_ISSUE_PER_BATCH) continue;
      perIssue.set(issueId, n + 1);
      const id = createId();
      occurrences.push({
        id,
        issueId,
        eventId: f.key,
        row: [
          workspaceId,
          id,
          issueId,
          f.fn.stageId,
          f.key,
          f.extracted.error.requestId ? cutChars(f.extracted.error.requestId, 64) : null,
          f.fn.name,
          f.fn.logGroup,
          cutChars(f.logStream, 512),
          errorJson(f.extracted.error),
          JSON.stringify(f.lines),
          new Date(f.extracted.error.timestamp),
        ],
      });
    }
    for (let i = 0; i < occurrences.length; i += CHUNK) {
      await q.send(
        insertRows(
          issueOccurrenceTable,
          ["workspaceId", "id", "issueId", "stageId", "eventId", "requestId", "functionName", "logGroup", "logStream", "error", "lines", "timeSeen"],
          occurrences.slice(i, i + CHUNK).map((o) => o.row),
        ),
      );
    }

    // Regressions on the issues' timelines, with the occurrence that brought each back.
    const activity = all
      .filter((u) => u.regression)
      .map((u) => {
        const occ = occurrences.find((o) => o.eventId === u.latest.key && o.issueId === u.id);
        return {
          workspaceId,
          id: createId(),
          issueId: u.id,
          kind: "regressed" as const,
          actorType: "system",
          actorEmail: null,
          data: {
            occurrence: {
              id: occ?.id ?? null,
              functionName: u.latest.fn.name,
              requestId: u.latest.extracted.error.requestId ?? null,
              message: cutChars(u.latest.extracted.error.message, 200),
              timeSeen: new Date(u.last).toISOString(),
            },
          },
          timeCreated: new Date(u.last),
        };
      });
    await checkKeys();
    for (let i = 0; i < activity.length; i += CHUNK) {
      await tx.insert(issueActivityTable).values(activity.slice(i, i + CHUNK));
    }

    stats.stored += accepted.length;
    for (const u of all) {
      if (u.isNew) stats.newIssues++;
      if (u.regression) stats.regressions++;
    }
    const publish = all.filter((u) => u.isNew || u.regression);
    // Into the outbox with the issues themselves: relayed after commit, never lost.
    await Actor.system("ingest", { id: workspaceId, slug: "" }, async () => {
      for (const u of publish) await Bus.publish(IssueEvents.Detected, { issueId: u.id, stageId: u.stageId, reason: u.isNew ? "new" : "regression" });
    });
    await Database.afterCommit(announce);
    return publish.map((u) => u.id);
  });
}
