/**
 * Poison records. A record whose ingestion fails is retried on its own (./index.ts
 * isolates it from the rest of its workspace's records); if it still fails:
 *
 * - a passing outage (the database unreachable, a lock timeout: `isTransient`) is
 *   reported as a failed record and retried as it is, with no attempt counted (the
 *   records behind it wait, as they would anyway);
 * - any other failure is counted here, one row per record. The record is reported as
 *   failed until it has failed MAX_ATTEMPTS times; then it is dead-lettered: kept
 *   here (workspace, connection, reason, a bounded excerpt), counted in the batch's
 *   `deadLettered`, shown to the workspace as a warning and by GET .../dead-letters,
 *   and no longer reported, so the stream moves past it (Lambda's partial batch
 *   response on AWS, the poller's position locally).
 *
 * Attempts are counted by record (connection, region, sequence number), so they hold
 * across Lambda invocations and across restarts of the local poller.
 */
import { and, count, desc, eq, lt, sql } from "drizzle-orm";
import { Actor } from "../../actor";
import { Database } from "../../db";
import { createId } from "../../id";
import { describeError } from "../../util/log";
import { cutBytes } from "../../util/text";
import { Warning } from "../../warning";
import { ingestDeadLetterTable } from "./dead-letter.sql";
import type { Payload } from "./types";

export { ingestDeadLetterTable } from "./dead-letter.sql";

/** Failures of one record before it is given up. */
export const MAX_ATTEMPTS = 3;
const EXCERPT_BYTES = 4096;
const REASON_BYTES = 1000;
const WARNING_DAYS = 7;

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_LOCK_DEADLOCK",
  "ER_LOCK_WAIT_TIMEOUT",
  "ER_SERVER_SHUTDOWN",
  "ER_QUERY_INTERRUPTED",
]);
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1205, 1213, 1317, 2002, 2003, 2006, 2013]);

/** A failure that says nothing about the record: the database (or network) is away for a moment. */
export function isTransient(err: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = err as { code?: unknown; errno?: unknown; cause?: unknown; name?: unknown; status?: unknown } | undefined; e && !seen.has(e); e = e.cause as typeof e) {
    seen.add(e);
    if (typeof e.code === "string" && TRANSIENT_CODES.has(e.code)) return true;
    if (typeof e.errno === "number" && TRANSIENT_ERRNOS.has(e.errno)) return true;
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
    if (typeof e.status === "number" && (e.status === 429 || e.status >= 500)) return true;
  }
  return false;
}

/** The root cause, in a line: driver code and message, never the statement's parameters. */
export function reasonOf(err: unknown): string {
  const d = describeError(err) as { name?: string; message?: string; code?: unknown; cause?: { name?: string; message?: string; code?: unknown } };
  const root = d.cause ?? d;
  const code = root.code !== undefined ? `${String(root.code)}: ` : "";
  return cutBytes(`${code}${root.message ?? root.name ?? "unknown error"}`, REASON_BYTES);
}

/** What the workspace sees of a record: where it came from and its first lines. */
function excerptOf(p: Payload): string {
  const head = `${p.data.logGroup} ${p.data.logStream} (${p.data.logEvents.length} log events)\n`;
  let body = "";
  for (const e of p.data.logEvents) {
    body += `${e.message}\n`;
    if (body.length > EXCERPT_BYTES) break;
  }
  return cutBytes(head + body, EXCERPT_BYTES);
}

export namespace DeadLetters {
  /**
   * Counts a failed attempt of a record of workspace `workspaceId`. Returns "dead" when
   * this was its last attempt (the record is dead-lettered: do not retry it), else
   * "retry". Throws when the count cannot be written (then the record is retried).
   */
  export async function recordFailure(workspaceId: string, p: Payload, err: unknown): Promise<"retry" | "dead"> {
    const reason = reasonOf(err);
    const key = and(
      eq(ingestDeadLetterTable.workspaceId, workspaceId),
      eq(ingestDeadLetterTable.connectionId, p.route.connectionId),
      eq(ingestDeadLetterTable.region, p.region),
      eq(ingestDeadLetterTable.recordId, p.record.id),
    );
    return Database.transaction(async (tx) => {
      await tx
        .insert(ingestDeadLetterTable)
        .values({
          workspaceId,
          id: createId(),
          connectionId: p.route.connectionId,
          region: p.region,
          recordId: p.record.id.slice(0, 128),
          reason,
          excerpt: excerptOf(p),
          attempts: 1,
        })
        .onDuplicateKeyUpdate({
          set: {
            attempts: sql`if(${ingestDeadLetterTable.status} = 'dead', ${ingestDeadLetterTable.attempts}, ${ingestDeadLetterTable.attempts} + 1)`,
            reason,
            timeUpdated: new Date(),
          },
        });
      const [row] = await tx.select({ attempts: ingestDeadLetterTable.attempts, status: ingestDeadLetterTable.status }).from(ingestDeadLetterTable).where(key);
      if (!row) return "retry";
      if (row.status === "dead") return "dead";
      if (row.attempts < MAX_ATTEMPTS) return "retry";
      await tx.update(ingestDeadLetterTable).set({ status: "dead", timeDead: new Date() }).where(key);
      const [counted] = await tx
        .select({ n: count() })
        .from(ingestDeadLetterTable)
        .where(and(eq(ingestDeadLetterTable.workspaceId, workspaceId), eq(ingestDeadLetterTable.status, "dead")));
      const n = counted?.n ?? 1;
      await Actor.system("ingest", { id: workspaceId, slug: "" }, () =>
        Warning.set({
          type: "issues_dead_lettered",
          target: "workspace",
          message: `${n} log record${n === 1 ? "" : "s"} could not be turned into issues after ${MAX_ATTEMPTS} attempts and ${n === 1 ? "was" : "were"} set aside; the records after ${n === 1 ? "it" : "them"} were processed. See GET /api/workspaces/:workspace/dead-letters.`,
          data: { count: n, latestReason: reason },
          expires: new Date(Date.now() + WARNING_DAYS * 86_400_000),
        }),
      );
      return "dead";
    });
  }

  /** The current workspace's dead-lettered records, newest first, and how many there are. */
  export async function list(limit = 50) {
    const workspaceId = Actor.workspaceId();
    const where = and(eq(ingestDeadLetterTable.workspaceId, workspaceId), eq(ingestDeadLetterTable.status, "dead"));
    const [[counted], rows] = await Promise.all([
      Database.use((db) => db.select({ n: count() }).from(ingestDeadLetterTable).where(where)),
      Database.use((db) =>
        db
          .select({
            id: ingestDeadLetterTable.id,
            connectionId: ingestDeadLetterTable.connectionId,
            region: ingestDeadLetterTable.region,
            recordId: ingestDeadLetterTable.recordId,
            attempts: ingestDeadLetterTable.attempts,
            reason: ingestDeadLetterTable.reason,
            excerpt: ingestDeadLetterTable.excerpt,
            timeCreated: ingestDeadLetterTable.timeCreated,
            timeDead: ingestDeadLetterTable.timeDead,
          })
          .from(ingestDeadLetterTable)
          .where(where)
          .orderBy(desc(ingestDeadLetterTable.timeDead))
          .limit(limit),
      ),
    ]);
    return { count: counted?.n ?? 0, deadLetters: rows };
  }

  /** Forgets attempts of records that recovered (a day old) and dead letters after 30 days. */
  export async function prune(now = new Date()) {
    await Database.use((db) =>
      db
        .delete(ingestDeadLetterTable)
        .where(and(eq(ingestDeadLetterTable.status, "retrying"), lt(ingestDeadLetterTable.timeUpdated, new Date(now.getTime() - 86_400_000)))),
    );
    await Database.use((db) =>
      db.delete(ingestDeadLetterTable).where(and(eq(ingestDeadLetterTable.status, "dead"), lt(ingestDeadLetterTable.timeUpdated, new Date(now.getTime() - 30 * 86_400_000)))),
    );
  }
}
