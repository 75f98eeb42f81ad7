/**
 * Pure parsing of a stage's deploys as SST records them in the state bucket:
 *
 * - `update/<app>/<stage>/<updateID>.json`: `{id, runID?, version, command, errors:[{urn,
 *   message}], timeStarted, timeCompleted?}`. SST writes it when it takes the lock
 *   (`timeStarted` in UTC, no `timeCompleted`) and again at the end (`timeCompleted` in the
 *   machine's local time with its offset, and the errors). `sst unlock` rewrites a stuck
 *   one with only `id`, `command`, `runID`, `version`, an error and `timeCompleted`, so
 *   `timeStarted` is then empty. `runID` is `SST_RUN_ID`, set by an autodeploy runner.
 *   (anomalyco/sst `pkg/project/provider/provider.go` types `Update`, `Lock`,
 *   `ForceUnlock`; `pkg/project/run.go`.)
 * - `eventlog/<app>/<stage>/<updateID>.json`: the Pulumi engine's event log, one JSON event
 *   per line (`pulumi --event-log`), uploaded as is: `{sequence, timestamp (seconds),
 *   <one of resourcePreEvent | resOutputsEvent | resOpFailedEvent | diagnosticEvent |
 *   summaryEvent | cancelEvent | ...>}` (pulumi/pulumi `sdk/go/common/apitype/events.go`).
 *
 * Either body may be gzipped (SST `state.compress`): `decodeBody` sniffs the magic bytes.
 */
import { decodeBody, type Body } from "../app/sst/body";
import { SstStateError } from "../app/sst/error";
import { parseUrn } from "../app/sst/urn";
import { cutChars } from "../util/text";

export type DeployAction = "create" | "update" | "delete" | "replace";
export type ChangeStatus = "done" | "failed" | "pending";
export type DeployStatus = "running" | "succeeded" | "failed";
export type DeploySource = "cli" | "autodeploy";

/** One resource the deploy created, updated, deleted or replaced. */
export interface DeployChange {
  urn: string;
  type: string;
  name: string;
  action: DeployAction;
  /** done: the engine reported its outputs; failed: the step failed; pending: never finished. */
  status: ChangeStatus;
  error: string | null;
  timeStarted: string | null;
  timeCompleted: string | null;
}

export interface DeployError {
  /** The resource it is about, when SST knew one. */
  urn: string | null;
  message: string;
}

export interface ParsedUpdate {
  id: string;
  runId: string | null;
  version: string | null;
  command: string;
  errors: DeployError[];
  timeStarted: Date | null;
  timeCompleted: Date | null;
}

export interface ParsedEventLog {
  changes: DeployChange[];
  /** Errors the engine reported that name no changed resource (the stack, a policy). */
  errors: DeployError[];
  summary: { durationSeconds: number | null; resourceChanges: Record<string, number>; maybeCorrupt: boolean } | null;
  /** Changes beyond the limit were left out. */
  truncated: boolean;
  /** Lines that were not JSON events (a log cut short while uploading, say). */
  badLines: number;
}

/** Longest error message kept, in characters. */
export const MAX_MESSAGE = 4000;
/** Most changes kept for one deploy (an app's first deploy creates every resource). */
export const MAX_CHANGES = 2000;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function time(value: unknown): Date | null {
  const s = str(value);
  if (!s) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function message(value: string): string {
  return cutChars(value.trim(), MAX_MESSAGE);
}

/** Reads an `update/` object. Throws SstStateError when it is not the record SST writes. */
export function parseUpdateRecord(body: Body, expectedId?: string): ParsedUpdate {
  const text = decodeBody(body, { maxBytes: 16 * 1024 * 1024 });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SstStateError("invalid_json", `update record is not valid JSON: ${(err as Error).message}`);
  }
  const u = obj(raw);
  const id = str(u?.id);
  if (!u || !id) throw new SstStateError("unexpected_shape", "update record has no id");
  if (expectedId && id !== expectedId) throw new SstStateError("unexpected_shape", `update record ${id} is stored under ${expectedId}`);
  const errors: DeployError[] = [];
  if (Array.isArray(u.errors)) {
    for (const e of u.errors) {
      const m = str(obj(e)?.message);
      if (m) errors.push({ urn: str(obj(e)?.urn) ?? null, message: message(m) });
    }
  }
  return {
    id,
    runId: str(u.runID) ?? null,
    version: str(u.version) ?? null,
    command: str(u.command) ?? "deploy",
    errors,
    timeStarted: time(u.timeStarted),
    timeCompleted: time(u.timeCompleted),
  };
}

/** Pulumi step ops that change a resource, and what the history calls them. */
const ACTIONS: Record<string, DeployAction> = {
  create: "create",
  import: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  "import-replacement": "replace",
};

/** Stack-level diagnostics SST itself skips (they repeat a resource's error). */
const STACK_NOISE = ["update failed", "update cancelled", "failed to register new resource"];

/** Reads an `eventlog/` object (NDJSON of Pulumi engine events). Never throws on a bad line. */
export function parseEventLog(body: Body, options: { maxChanges?: number } = {}): ParsedEventLog {
  const maxChanges = options.maxChanges ?? MAX_CHANGES;
  const text = decodeBody(body, { maxBytes: 256 * 1024 * 1024 });
  const changes = new Map<string, DeployChange>();
  const errors: DeployError[] = [];
  let summary: ParsedEventLog["summary"] = null;
  let truncated = false;
  let badLines = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let event: Json | undefined;
    try {
      event = obj(JSON.parse(line));
    } catch {
      event = undefined;
    }
    if (!event) {
      badLines++;
      continue;
    }
    const at = typeof event.timestamp === "number" && Number.isFinite(event.timestamp) ? new Date(event.timestamp * 1000).toISOString() : null;
    const step = (key: string) => obj(obj(event![key])?.metadata);
    const pre = step("resourcePreEvent");
    if (pre) {
      const action = ACTIONS[String(pre.op)];
      const urn = str(pre.urn);
      if (!action || !urn || obj(event.resourcePreEvent)?.planning === true) continue;
      const found = changes.get(urn);
      if (found) {
        // A replacement shows as several steps (create-replacement, replace, delete-replaced).
        if (found.action !== action) found.action = "replace";
        found.status = found.status === "failed" ? "failed" : "pending";
        continue;
      }
      if (changes.size >= maxChanges) {
        truncated = true;
        continue;
      }
      const parsed = parseUrn(urn);
      changes.set(urn, {
        urn,
        type: str(pre.type) ?? parsed?.type ?? "",
        name: parsed?.name ?? urn,
        action,
        status: "pending",
        error: null,
        timeStarted: at,
        timeCompleted: null,
      });
      continue;
    }
    const outputs = step("resOutputsEvent");
    if (outputs) {
      const found = changes.get(String(outputs.urn));
      if (found && ACTIONS[String(outputs.op)] && found.status !== "failed") {
        found.status = "done";
        found.timeCompleted = at;
      }
      continue;
    }
    const failed = step("resOpFailedEvent");
    if (failed) {
      const found = changes.get(String(failed.urn));
      if (found) {
        found.status = "failed";
        found.timeCompleted = at;
      }
      continue;
    }
    const diag = obj(event.diagnosticEvent);
    if (diag) {
      if (diag.severity !== "error") continue;
      const text = str(diag.message);
      if (!text) continue;
      const urn = str(diag.urn);
      const found = urn ? changes.get(urn) : undefined;
      if (found) {
        if (!found.error) found.error = message(text);
        continue;
      }
      if (STACK_NOISE.some((p) => text.startsWith(p))) continue;
      if (errors.length < 50) errors.push({ urn: urn ?? null, message: message(text) });
      continue;
    }
    const sum = obj(event.summaryEvent);
    if (sum) {
      const resourceChanges: Record<string, number> = {};
      for (const [k, v] of Object.entries(obj(sum.resourceChanges) ?? {})) if (typeof v === "number") resourceChanges[k] = v;
      summary = {
        durationSeconds: typeof sum.durationSeconds === "number" ? sum.durationSeconds : null,
        resourceChanges,
        maybeCorrupt: sum.maybeCorrupt === true,
      };
    }
  }
  return { changes: [...changes.values()], errors, summary, truncated, badLines };
}

/** One deploy, from its update record and (when SST uploaded one) its event log. */
export interface DeployRecord {
  updateId: string;
  runId: string | null;
  source: DeploySource;
  command: string;
  version: string | null;
  status: DeployStatus;
  timeStarted: Date | null;
  timeCompleted: Date | null;
  /** Errors that belong to no listed change (every error, when there is no event log). */
  errors: DeployError[];
  changes: DeployChange[];
  counts: Record<DeployAction, number>;
  changesTruncated: boolean;
  hasEventLog: boolean;
}

/** Puts an update record and its event log together. */
export function buildDeploy(update: ParsedUpdate, eventlog: ParsedEventLog | null): DeployRecord {
  const changes = eventlog?.changes.map((c) => ({ ...c })) ?? [];
  const byUrn = new Map(changes.map((c) => [c.urn, c]));
  const errors: DeployError[] = [];
  const seen = new Set<string>();
  // SST's own list of errors first (what the CLI printed), then what only the log says.
  for (const e of [...update.errors, ...(eventlog?.errors ?? [])]) {
    const change = e.urn ? byUrn.get(e.urn) : undefined;
    if (change) {
      if (!change.error) change.error = e.message;
      if (change.status !== "done") change.status = "failed";
      continue;
    }
    const key = `${e.urn ?? ""}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(e);
  }
  const failed = errors.length > 0 || update.errors.length > 0 || changes.some((c) => c.status === "failed");
  const status: DeployStatus = !update.timeCompleted ? "running" : failed ? "failed" : "succeeded";
  const counts: Record<DeployAction, number> = { create: 0, update: 0, delete: 0, replace: 0 };
  for (const c of changes) counts[c.action]++;
  return {
    updateId: update.id,
    runId: update.runId,
    source: update.runId ? "autodeploy" : "cli",
    command: update.command,
    version: update.version,
    status,
    timeStarted: update.timeStarted,
    timeCompleted: update.timeCompleted,
    errors,
    changes,
    counts,
    changesTruncated: eventlog?.truncated ?? false,
    hasEventLog: !!eventlog,
  };
}
