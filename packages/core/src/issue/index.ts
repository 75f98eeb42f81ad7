/**
 * Issues as people see them: list, detail, triage (resolve, ignore, reopen, merge),
 * fingerprint rules, the logs of an occurrence's invocation (read by ../log), and
 * cleanup. Writing issues from log events is ./ingest/; subscribing to logs is
 * ./subscription.ts.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { App } from "../app";
import { appTable, stageTable } from "../app/app.sql";
import { Audit } from "../audit";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { createId } from "../id";
import { Log, type LogLine } from "../log";
import { Usage } from "../usage";
import { fn } from "../util/fn";
import { hourOf } from "../util/time";
import { FingerprintRuleSchema, type DetectedError } from "./extract";
import { forgetRules } from "./ingest/detect";
import { IssueEvents } from "./events";
import {
  fingerprintRuleTable,
  issueActivityTable,
  ingestSeenTable,
  issueCountTable,
  issueHashTable,
  issueOccurrenceTable,
  issueTable,
  issueStatuses,
  type IssueActivityKind,
  type IssueStatus,
} from "./issue.sql";

export * from "./issue.sql";
export { Ingest, DeadLetters, ingestDeadLetterTable, MAX_ATTEMPTS, type IngestRecord, type IngestResult, type IngestStats } from "./ingest";
export { Subscriptions, FILTER_PATTERN, FILTER_TERMS, matchesFilterPattern, filterName, parseFilterName } from "./subscription";
export { Destinations, CloudWatchDestinations, type DestinationProvider, type DestinationTarget } from "./destination";
export { SourceMaps } from "./sourcemaps";
export { Enricher } from "./enrich";

const RETENTION_DAYS = 30;
const OCCURRENCES_KEPT = 50;
/** The latest entries of an issue's timeline that its detail shows. */
const ACTIVITY_SHOWN = 100;

/** One entry of an issue's timeline. */
export interface IssueActivity {
  id: string;
  kind: IssueActivityKind | "first_seen";
  /** Who: a member's email, or "system"; null for what the errors did themselves. */
  actor: string | null;
  time: Date;
  /** regressed: the occurrence that brought the issue back. */
  occurrence?: { id: string; functionName: string; requestId: string | null; message: string; timeSeen: string };
  /** merged: the issues merged into this one. */
  sources?: { id: string; type: string; message: string; count: number }[];
}

export interface IssueSummary {
  id: string;
  stageId: string;
  app: string;
  stage: string;
  type: string;
  message: string;
  kind: string;
  functionName: string | null;
  status: IssueStatus;
  count: number;
  timeFirstSeen: Date;
  timeLastSeen: Date;
  timeResolved: Date | null;
  timeIgnored: Date | null;
  /** When a resolved issue happened again, until it is next resolved, ignored or reopened. */
  timeRegressed: Date | null;
  /** Occurrences per hour over the last 24 hours, oldest first. */
  last24h: number[];
}

const listSchema = z.object({
  status: z.enum(issueStatuses).default("active"),
  stageId: z.string().max(26).optional(),
  functionName: z.string().max(140).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Page after this issue (in the order of `sort`). */
  before: z.string().max(26).optional(),
  /** Words that must all appear in the type or the message (case-insensitive). */
  q: z.string().trim().max(200).optional(),
  /** Newest last seen first (default), newest first seen first, or most events first. */
  sort: z.enum(["last", "first", "events"]).default("last"),
});

const idsSchema = z.object({ ids: z.array(z.string().min(1).max(26)).min(1).max(500) });

/** A DATETIME read through a raw aggregate (a string in UTC, or a Date). */
function dbTime(value: string | Date): Date {
  return value instanceof Date ? value : new Date(`${String(value).replace(" ", "T")}Z`);
}

async function histogram(issueIds: string[], hours: number, now = Date.now()) {
  const workspaceId = Actor.workspaceId();
  const end = hourOf(now).getTime();
  const start = end - (hours - 1) * 3_600_000;
  const out = new Map<string, number[]>(issueIds.map((id) => [id, new Array<number>(hours).fill(0)]));
  if (!issueIds.length) return out;
  const rows = await Database.use((db) =>
    db
      .select({ issueId: issueCountTable.issueId, hour: issueCountTable.hour, count: sql<number>`sum(${issueCountTable.count})` })
      .from(issueCountTable)
      .where(and(eq(issueCountTable.workspaceId, workspaceId), inArray(issueCountTable.issueId, issueIds), gte(issueCountTable.hour, new Date(start))))
      .groupBy(issueCountTable.issueId, issueCountTable.hour),
  );
  for (const r of rows) {
    const i = Math.round((r.hour.getTime() - start) / 3_600_000);
    const series = out.get(r.issueId);
    if (series && i >= 0 && i < hours) series[i] = Number(r.count);
  }
  return out;
}

async function assertIssues(ids: string[]) {
  const workspaceId = Actor.workspaceId();
  const rows = await Database.use((db) =>
    db
      .select({ id: issueTable.id, stageId: issueTable.stageId, status: issueTable.status, type: issueTable.type })
      .from(issueTable)
      .where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, ids))),
  );
  if (rows.length !== new Set(ids).size) throw new NotFoundError("Issue");
  return rows;
}

/** The stage when it is still deployed; undefined when it is gone (other failures are thrown). */
function stageIfLive(stageId: string) {
  return App.stage(stageId).catch((err) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
}

export namespace Issue {
  export const Events = IssueEvents;

  export const list = fn(listSchema, async (input): Promise<{ issues: IssueSummary[]; next: string | null }> => {
    const workspaceId = Actor.workspaceId();
    const column = input.sort === "first" ? issueTable.timeFirstSeen : input.sort === "events" ? issueTable.count : issueTable.timeLastSeen;
    let cursor: { value: Date | number; id: string } | undefined;
    if (input.before) {
      const [row] = await Database.use((db) =>
        db
          .select({ value: column, id: issueTable.id })
          .from(issueTable)
          .where(and(eq(issueTable.workspaceId, workspaceId), eq(issueTable.id, input.before!))),
      );
      if (!row) throw new VisibleError("validation", "before: unknown issue");
      cursor = row;
    }
    const words = (input.q ?? "").split(/\s+/).filter(Boolean).slice(0, 8);
    const like = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await Database.use((db) =>
      db
        .select({
          id: issueTable.id,
          stageId: issueTable.stageId,
          app: appTable.name,
          stage: stageTable.name,
          type: issueTable.type,
          message: issueTable.message,
          kind: issueTable.kind,
          functionName: issueTable.functionName,
          status: issueTable.status,
          count: issueTable.count,
          timeFirstSeen: issueTable.timeFirstSeen,
          timeLastSeen: issueTable.timeLastSeen,
          timeResolved: issueTable.timeResolved,
          timeIgnored: issueTable.timeIgnored,
          timeRegressed: issueTable.timeRegressed,
        })
        .from(issueTable)
        .innerJoin(stageTable, and(eq(stageTable.workspaceId, issueTable.workspaceId), eq(stageTable.id, issueTable.stageId)))
        .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .where(
          and(
            eq(issueTable.workspaceId, workspaceId),
            eq(issueTable.status, input.status),
            input.stageId ? eq(issueTable.stageId, input.stageId) : undefined,
            input.functionName
              ? inArray(
                  issueTable.id,
                  db
                    .select({ id: issueCountTable.issueId })
                    .from(issueCountTable)
                    .where(and(eq(issueCountTable.workspaceId, workspaceId), eq(issueCountTable.functionName, input.functionName))),
                )
              : undefined,
            ...words.map((word) => sql`(${issueTable.type} like ${like(word)} or ${issueTable.message} like ${like(word)})`),
            cursor ? sql`(${column} < ${cursor.value} or (${column} = ${cursor.value} and ${issueTable.id} < ${cursor.id}))` : undefined,
          ),
        )
        .orderBy(desc(column), desc(issueTable.id))
        .limit(input.limit + 1),
    );
    const page = rows.slice(0, input.limit);
    const series = await histogram(page.map((r) => r.id), 24);
    return {
      issues: page.map((r) => ({ ...r, message: r.message.slice(0, 500), last24h: series.get(r.id)! })),
      next: rows.length > input.limit ? page[page.length - 1]!.id : null,
    };
  });

  /** Counts per status, for the list's tabs. */
  export async function counts(filter: { stageId?: string } = {}) {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db
        .select({ status: issueTable.status, n: sql<number>`count(*)` })
        .from(issueTable)
        .where(and(eq(issueTable.workspaceId, workspaceId), filter.stageId ? eq(issueTable.stageId, filter.stageId) : undefined))
        .groupBy(issueTable.status),
    );
    const out: Record<IssueStatus, number> = { active: 0, resolved: 0, ignored: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  export async function get(id: string) {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select()
        .from(issueTable)
        .where(and(eq(issueTable.workspaceId, workspaceId), eq(issueTable.id, id))),
    );
    if (!row) throw new NotFoundError("Issue");
    const stage = await stageIfLive(row.stageId);
    const [series, functions, occurrences, hashes] = await Promise.all([
      histogram([id], 24 * 7),
      Database.use((db) =>
        db
          .select({ functionName: issueCountTable.functionName, count: sql<number>`sum(${issueCountTable.count})` })
          .from(issueCountTable)
          .where(and(eq(issueCountTable.workspaceId, workspaceId), eq(issueCountTable.issueId, id)))
          .groupBy(issueCountTable.functionName)
          .orderBy(desc(sql`sum(${issueCountTable.count})`)),
      ),
      Database.use((db) =>
        db
          .select({
            id: issueOccurrenceTable.id,
            requestId: issueOccurrenceTable.requestId,
            functionName: issueOccurrenceTable.functionName,
            logGroup: issueOccurrenceTable.logGroup,
            logStream: issueOccurrenceTable.logStream,
            error: issueOccurrenceTable.error,
            lines: issueOccurrenceTable.lines,
            timeSeen: issueOccurrenceTable.timeSeen,
          })
          .from(issueOccurrenceTable)
          .where(and(eq(issueOccurrenceTable.workspaceId, workspaceId), eq(issueOccurrenceTable.issueId, id)))
          .orderBy(desc(issueOccurrenceTable.timeSeen))
          .limit(20),
      ),
      Database.use((db) =>
        db
          .select({ n: sql<number>`count(*)` })
          .from(issueHashTable)
          .where(and(eq(issueHashTable.workspaceId, workspaceId), eq(issueHashTable.issueId, id))),
      ),
    ]);
    const activity = await history(id, row.timeFirstSeen);
    const { workspaceId: _w, primaryHash: _p, ...issue } = row;
    return {
      issue: { ...issue, app: stage?.app ?? null, stage: stage?.name ?? null },
      stage: stage ?? null,
      hourly: { start: new Date(hourOf(Date.now()).getTime() - (24 * 7 - 1) * 3_600_000), counts: series.get(id)! },
      functions: functions.map((f) => ({ functionName: f.functionName, count: Number(f.count) })),
      occurrences,
      hashes: Number(hashes[0]?.n ?? 0),
      /** Issues merged into this one (0: none, and then its fingerprints are all its own). */
      mergedIssues: activity.reduce((n, a) => n + (a.kind === "merged" ? (a.sources?.length ?? 0) : 0), 0),
      activity,
    };
  }

  /** The timeline of an issue, oldest first: first seen, then what happened to it. */
  async function history(id: string, firstSeen: Date): Promise<IssueActivity[]> {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db
        .select()
        .from(issueActivityTable)
        .where(and(eq(issueActivityTable.workspaceId, workspaceId), eq(issueActivityTable.issueId, id)))
        .orderBy(desc(issueActivityTable.timeCreated), desc(issueActivityTable.id))
        .limit(ACTIVITY_SHOWN),
    );
    return [
      { id: `first-${id}`, kind: "first_seen" as const, actor: null, time: firstSeen },
      ...rows.reverse().map((r): IssueActivity => {
        const data = (r.data ?? {}) as Record<string, unknown>;
        return {
          id: r.id,
          kind: r.kind,
          actor: r.actorType === "user" ? (r.actorEmail ?? "a member") : r.actorType,
          time: r.timeCreated,
          ...(r.kind === "regressed" ? { occurrence: data.occurrence as IssueActivity["occurrence"] } : {}),
          ...(r.kind === "merged" ? { sources: (data.sources as IssueActivity["sources"]) ?? [] } : {}),
        };
      }),
    ];
  }

  async function setStatus(ids: string[], status: IssueStatus, action: string) {
    const workspaceId = Actor.workspaceId();
    const who = Actor.describe();
    const now = new Date();
    const rows = await assertIssues(ids);
    const kind: IssueActivityKind = status === "resolved" ? "resolved" : status === "ignored" ? "ignored" : "reopened";
    await Database.transaction(async (tx) => {
      await tx
        .update(issueTable)
        .set({
          timeRegressed: null,
          status,
          timeResolved: status === "resolved" ? now : null,
          timeIgnored: status === "ignored" ? now : null,
          resolvedBy: status === "resolved" ? (who.email ?? who.type) : null,
        })
        .where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, ids)));
      await tx.insert(issueActivityTable).values(
        ids.map((issueId) => ({ workspaceId, id: createId(), issueId, kind, actorType: who.type, actorEmail: who.email ?? null, timeCreated: now })),
      );
      await Audit.record(action, { type: "issue", id: ids.length === 1 ? ids[0] : undefined, label: ids.length === 1 ? rows[0]!.type : `${ids.length} issues` }, { ids });
    });
    return { updated: ids.length };
  }

  export const resolve = fn(idsSchema, (input) => setStatus(input.ids, "resolved", "issue.resolve"));
  export const ignore = fn(idsSchema, (input) => setStatus(input.ids, "ignored", "issue.ignore"));
  export const reopen = fn(idsSchema, (input) => setStatus(input.ids, "active", "issue.reopen"));

  /** Merges `sources` into `target` (same stage): their hashes, counts and occurrences move. */
  export const merge = fn(
    z.object({ target: z.string().min(1).max(26), sources: z.array(z.string().min(1).max(26)).min(1).max(100) }),
    async (input) => {
      const workspaceId = Actor.workspaceId();
      const sources = [...new Set(input.sources)].filter((s) => s !== input.target);
      if (!sources.length) throw new VisibleError("validation", "sources: pick at least one other issue");
      const rows = await assertIssues([input.target, ...sources]);
      const target = rows.find((r) => r.id === input.target)!;
      const who = Actor.describe();
      if (rows.some((r) => r.stageId !== target.stageId)) throw new VisibleError("validation", "Only issues of the same stage can be merged");
      await Database.transaction(async (tx) => {
        await tx
          .update(issueHashTable)
          .set({ issueId: input.target })
          .where(and(eq(issueHashTable.workspaceId, workspaceId), inArray(issueHashTable.issueId, sources)));
        await tx.execute(sql`
          insert into ${issueCountTable} (workspace_id, issue_id, hour, function_name, count)
          select workspace_id, ${input.target}, hour, function_name, sum(count) from ${issueCountTable}
          where workspace_id = ${workspaceId} and ${inArray(issueCountTable.issueId, sources)}
          group by workspace_id, hour, function_name
          on duplicate key update count = ${issueCountTable.count} + values(count)`);
        await tx.delete(issueCountTable).where(and(eq(issueCountTable.workspaceId, workspaceId), inArray(issueCountTable.issueId, sources)));
        await tx
          .update(issueOccurrenceTable)
          .set({ issueId: input.target })
          .where(and(eq(issueOccurrenceTable.workspaceId, workspaceId), inArray(issueOccurrenceTable.issueId, sources)));
        const [agg] = await tx
          .select({
            count: sql<number>`sum(${issueTable.count})`,
            first: sql<string | Date>`min(${issueTable.timeFirstSeen})`,
            last: sql<string | Date>`max(${issueTable.timeLastSeen})`,
          })
          .from(issueTable)
          .where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, [input.target, ...sources])));
        await tx
          .update(issueTable)
          .set({
            count: Number(agg!.count),
            timeFirstSeen: dbTime(agg!.first),
            timeLastSeen: dbTime(agg!.last),
          })
          .where(and(eq(issueTable.workspaceId, workspaceId), eq(issueTable.id, input.target)));
        const merged = await tx
          .select({ id: issueTable.id, type: issueTable.type, message: issueTable.message, count: issueTable.count })
          .from(issueTable)
          .where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, sources)));
        await tx.delete(issueTable).where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, sources)));
        await tx.delete(issueActivityTable).where(and(eq(issueActivityTable.workspaceId, workspaceId), inArray(issueActivityTable.issueId, sources)));
        await tx.insert(issueActivityTable).values({
          workspaceId,
          id: createId(),
          issueId: input.target,
          kind: "merged",
          actorType: who.type,
          actorEmail: who.email ?? null,
          data: { sources: merged.map((m) => ({ id: m.id, type: m.type, message: m.message.slice(0, 200), count: m.count })) },
          timeCreated: new Date(),
        });
        await Audit.record("issue.merge", { type: "issue", id: input.target, label: target.type }, { sources });
      });
      return { merged: sources.length, target: input.target };
    },
  );

  /**
   * The log lines of an occurrence's invocation, read from CloudWatch Logs in the
   * customer's account (the subscription only delivered the error lines). Falls
   * back to the stored lines, saying why, when the logs cannot be read.
   */
  export async function occurrenceLogs(issueId: string, occurrenceId: string): Promise<{ source: "cloudwatch" | "stored"; lines: LogLine[]; reason?: string }> {
    const workspaceId = Actor.workspaceId();
    const [occ] = await Database.use((db) =>
      db
        .select()
        .from(issueOccurrenceTable)
        .where(and(eq(issueOccurrenceTable.workspaceId, workspaceId), eq(issueOccurrenceTable.issueId, issueId), eq(issueOccurrenceTable.id, occurrenceId))),
    );
    if (!occ) throw new NotFoundError("Occurrence");
    const stored = (reason: string) => ({ source: "stored" as const, lines: occ.lines, reason });
    const stage = await stageIfLive(occ.stageId);
    if (!stage) return stored("The stage of this occurrence is no longer deployed");
    const fnInfo = (await App.functions(stage.id)).find((f) => f.name === occ.functionName);
    if (!fnInfo) return stored("The function of this occurrence is no longer in its stage");
    const read = await Log.invocation({
      connectionId: stage.connectionId,
      region: fnInfo.region,
      logGroup: occ.logGroup,
      logStream: occ.logStream,
      requestId: occ.requestId,
      at: occ.timeSeen.getTime(),
      timeout: fnInfo.timeout,
    });
    if (!read.ok) return stored(read.reason);
    if (!read.lines.length) return stored("CloudWatch Logs no longer has this invocation's lines");
    return { source: "cloudwatch", lines: read.lines };
  }

  export const rules = {
    async list() {
      const workspaceId = Actor.workspaceId();
      const rows = await Database.use((db) =>
        db.select().from(fingerprintRuleTable).where(eq(fingerprintRuleTable.workspaceId, workspaceId)).orderBy(asc(fingerprintRuleTable.position)),
      );
      return rows.map((r) => ({ id: r.id, position: r.position, rule: r.rule, timeCreated: r.timeCreated }));
    },
    create: fn(FingerprintRuleSchema, async (rule) => {
      Actor.assertRole("admin");
      const workspaceId = Actor.workspaceId();
      const id = createId();
      await Database.transaction(async (tx) => {
        const [max] = await tx
          .select({ p: sql<number>`coalesce(max(${fingerprintRuleTable.position}), 0)` })
          .from(fingerprintRuleTable)
          .where(eq(fingerprintRuleTable.workspaceId, workspaceId));
        await tx.insert(fingerprintRuleTable).values({ workspaceId, id, position: Number(max?.p ?? 0) + 1, rule: rule as Record<string, unknown> });
        await Audit.record("issue.rule.create", { type: "fingerprint_rule", id }, { rule });
      });
      forgetRules(workspaceId);
      return { id, rule };
    }),
    remove: fn(z.string().min(1).max(26), async (id) => {
      Actor.assertRole("admin");
      const workspaceId = Actor.workspaceId();
      await Database.transaction(async (tx) => {
        const result = await tx.delete(fingerprintRuleTable).where(and(eq(fingerprintRuleTable.workspaceId, workspaceId), eq(fingerprintRuleTable.id, id)));
        if (Database.affected(result) === 0) throw new NotFoundError("Rule");
        await Audit.record("issue.rule.delete", { type: "fingerprint_rule", id });
      });
      forgetRules(workspaceId);
    }),
  };

  /**
   * Housekeeping for all workspaces (system, daily): issues unseen for 30 days go
   * with their counts, hashes and occurrences; old occurrences beyond the latest 50
   * per issue, idempotency keys older than Kinesis' longest retention, old usage rows.
   */
  export async function cleanup(now = new Date()) {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS * 86_400_000);
    let removed = 0;
    for (;;) {
      const stale = await Database.use((db) =>
        db.select({ workspaceId: issueTable.workspaceId, id: issueTable.id }).from(issueTable).where(lt(issueTable.timeLastSeen, cutoff)).limit(500),
      );
      if (!stale.length) break;
      const byWorkspace = new Map<string, string[]>();
      for (const s of stale) byWorkspace.set(s.workspaceId, [...(byWorkspace.get(s.workspaceId) ?? []), s.id]);
      for (const [workspaceId, ids] of byWorkspace) {
        await Database.transaction(async (tx) => {
          const scope = (t: typeof issueCountTable | typeof issueHashTable | typeof issueOccurrenceTable | typeof issueActivityTable) =>
            and(eq(t.workspaceId, workspaceId), inArray(t.issueId, ids));
          await tx.delete(issueActivityTable).where(scope(issueActivityTable));
          await tx.delete(issueCountTable).where(scope(issueCountTable));
          await tx.delete(issueHashTable).where(scope(issueHashTable));
          await tx.delete(issueOccurrenceTable).where(scope(issueOccurrenceTable));
          await tx.delete(issueTable).where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, ids), lt(issueTable.timeLastSeen, cutoff)));
        });
        removed += ids.length;
      }
    }
    await Database.use((db) =>
      db.execute(sql`
        delete o from ${issueOccurrenceTable} o
        join (
          select workspace_id, id, row_number() over (partition by workspace_id, issue_id order by time_seen desc) as n
          from ${issueOccurrenceTable}
        ) ranked on ranked.workspace_id = o.workspace_id and ranked.id = o.id
        where ranked.n > ${OCCURRENCES_KEPT}`),
    );
    await Database.use((db) => db.delete(ingestSeenTable).where(lte(ingestSeenTable.timeSeen, new Date(now.getTime() - 8 * 86_400_000))));
    await Usage.prune(now);
    return { removed };
  }
}

export type IssueDetail = Awaited<ReturnType<typeof Issue.get>>;
export type { DetectedError };

