/**
 * Write: one workspace's share of a batch, in one transaction of a fixed handful of
 * multi-row statements (they grow with the distinct issues of a batch only through
 * chunking, never with its events):
 *
 * 1. drop errors whose first log event was ingested already (Kinesis delivers at
 *    least once; ingest_seen remembers keys for 8 days);
 * 2. take the hour's quota (../../usage);
 * 3. group (./group.ts);
 * 4. upsert issues, link new hashes, add hourly counts per function, keep the latest
 *    few occurrences per issue, remember the keys;
 *
 * and `issue.detected` for new issues and regressions into the outbox (relayed after commit).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { Actor } from "../../actor";
import { Database } from "../../db";
import { Bus } from "../../event";
import { createId } from "../../id";
import { Usage } from "../../usage";
import { hourOf } from "../../util/time";
import { cutBytes, cutChars, TEXT_BYTES } from "../../util/text";
import { IssueEvents } from "../events";
import { ingestSeenTable, issueActivityTable, issueCountTable, issueHashTable, issueOccurrenceTable, issueTable } from "../issue.sql";
import { group } from "./group";
import type { Found, IngestOptions, IngestStats } from "./types";

const OCCURRENCES_PER_ISSUE_PER_BATCH = 5;
const CHUNK = 500;
/** Idempotency keys are short strings: one statement covers a whole batch. */
const KEY_CHUNK = 10_000;

/** Writes one workspace's errors. Returns the ids of new and regressed issues (published after commit). */
export async function write(workspaceId: string, found: Found[], stats: IngestStats, options: IngestOptions): Promise<string[]> {
  const now = options.now ?? new Date();
  return Database.transaction(async (tx) => {
    // Idempotency: drop errors whose first log event was ingested already.
    const keys = [...new Set(found.map((f) => f.key))];
    const seen = new Set<string>();
    for (let i = 0; i < keys.length; i += KEY_CHUNK) {
      const rows = await tx
        .select({ eventId: ingestSeenTable.eventId })
        .from(ingestSeenTable)
        .where(and(eq(ingestSeenTable.workspaceId, workspaceId), inArray(ingestSeenTable.eventId, keys.slice(i, i + KEY_CHUNK))));
      for (const r of rows) seen.add(r.eventId);
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

    // The hourly quota.
    const admission = await Usage.admitIssueEvents(tx, workspaceId, fresh.length, now);
    const accepted = fresh.slice(0, admission.accepted);
    stats.limited += admission.dropped;
    const announce = async () => {
      if (admission.crossed) await Usage.announceLimited(workspaceId, admission.hour);
    };
    if (!accepted.length) {
      await Database.afterCommit(announce);
      return [];
    }

    // Which issue each error joins.
    const { updates: all, issueOf } = await group(tx, workspaceId, accepted);
    stats.distinctIssues += all.length;

    const own = sql`(${issueTable.primaryHash} is null or ${issueTable.primaryHash} = values(${issueTable.primaryHash}))`;
    const regressed = sql`(${issueTable.status} = 'resolved' and (${issueTable.timeResolved} is null or values(${issueTable.timeLastSeen}) > ${issueTable.timeResolved}))`;
    // Issues: new ones inserted and existing ones updated by one upsert per chunk.
    // Assignments run left to right, so the columns compared against come last.
    for (let i = 0; i < all.length; i += CHUNK) {
      await tx
        .insert(issueTable)
        .values(
          all.slice(i, i + CHUNK).map((u) => {
            const e = u.latest.extracted;
            return {
              workspaceId,
              id: u.id,
              stageId: u.stageId,
              type: cutChars(e.error.type, 255),
              message: cutBytes(e.error.message, TEXT_BYTES),
              kind: e.error.kind,
              error: e.error,
              functionName: u.latest.fn.name,
              status: "active" as const,
              count: u.count,
              groupingVersion: e.fingerprint.version,
              groupingBasis: { basis: e.fingerprint.basis, components: e.fingerprint.components },
              timeFirstSeen: new Date(u.first),
              timeLastSeen: new Date(u.last),
              // An error that carries the issue's own hash among its hashes is still its own (a mapped
              // stack that took over from its minified one); one merged in is not.
              primaryHash: u.issuePrimary && e.fingerprint.hashes.includes(u.issuePrimary) ? u.issuePrimary : e.fingerprint.hash,
            };
          }),
        )
        .onDuplicateKeyUpdate({
          set: {
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
          },
        });
    }

    // Hashes that were not yet linked (new issues, or a new variant of a known one).
    const hashRows = all.flatMap((u) =>
      [...u.hashes].map((hash) => ({ workspaceId, stageId: u.stageId, hash, issueId: u.id, groupingVersion: u.latest.extracted.fingerprint.version })),
    );
    for (let i = 0; i < hashRows.length; i += CHUNK) {
      await tx.insert(issueHashTable).ignore().values(hashRows.slice(i, i + CHUNK));
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
    const countRows = [...counts.values()].map((c) => ({ workspaceId, ...c }));
    for (let i = 0; i < countRows.length; i += CHUNK) {
      await tx
        .insert(issueCountTable)
        .values(countRows.slice(i, i + CHUNK))
        .onDuplicateKeyUpdate({ set: { count: sql`${issueCountTable.count} + values(${issueCountTable.count})` } });
    }

    // The latest few occurrences per issue, with the lines they were read from.
    const perIssue = new Map<string, number>();
    const occurrences: (typeof issueOccurrenceTable.$inferInsert)[] = [];
    for (const f of [...accepted].sort((a, b) => b.extracted.error.timestamp - a.extracted.error.timestamp)) {
      const issueId = issueOf.get(`${f.fn.stageId}|${f.extracted.fingerprint.hash}`)!;
      const n = perIssue.get(issueId) ?? 0;
      if (n >= OCCURRENCES_PER_ISSUE_PER_BATCH) continue;
      perIssue.set(issueId, n + 1);
      occurrences.push({
        workspaceId,
        id: createId(),
        issueId,
        stageId: f.fn.stageId,
        eventId: f.key,
        requestId: f.extracted.error.requestId ? cutChars(f.extracted.error.requestId, 64) : null,
        functionName: f.fn.name,
        logGroup: f.fn.logGroup,
        logStream: cutChars(f.logStream, 512),
        error: f.extracted.error,
        lines: f.lines,
        timeSeen: new Date(f.extracted.error.timestamp),
      });
    }
    for (let i = 0; i < occurrences.length; i += CHUNK) {
      await tx.insert(issueOccurrenceTable).values(occurrences.slice(i, i + CHUNK));
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
    for (let i = 0; i < activity.length; i += CHUNK) {
      await tx.insert(issueActivityTable).values(activity.slice(i, i + CHUNK));
    }

    // Remember what was ingested (the rate-limited ones too: they are not retried).
    const seenRows = fresh.map((f) => ({ workspaceId, eventId: f.key, timeSeen: now }));
    for (let i = 0; i < seenRows.length; i += KEY_CHUNK) {
      await tx.insert(ingestSeenTable).ignore().values(seenRows.slice(i, i + KEY_CHUNK));
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
