/**
 * The Issues consumer: Kinesis records of CloudWatch Logs subscription payloads in,
 * issues, occurrences and hourly counts out.
 *
 * Per batch: decode every record (a record that is not a payload is counted and
 * reported, never retried, never blocks the others), route each payload to its
 * connection by the filter name and check that the payload's owner is that
 * connection's AWS account, then, per workspace, in one transaction:
 * detect errors per log stream, drop log events already ingested (Kinesis delivers at
 * least once), apply the hourly soft limit, map frames to source, fingerprint, and
 * write everything in a fixed handful of multi-row statements. Statements grow with
 * the distinct issues of a batch (only through chunking), never with its events.
 *
 * A workspace whose transaction fails has its records reported as failed, so only
 * they are retried; the other workspaces' records stay done.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { awsAccountTable } from "../account/account.sql";
import { appTable, functionTable, stageTable } from "../app/app.sql";
import { Database, type Tx } from "../db";
import { Bus, defineEvent } from "../event";
import { createId, sha256 } from "../id";
import { log } from "../util/log";
import { Warning } from "../warning";
import {
  createDetector,
  decodeSubscriptionPayload,
  isDataMessage,
  parseRules,
  SourceMapCache,
  type DetectedError,
  type Extracted,
  type FingerprintRule,
  type LogEvent,
  type SubscriptionPayload,
} from "./extract";
import {
  fingerprintRuleTable,
  ingestSeenTable,
  ingestUsageTable,
  issueCountTable,
  issueHashTable,
  issueOccurrenceTable,
  issueTable,
} from "./issue.sql";
import { SourceMaps, type FunctionRef } from "./sourcemaps";
import { Enricher } from "./enrich";
import { parseFilterName } from "./subscription";

export const HOURLY_LIMIT = 10_000;
const OCCURRENCES_PER_ISSUE_PER_BATCH = 5;
const MAX_LINES_BYTES = 32 * 1024;
const CHUNK = 500;
/** Idempotency keys are short strings: one statement covers a whole batch. */
const KEY_CHUNK = 10_000;

export const IssueEvents = {
  /** A new issue, or a regression (a resolved issue happened again). */
  Detected: defineEvent(
    "issue.detected",
    z.object({ issueId: z.string(), stageId: z.string(), reason: z.enum(["new", "regression"]) }),
  ),
  /** A workspace passed the hourly limit: ingestion pauses until the next hour. */
  RateLimited: defineEvent("issue.rate_limited", z.object({ hour: z.string(), limit: z.number() })),
};

export interface IngestRecord {
  /** Kinesis sequence number: what a partial batch failure names. */
  id: string;
  /** The record's data: gzip bytes, or their base64 (as a Lambda Kinesis event carries it). */
  data: string | Uint8Array;
}

export interface IngestStats {
  records: number;
  control: number;
  malformed: number;
  unrouted: number;
  events: number;
  errors: number;
  duplicates: number;
  limited: number;
  stored: number;
  newIssues: number;
  regressions: number;
  distinctIssues: number;
  unmappedFunctions: number;
}

export interface IngestResult {
  /** Sequence numbers of records to retry. */
  failed: string[];
  stats: IngestStats;
}

export interface IngestOptions {
  /** Skip source mapping (benchmarks measure it separately). */
  sourcemaps?: boolean;
  /** Now, for the hourly limit (tests). */
  now?: Date;
}

interface Route {
  workspaceId: string;
  connectionId: string;
  accountId: string;
}

interface Payload {
  record: IngestRecord;
  data: SubscriptionPayload;
  route: Route;
  region: string;
}

interface FunctionRow extends FunctionRef {
  functionId: string;
  runtime: string | null;
}

const cache = new SourceMapCache({ maxBytes: 256 * 1024 * 1024 });
const enricher = new Enricher();
const routeCache = new Map<string, { at: number; route: Route | null }>();
const rulesCache = new Map<string, { at: number; rules: FingerprintRule[] }>();
const CACHE_MS = 30_000;

function emptyStats(records: number): IngestStats {
  return {
    records,
    control: 0,
    malformed: 0,
    unrouted: 0,
    events: 0,
    errors: 0,
    duplicates: 0,
    limited: 0,
    stored: 0,
    newIssues: 0,
    regressions: 0,
    distinctIssues: 0,
    unmappedFunctions: 0,
  };
}

function hourOf(time: number) {
  return new Date(Math.floor(time / 3_600_000) * 3_600_000);
}

async function routes(connectionIds: string[]): Promise<Map<string, Route | null>> {
  const out = new Map<string, Route | null>();
  const missing: string[] = [];
  for (const id of connectionIds) {
    const hit = routeCache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) out.set(id, hit.route);
    else missing.push(id);
  }
  if (missing.length) {
    const rows = await Database.use((db) =>
      db
        .select({ workspaceId: awsAccountTable.workspaceId, connectionId: awsAccountTable.id, accountId: awsAccountTable.accountId })
        .from(awsAccountTable)
        .where(and(inArray(awsAccountTable.id, missing), inArray(awsAccountTable.status, ["connected", "scanning"]))),
    );
    for (const id of missing) {
      const row = rows.find((r) => r.connectionId === id);
      const route = row?.accountId ? { workspaceId: row.workspaceId, connectionId: row.connectionId, accountId: row.accountId } : null;
      routeCache.set(id, { at: Date.now(), route });
      out.set(id, route);
    }
  }
  return out;
}

async function rulesOf(workspaceId: string): Promise<FingerprintRule[]> {
  const hit = rulesCache.get(workspaceId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rules;
  const rows = await Database.use((db) =>
    db.select({ rule: fingerprintRuleTable.rule }).from(fingerprintRuleTable).where(eq(fingerprintRuleTable.workspaceId, workspaceId)).orderBy(fingerprintRuleTable.position),
  );
  let rules: FingerprintRule[] = [];
  try {
    rules = parseRules(rows.map((r) => r.rule));
  } catch (err) {
    log.warn("fingerprint rules could not be read", { workspaceId, err });
  }
  rulesCache.set(workspaceId, { at: Date.now(), rules });
  return rules;
}

export function forgetRules(workspaceId: string) {
  rulesCache.delete(workspaceId);
}

async function functionsOf(tx: Tx, workspaceId: string, connectionIds: string[], logGroups: string[]): Promise<Map<string, FunctionRow>> {
  if (!logGroups.length) return new Map();
  const rows = await tx
    .select({
      functionId: functionTable.id,
      stageId: functionTable.stageId,
      connectionId: stageTable.connectionId,
      name: functionTable.name,
      arn: functionTable.arn,
      region: functionTable.region,
      logGroup: functionTable.logGroup,
      runtime: functionTable.runtime,
      live: functionTable.live,
      app: appTable.name,
      stage: stageTable.name,
    })
    .from(functionTable)
    .innerJoin(stageTable, and(eq(stageTable.workspaceId, functionTable.workspaceId), eq(stageTable.id, functionTable.stageId)))
    .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
    .where(
      and(
        eq(functionTable.workspaceId, workspaceId),
        inArray(functionTable.logGroup, logGroups),
        inArray(stageTable.connectionId, connectionIds),
        isNull(stageTable.timeDeleted),
      ),
    );
  const out = new Map<string, FunctionRow>();
  for (const r of rows) {
    const key = `${r.connectionId}|${r.region}|${r.logGroup}`;
    // A live copy never owns the log group over a deployed one.
    if (!out.has(key) || !r.live) out.set(key, r);
  }
  return out;
}

/** A key identifying one error for idempotency: its first log event id. */
function errorKey(e: DetectedError, stream: string): string {
  if (e.eventIds[0]) return e.eventIds[0].slice(0, 64);
  return sha256(`${stream}|${e.timestamp}|${e.type}|${e.message}`).slice(0, 64);
}

interface Found {
  route: Route;
  fn: FunctionRow;
  logStream: string;
  key: string;
  extracted: Extracted;
  lines: LogEvent[];
}

function linesOf(error: DetectedError, events: Map<string, LogEvent>): LogEvent[] {
  const out: LogEvent[] = [];
  let bytes = 0;
  for (const id of error.eventIds) {
    const e = events.get(id);
    if (!e) continue;
    const message = e.message.length > 8192 ? `${e.message.slice(0, 8192)}…` : e.message;
    bytes += message.length;
    if (bytes > MAX_LINES_BYTES) break;
    out.push({ id: e.id, timestamp: e.timestamp, message });
  }
  return out;
}

/** Detects and enriches the errors of one workspace's payloads. */
async function extract(
  payloads: Payload[],
  fns: Map<string, FunctionRow>,
  rules: FingerprintRule[],
  stats: IngestStats,
  options: IngestOptions,
): Promise<Found[]> {
  const streams = new Map<string, { route: Route; fn: FunctionRow; logStream: string; events: LogEvent[] }>();
  for (const p of payloads) {
    const fn = fns.get(`${p.route.connectionId}|${p.region}|${p.data.logGroup}`);
    stats.events += p.data.logEvents.length;
    if (!fn) {
      stats.unmappedFunctions += p.data.logEvents.length;
      continue;
    }
    const key = `${fn.functionId}|${p.data.logStream}`;
    let s = streams.get(key);
    if (!s) streams.set(key, (s = { route: p.route, fn, logStream: p.data.logStream, events: [] }));
    s.events.push(...p.data.logEvents);
  }
  const found: Found[] = [];
  const fnRefs = new Map<string, FunctionRow>();
  for (const s of streams.values()) fnRefs.set(s.fn.name, s.fn);
  const provider = options.sourcemaps === false ? undefined : SourceMaps.provider((req) => (req.functionName ? fnRefs.get(req.functionName) : undefined));
  for (const s of streams.values()) {
    const context = {
      logGroup: s.fn.logGroup,
      logStream: s.logStream,
      functionName: s.fn.name,
      functionArn: s.fn.arn,
      region: s.fn.region,
      runtime: s.fn.runtime ?? undefined,
    };
    const detector = createDetector(context);
    const errors: DetectedError[] = [];
    for (const e of s.events) errors.push(...detector.push(e));
    errors.push(...detector.flush());
    if (!errors.length) continue;
    stats.errors += errors.length;
    const byId = new Map(s.events.filter((e) => e.id).map((e) => [e.id!, e]));
    const enriched = await enricher.enrich(errors, { ...context, rules, ...(provider ? { sourcemaps: { provider, cache } } : {}) });
    for (const x of enriched) {
      found.push({ route: s.route, fn: s.fn, logStream: s.logStream, key: errorKey(x.error, s.logStream), extracted: x, lines: linesOf(x.error, byId) });
    }
  }
  return found;
}

interface IssueUpdate {
  id: string;
  stageId: string;
  isNew: boolean;
  regression: boolean;
  hashes: Set<string>;
  primary: string;
  count: number;
  first: number;
  last: number;
  latest: Found;
}

/** Writes one workspace's share of a batch. Returns the events to publish after commit. */
async function store(workspaceId: string, found: Found[], stats: IngestStats, options: IngestOptions) {
  const now = options.now ?? new Date();
  return Database.transaction(async (tx) => {
    // 1. Idempotency: drop errors whose first log event was ingested already.
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

    // 2. The hourly soft limit.
    const hour = hourOf(now.getTime());
    const [usage] = await tx
      .select({ count: ingestUsageTable.count })
      .from(ingestUsageTable)
      .where(and(eq(ingestUsageTable.workspaceId, workspaceId), eq(ingestUsageTable.hour, hour)))
      .for("update");
    const used = usage?.count ?? 0;
    const allowed = Math.max(0, HOURLY_LIMIT - used);
    const accepted = fresh.slice(0, allowed);
    const dropped = fresh.length - accepted.length;
    stats.limited += dropped;
    await tx
      .insert(ingestUsageTable)
      .values({ workspaceId, hour, count: accepted.length, dropped })
      .onDuplicateKeyUpdate({
        set: { count: sql`${ingestUsageTable.count} + ${accepted.length}`, dropped: sql`${ingestUsageTable.dropped} + ${dropped}` },
      });
    const events: (() => Promise<void>)[] = [];
    if (dropped > 0 && used + accepted.length >= HOURLY_LIMIT && used < HOURLY_LIMIT) {
      const resume = new Date(hour.getTime() + 3_600_000);
      events.push(async () => {
        await Actor.system("rate-limit", { id: workspaceId, slug: "" }, async () => {
          await Warning.set({
            type: "issues_rate_limited",
            target: "workspace",
            message: `More than ${HOURLY_LIMIT.toLocaleString("en-US")} issue events arrived this hour: new ones are paused until ${resume.toISOString().slice(11, 16)} UTC, when ingestion resumes on its own.`,
            data: { hour: hour.toISOString(), limit: HOURLY_LIMIT },
            expires: resume,
          });
          await Bus.publish(IssueEvents.RateLimited, { hour: hour.toISOString(), limit: HOURLY_LIMIT });
        });
      });
    }
    if (!accepted.length) {
      await Database.afterCommit(async () => {
        for (const e of events) await e();
      });
      return [];
    }

    // 3. Which issue each error joins: look up every hash of every error at once.
    const pairs = new Map<string, { stageId: string; hash: string }>();
    for (const f of accepted) for (const h of f.extracted.fingerprint.hashes) pairs.set(`${f.fn.stageId}|${h}`, { stageId: f.fn.stageId, hash: h });
    const known = new Map<string, string>();
    const pairList = [...pairs.values()];
    for (let i = 0; i < pairList.length; i += CHUNK) {
      const chunk = pairList.slice(i, i + CHUNK);
      const rows = await tx
        .select({ stageId: issueHashTable.stageId, hash: issueHashTable.hash, issueId: issueHashTable.issueId })
        .from(issueHashTable)
        .where(
          and(
            eq(issueHashTable.workspaceId, workspaceId),
            inArray(issueHashTable.hash, [...new Set(chunk.map((p) => p.hash))]),
            inArray(issueHashTable.stageId, [...new Set(chunk.map((p) => p.stageId))]),
          ),
        );
      for (const r of rows) known.set(`${r.stageId}|${r.hash}`, r.issueId);
    }

    const updates = new Map<string, IssueUpdate>();
    const newByPrimary = new Map<string, IssueUpdate>();
    for (const f of accepted) {
      const fp = f.extracted.fingerprint;
      let issueId: string | undefined;
      for (const h of fp.hashes) {
        issueId = known.get(`${f.fn.stageId}|${h}`);
        if (issueId) break;
      }
      let u = issueId ? updates.get(issueId) : newByPrimary.get(`${f.fn.stageId}|${fp.hash}`);
      if (!u) {
        u = {
          id: issueId ?? createId(),
          stageId: f.fn.stageId,
          isNew: !issueId,
          regression: false,
          hashes: new Set(),
          primary: fp.hash,
          count: 0,
          first: f.extracted.error.timestamp,
          last: f.extracted.error.timestamp,
          latest: f,
        };
        updates.set(u.id, u);
        if (!issueId) newByPrimary.set(`${f.fn.stageId}|${fp.hash}`, u);
      }
      for (const h of fp.hashes) {
        u.hashes.add(h);
        known.set(`${f.fn.stageId}|${h}`, u.id);
      }
      u.count++;
      u.first = Math.min(u.first, f.extracted.error.timestamp);
      if (f.extracted.error.timestamp >= u.last) {
        u.last = f.extracted.error.timestamp;
        u.latest = f;
      }
    }
    stats.distinctIssues += updates.size;

    // 4. Regressions: a resolved issue with an occurrence newer than its resolution.
    const existingIds = [...updates.values()].filter((u) => !u.isNew).map((u) => u.id);
    for (let i = 0; i < existingIds.length; i += CHUNK) {
      const rows = await tx
        .select({ id: issueTable.id, status: issueTable.status, timeResolved: issueTable.timeResolved })
        .from(issueTable)
        .where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, existingIds.slice(i, i + CHUNK))));
      for (const r of rows) {
        const u = updates.get(r.id)!;
        if (r.status === "resolved" && (!r.timeResolved || u.last > r.timeResolved.getTime())) u.regression = true;
      }
    }

    // 5. Issues: new ones inserted and existing ones updated by one upsert per chunk.
    // Assignments run left to right, so the columns compared against come last.
    const all = [...updates.values()];
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
              type: e.error.type.slice(0, 255),
              message: e.error.message.slice(0, 65_000),
              kind: e.error.kind,
              error: e.error,
              functionName: u.latest.fn.name,
              status: "active" as const,
              count: u.count,
              groupingVersion: e.fingerprint.version,
              groupingBasis: { basis: e.fingerprint.basis, components: e.fingerprint.components },
              timeFirstSeen: new Date(u.first),
              timeLastSeen: new Date(u.last),
            };
          }),
        )
        .onDuplicateKeyUpdate({
          set: {
            count: sql`${issueTable.count} + values(${issueTable.count})`,
            error: sql`if(values(${issueTable.timeLastSeen}) >= ${issueTable.timeLastSeen}, values(${issueTable.error}), ${issueTable.error})`,
            message: sql`if(values(${issueTable.timeLastSeen}) >= ${issueTable.timeLastSeen}, values(${issueTable.message}), ${issueTable.message})`,
            functionName: sql`if(values(${issueTable.timeLastSeen}) >= ${issueTable.timeLastSeen}, values(${issueTable.functionName}), ${issueTable.functionName})`,
            status: sql`if(${issueTable.status} = 'resolved' and (${issueTable.timeResolved} is null or values(${issueTable.timeLastSeen}) > ${issueTable.timeResolved}), 'active', ${issueTable.status})`,
            timeResolved: sql`if(${issueTable.status} = 'active', null, ${issueTable.timeResolved})`,
            timeFirstSeen: sql`least(${issueTable.timeFirstSeen}, values(${issueTable.timeFirstSeen}))`,
            timeLastSeen: sql`greatest(${issueTable.timeLastSeen}, values(${issueTable.timeLastSeen}))`,
            timeUpdated: sql`now(3)`,
          },
        });
    }

    // 6. Hashes that were not yet linked (new issues, or a new variant of a known one).
    const hashRows = all.flatMap((u) =>
      [...u.hashes].map((hash) => ({ workspaceId, stageId: u.stageId, hash, issueId: u.id, groupingVersion: u.latest.extracted.fingerprint.version })),
    );
    for (let i = 0; i < hashRows.length; i += CHUNK) {
      await tx.insert(issueHashTable).ignore().values(hashRows.slice(i, i + CHUNK));
    }

    // 7. Hourly counts per function.
    const counts = new Map<string, { issueId: string; hour: Date; functionName: string; count: number }>();
    for (const f of accepted) {
      const issueId = known.get(`${f.fn.stageId}|${f.extracted.fingerprint.hash}`)!;
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

    // 8. The latest few occurrences per issue, with the lines they were read from.
    const perIssue = new Map<string, number>();
    const occurrences = [];
    for (const f of [...accepted].sort((a, b) => b.extracted.error.timestamp - a.extracted.error.timestamp)) {
      const issueId = known.get(`${f.fn.stageId}|${f.extracted.fingerprint.hash}`)!;
      const n = perIssue.get(issueId) ?? 0;
      if (n >= OCCURRENCES_PER_ISSUE_PER_BATCH) continue;
      perIssue.set(issueId, n + 1);
      occurrences.push({
        workspaceId,
        id: createId(),
        issueId,
        stageId: f.fn.stageId,
        eventId: f.key,
        requestId: f.extracted.error.requestId?.slice(0, 64) ?? null,
        functionName: f.fn.name,
        logGroup: f.fn.logGroup,
        logStream: f.logStream.slice(0, 512),
        error: f.extracted.error,
        lines: f.lines,
        timeSeen: new Date(f.extracted.error.timestamp),
      });
    }
    for (let i = 0; i < occurrences.length; i += CHUNK) {
      await tx.insert(issueOccurrenceTable).values(occurrences.slice(i, i + CHUNK));
    }

    // 9. Remember what was ingested (the rate-limited ones too: they are not retried).
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
    await Database.afterCommit(async () => {
      for (const e of events) await e();
      await Actor.system("ingest", { id: workspaceId, slug: "" }, async () => {
        for (const u of publish) await Bus.publish(IssueEvents.Detected, { issueId: u.id, stageId: u.stageId, reason: u.isNew ? "new" : "regression" });
      });
    });
    return publish.map((u) => u.id);
  });
}

export namespace Ingest {
  /** Processes one batch of Kinesis records. */
  export async function batch(records: IngestRecord[], options: IngestOptions = {}): Promise<IngestResult> {
    const stats = emptyStats(records.length);
    const failed: string[] = [];
    const decoded: { record: IngestRecord; data: SubscriptionPayload }[] = [];
    for (const record of records) {
      try {
        const data = decodeSubscriptionPayload(record.data);
        if (!isDataMessage(data)) {
          stats.control++;
          continue;
        }
        decoded.push({ record, data });
      } catch (err) {
        stats.malformed++;
        log.warn("malformed Kinesis record skipped", { sequenceNumber: record.id, reason: (err as Error).message });
      }
    }
    const filters = decoded.map((d) => (d.data.subscriptionFilters ?? []).map(parseFilterName).find((f) => !!f));
    const connectionIds = [...new Set(filters.filter((f) => !!f).map((f) => f!.connectionId))];
    let routed: Map<string, Route | null>;
    try {
      routed = await routes(connectionIds);
    } catch (err) {
      log.error("routing failed; the whole batch is retried", { err });
      return { failed: records.map((r) => r.id), stats };
    }
    const byWorkspace = new Map<string, Payload[]>();
    for (const [i, d] of decoded.entries()) {
      const filter = filters[i];
      const route = filter ? routed.get(filter.connectionId) : null;
      // The payload's owner is set by CloudWatch Logs: it must be the connection's own account.
      if (!route || d.data.owner !== route.accountId) {
        stats.unrouted++;
        continue;
      }
      const list = byWorkspace.get(route.workspaceId) ?? [];
      list.push({ ...d, route, region: filter!.region });
      byWorkspace.set(route.workspaceId, list);
    }
    for (const [workspaceId, payloads] of byWorkspace) {
      try {
        await Actor.system("ingest", { id: workspaceId, slug: "" }, async () => {
          const rules = await rulesOf(workspaceId);
          const connectionIds = [...new Set(payloads.map((p) => p.route.connectionId))];
          const logGroups = [...new Set(payloads.map((p) => p.data.logGroup))];
          const fns = await Database.use((db) => functionsOf(db as Tx, workspaceId, connectionIds, logGroups));
          const found = await extract(payloads, fns, rules, stats, options);
          if (found.length) await store(workspaceId, found, stats, options);
        });
      } catch (err) {
        log.error("ingest failed for a workspace; its records will be retried", { workspaceId, err });
        for (const p of payloads) failed.push(p.record.id);
      }
    }
    return { failed: [...new Set(failed)], stats };
  }

  export function sourceMapStats() {
    return { ...cache.stats };
  }

  export function enrichStats() {
    return { hits: enricher.hits, misses: enricher.misses };
  }

  export function clearCaches() {
    routeCache.clear();
    rulesCache.clear();
    enricher.clear();
  }
}
