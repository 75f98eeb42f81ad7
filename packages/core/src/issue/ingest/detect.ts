/**
 * Detect: one workspace's payloads, gathered per function and log stream, run through
 * the Issues pipeline (../pipeline.ts, the same one the `extract` CLI runs): detection
 * (../extract), then enrichment (source maps, grouping rules, fingerprints; remembered for
 * stacks already seen, ../enrich.ts). The log group of a payload must belong to a function
 * the workspace knows in that connection and region; events of other log groups are only
 * counted.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { appTable, functionTable, stageTable } from "../../app/app.sql";
import { Database, type Tx } from "../../db";
import { sha256 } from "../../id";
import { log } from "../../util/log";
import { parseRules, type DetectedError, type FingerprintRule, type LogEvent } from "../extract";
import { fingerprintRuleTable } from "../issue.sql";
import { Pipeline } from "../pipeline";
import { SourceMaps } from "../sourcemaps";
import type { Found, FunctionRow, IngestOptions, IngestStats, Payload } from "./types";

const MAX_LINES_BYTES = 32 * 1024;
const CACHE_MS = 30_000;

/** The consumer's pipeline: its work cache lives as long as the process (a warm Lambda). */
const pipeline = new Pipeline({ sourceMapBytes: 256 * 1024 * 1024 });
const rulesCache = new Map<string, { at: number; rules: FingerprintRule[] }>();

export const detectCaches = {
  sourceMapStats: () => pipeline.stats().sourceMaps,
  enrichStats: () => pipeline.stats().enrich,
  clear() {
    rulesCache.clear();
    pipeline.clear();
  },
};

/** The workspace's fingerprint rules (cached briefly; unreadable rules are logged and ignored). */
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

/** Rules changed: the next batch reads them again. */
export function forgetRules(workspaceId: string) {
  rulesCache.delete(workspaceId);
}

/** The functions owning `logGroups`, keyed `<connection>|<region>|<log group>`. */
export async function functionsOf(tx: Tx, workspaceId: string, connectionIds: string[], logGroups: string[]): Promise<Map<string, FunctionRow>> {
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

/** The log events an error was read from, capped in size. */
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
export async function detect(
  workspaceId: string,
  payloads: Payload[],
  stats: IngestStats,
  options: IngestOptions,
): Promise<Found[]> {
  const rules = await rulesOf(workspaceId);
  const connectionIds = [...new Set(payloads.map((p) => p.route.connectionId))];
  const logGroups = [...new Set(payloads.map((p) => p.data.logGroup))];
  const fns = await Database.use((db) => functionsOf(db as Tx, workspaceId, connectionIds, logGroups));
  const streams = new Map<string, { route: Found["route"]; fn: FunctionRow; logStream: string; events: LogEvent[] }>();
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
    const stream = pipeline.stream(context, { scope: workspaceId, rules, ...(provider ? { sourcemaps: { provider } } : {}) });
    const errors = pipeline.detect(stream, s.events, true);
    if (!errors.length) continue;
    stats.errors += errors.length;
    const byId = new Map<string, LogEvent>();
    for (const e of s.events) if (e.id) byId.set(e.id, e);
    const enriched = await pipeline.enrich(stream, errors);
    for (const x of enriched) {
      found.push({ route: s.route, fn: s.fn, logStream: s.logStream, key: errorKey(x.error, s.logStream), extracted: x, lines: linesOf(x.error, byId) });
    }
  }
  return found;
}
