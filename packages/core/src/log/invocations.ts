/**
 * Invocations rebuilt from a function's raw CloudWatch log lines.
 *
 * Lambda runs one invocation at a time per log stream and writes START, END and REPORT
 * around it (text format), or `platform.start`, `platform.runtimeDone`, `platform.report`
 * records (JSON format); INIT_START/INIT_REPORT (`platform.initStart`/`initReport`) around a
 * cold start. Rebuilding keys everything by request id, never by position alone, because:
 *
 * - a timeout line (`Task timed out after ...`) can come after END and REPORT;
 * - an out-of-memory kill (`Error Runtime exited with error: signal: killed`) can come after
 *   REPORT *without* a request id: it belongs to the stream's last invocation when no other
 *   START came in between;
 * - an application line can carry a timestamp a few ms before its START (the runtime stamps
 *   the line when it is written, the platform its START when it is flushed): sorting by
 *   time would put it outside; its request id puts it back in;
 * - streams interleave when several are read together: each stream is walked on its own.
 *
 * Lines without a request id (Go, Java stdout, Node 24's `-`) belong to the invocation open
 * in their stream between START and END; other lines (init, extensions) are kept as groups
 * with `requestId: null` so they are shown, not dropped. Errors come from the issue detector
 * (`issue/extract`), run once per stream, and are joined by request id or by event id.
 *
 * Truncated lines (CloudWatch cuts events at 256 KB, a REPORT can lose its tail) keep what
 * can be read: a REPORT without `Max Memory Used` still ends its invocation.
 */
import { createDetector, type DetectedError } from "../issue/extract";
import { parsePlatformJson, parsePlatformText, type PlatformLine } from "../issue/extract/platform";
import { parsePrefix } from "../issue/extract/text";

export interface RawLine {
  id?: string;
  timestamp: number;
  message: string;
  /** The log stream; lines of different streams are rebuilt separately. */
  stream?: string;
}

export interface InvocationLine {
  id: string;
  timestamp: number;
  message: string;
}

export type InvocationStatus = "success" | "error" | "timeout" | "oom" | "running" | "other";

export interface Invocation {
  /** Null for a group of lines outside any invocation (init, extensions, shutdown). */
  requestId: string | null;
  logStream: string | null;
  start: number;
  end: number | null;
  duration: number | null;
  billedDuration: number | null;
  memorySize: number | null;
  maxMemoryUsed: number | null;
  /** Present on a cold start. */
  initDuration: number | null;
  status: InvocationStatus;
  lines: InvocationLine[];
  errors: DetectedError[];
}

interface Building extends Invocation {
  started: boolean;
  ended: boolean;
  reported: boolean;
  reportStatus?: string;
  reportErrorType?: string;
  timedOut: boolean;
  killed: boolean;
  oomType: boolean;
}

const NUM = "([0-9]+(?:\\.[0-9]+)?)";
const DURATION = new RegExp(`(?:^|\\s)Duration:\\s*${NUM}\\s*ms`);
const BILLED = new RegExp(`Billed Duration:\\s*${NUM}\\s*ms`);
const MEMORY = new RegExp(`Memory Size:\\s*${NUM}\\s*MB`);
const MAX_MEMORY = new RegExp(`Max Memory Used:\\s*${NUM}\\s*MB`);
const INIT = new RegExp(`Init Duration:\\s*${NUM}\\s*ms`);

function num(re: RegExp, text: string): number | null {
  const m = re.exec(text);
  return m ? Number(m[1]) : null;
}

function recNum(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

interface Classified {
  platform?: PlatformLine;
  requestId?: string;
  /** JSON `platform.report` metrics. */
  metrics?: Record<string, unknown>;
}

/** What one line says: a platform record and/or the request id it names. */
function classifyLine(message: string): Classified {
  const c = message.charCodeAt(0);
  if (c === 123 /* { */) {
    let o: unknown;
    try {
      o = JSON.parse(message);
    } catch {
      return {}; // a truncated JSON line: shown as text, joined by position
    }
    if (!o || typeof o !== "object") return {};
    const rec = o as Record<string, unknown>;
    const platform = parsePlatformJson(rec);
    if (platform) {
      const record = rec.record as Record<string, unknown> | undefined;
      const metrics = rec.type === "platform.report" && record && typeof record.metrics === "object" ? (record.metrics as Record<string, unknown>) : undefined;
      return { platform, requestId: "requestId" in platform ? platform.requestId : undefined, metrics };
    }
    const rid = rec.requestId ?? rec.AWSRequestId ?? rec.aws_request_id ?? rec.function_request_id;
    return { requestId: typeof rid === "string" && rid !== "" && rid !== "-" && rid !== "undefined" ? rid : undefined };
  }
  const platform = parsePlatformText(message);
  if (platform) {
    if (platform.t === "timeout" && !platform.requestId) {
      // `<ISO ts> <request id> Task timed out after 3.03 seconds`
      return { platform, requestId: parsePrefix(message).requestId };
    }
    return { platform, requestId: "requestId" in platform ? platform.requestId : undefined };
  }
  if (c === 73 /* I */ && message.startsWith("INIT_")) return {};
  const p = parsePrefix(message);
  if (p.requestId) {
    if (p.body.startsWith("Task timed out after")) return { platform: { t: "timeout", requestId: p.requestId, message: p.body }, requestId: p.requestId };
    return { requestId: p.requestId };
  }
  // `<ISO ts> <request id> Task timed out ...` with spaces is read by parsePrefix too.
  return {};
}

function blank(requestId: string | null, stream: string | null, at: number): Building {
  return {
    requestId,
    logStream: stream,
    start: at,
    end: null,
    duration: null,
    billedDuration: null,
    memorySize: null,
    maxMemoryUsed: null,
    initDuration: null,
    status: "running",
    lines: [],
    errors: [],
    started: false,
    ended: false,
    reported: false,
    timedOut: false,
    killed: false,
    oomType: false,
  };
}

function onPlatform(inv: Building, p: PlatformLine, line: InvocationLine, metrics: Record<string, unknown> | undefined): void {
  switch (p.t) {
    case "start":
      inv.started = true;
      inv.start = Math.min(inv.start, line.timestamp);
      break;
    case "end":
      inv.ended = true;
      inv.end = Math.max(inv.end ?? 0, line.timestamp);
      break;
    case "report": {
      inv.reported = true;
      inv.ended = true;
      inv.end = Math.max(inv.end ?? 0, line.timestamp);
      if (p.status) inv.reportStatus = p.status;
      if (p.errorType) inv.reportErrorType = p.errorType;
      if (metrics) {
        inv.duration = recNum(metrics.durationMs) ?? inv.duration;
        inv.billedDuration = recNum(metrics.billedDurationMs) ?? inv.billedDuration;
        inv.memorySize = recNum(metrics.memorySizeMB) ?? inv.memorySize;
        inv.maxMemoryUsed = recNum(metrics.maxMemoryUsedMB) ?? inv.maxMemoryUsed;
        inv.initDuration = recNum(metrics.initDurationMs) ?? inv.initDuration;
      } else if (line.message.startsWith("REPORT")) {
        inv.duration = num(DURATION, line.message) ?? inv.duration;
        inv.billedDuration = num(BILLED, line.message) ?? inv.billedDuration;
        inv.memorySize = num(MEMORY, line.message) ?? inv.memorySize;
        inv.maxMemoryUsed = num(MAX_MEMORY, line.message) ?? inv.maxMemoryUsed;
        inv.initDuration = num(INIT, line.message) ?? inv.initDuration;
      }
      break;
    }
    case "timeout":
      inv.timedOut = true;
      break;
    case "exit":
      if (p.errorType === "Runtime.OutOfMemory") inv.oomType = true;
      if (p.message?.includes("signal: killed")) inv.killed = true;
      break;
    default:
      break;
  }
}

function finish(inv: Building): Invocation {
  if (inv.requestId === null) {
    inv.status = "other";
  } else {
    const errType = inv.reportErrorType ?? "";
    const full = inv.memorySize !== null && inv.maxMemoryUsed !== null && inv.maxMemoryUsed >= inv.memorySize;
    if (inv.timedOut || inv.reportStatus === "timeout" || inv.errors.some((e) => e.kind === "timeout")) inv.status = "timeout";
    else if (errType === "Runtime.OutOfMemory" || inv.oomType || (inv.killed && full) || inv.errors.some((e) => e.kind === "oom")) inv.status = "oom";
    else if ((inv.reportStatus && inv.reportStatus !== "success") || inv.killed || inv.errors.some((e) => e.kind !== "console")) inv.status = "error";
    else if (inv.errors.length > 0) inv.status = "error";
    else if (inv.ended || inv.reported) inv.status = "success";
    else inv.status = "running";
  }
  if (inv.lines.length > 0) {
    inv.lines.sort((a, b) => a.timestamp - b.timestamp);
    if (!inv.started) inv.start = inv.lines[0]!.timestamp;
    if (inv.requestId === null) inv.end = inv.lines[inv.lines.length - 1]!.timestamp;
  }
  return {
    requestId: inv.requestId,
    logStream: inv.logStream,
    start: inv.start,
    end: inv.end,
    duration: inv.duration,
    billedDuration: inv.billedDuration,
    memorySize: inv.memorySize,
    maxMemoryUsed: inv.maxMemoryUsed,
    initDuration: inv.initDuration,
    status: inv.status,
    lines: inv.lines,
    errors: inv.errors,
  };
}

/** Rebuild the invocations of one stream's lines (in the order CloudWatch returned them). */
function rebuildStream(stream: string | null, lines: RawLine[], seq: { n: number }): Invocation[] {
  const byId = new Map<string, Building>();
  const order: Building[] = [];
  const lineOwner = new Map<string, Building>();
  let open: Building | undefined; // between START and END
  let last: Building | undefined; // the last invocation started (for late platform lines)
  let outside: Building | undefined; // the current group of lines outside invocations
  const detector = createDetector(stream ? { logStream: stream } : {});
  const errors: DetectedError[] = [];

  const get = (rid: string, at: number): Building => {
    let inv = byId.get(rid);
    if (!inv) {
      inv = blank(rid, stream, at);
      byId.set(rid, inv);
      order.push(inv);
    }
    return inv;
  };

  for (const raw of lines) {
    const line: InvocationLine = { id: raw.id ?? `${raw.timestamp}-${seq.n}`, timestamp: raw.timestamp, message: raw.message };
    seq.n++;
    for (const e of detector.push(line)) errors.push(e);
    const c = classifyLine(raw.message);
    let owner: Building;
    const p = c.platform;
    if (c.requestId) {
      owner = get(c.requestId, line.timestamp);
      if (p?.t === "start") {
        open = owner;
        last = owner;
        outside = undefined;
      } else if (p?.t === "end" || p?.t === "report") {
        if (open === owner) open = undefined;
      }
    } else if (p && (p.t === "exit" || p.t === "timeout" || p.t === "runtime") && (open || last)) {
      owner = (open ?? last)!; // a platform failure after END/REPORT without its request id
    } else if (open && !(p && (p.t === "init-start" || p.t === "init-report"))) {
      owner = open;
    } else {
      if (p?.t === "init-start") outside = undefined; // a new environment: a new group
      if (!outside) {
        outside = blank(null, stream, line.timestamp);
        order.push(outside);
      }
      owner = outside;
    }
    if (p) onPlatform(owner, p, line, c.metrics);
    owner.lines.push(line);
    lineOwner.set(line.id, owner);
  }
  for (const e of detector.flush()) errors.push(e);

  for (const e of errors) {
    let inv = e.requestId ? byId.get(e.requestId) : undefined;
    if (!inv) for (const id of e.eventIds) if ((inv = lineOwner.get(id))) break;
    inv?.errors.push(e);
  }
  return order.map(finish);
}

/**
 * Invocations (and groups of other lines) from raw log lines, oldest first by start.
 * Lines may come from several streams (`stream`); each is rebuilt on its own.
 */
export function rebuildInvocations(lines: readonly RawLine[]): Invocation[] {
  const streams = new Map<string | null, RawLine[]>();
  for (const l of lines) {
    const key = l.stream ?? null;
    let list = streams.get(key);
    if (!list) streams.set(key, (list = []));
    list.push(l);
  }
  const seq = { n: 0 };
  const out: Invocation[] = [];
  for (const [stream, list] of streams) {
    // CloudWatch returns a stream's events in time order; keep ties in arrival order.
    const sorted = list.every((l, i) => i === 0 || list[i - 1]!.timestamp <= l.timestamp) ? list : [...list].sort((a, b) => a.timestamp - b.timestamp);
    for (const inv of rebuildStream(stream, sorted, seq)) out.push(inv);
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

/**
 * The lines of one invocation, as the function's logs page shows it: from
 * its START to its REPORT, with the lines it owns that fall outside (an error stamped a few ms
 * before START, a late timeout, an out-of-memory kill after REPORT). Without a START in reach,
 * the lines that name the request.
 */
export function invocationLines(events: readonly RawLine[], requestId: string): RawLine[] {
  const invocation = rebuildInvocations(events).find((i) => i.requestId === requestId);
  if (!invocation) return [...events].sort((a, b) => a.timestamp - b.timestamp).filter((e) => e.message.includes(requestId));
  return invocation.lines.map((l) => ({ id: l.id, timestamp: l.timestamp, message: l.message }));
}
