/**
 * Classifies ONE log event: a platform line, an error, text that may continue in the next
 * events, or nothing. It holds no state; the stream detector (detector.ts) does.
 *
 * Order of checks, cheapest and most specific first:
 * 1. platform lines (START/END/REPORT, timeouts, exits): fixed prefixes;
 * 2. JSON documents (only when the message starts with `{`, so JSON.parse runs on few lines);
 * 3. the runtime prefix (`ISO\treqid\tLEVEL\t`, Python `[LEVEL]\tISO\treqid\t`, Go dates),
 *    then the Node runtime labels (`Invoke Error`, `Uncaught Exception`,
 *    `Unhandled Promise Rejection`), Node process warnings, and text stacks;
 * 4. unprefixed text (Java, Go, printed Python tracebacks), which may span events.
 *
 * Detection never keys on the level or on a request id: an error needs structure (a runtime
 * label, an error document, a stack, a traceback, a platform line). An explicit non-error
 * level (TRACE, DEBUG, INFO, WARN) only rules out errors a developer logged on purpose at
 * that level; runtime reports are errors whatever their level.
 */
import { parseHeaderAt } from "./header";
import { errorFromObject, parseJsonObject, readJsonLine, salvageErrorJson } from "./parse-json";
import { parseErrorText, type ParsedError } from "./parse-text";
import { INIT_ERROR_TYPES, parsePlatformJson, parsePlatformText, type PlatformLine } from "./platform";
import { dedupeFrames, goFramesFromJson, isNodeFrameLine, parseNodeFrame } from "./frames";
import { SpanMemo } from "./memo";
import { isTypeName, normaliseRequestId, parsePrefix, splitLines, trimEndNewlines, type LogLevel } from "./text";
import type { ErrorKind, Frame, Runtime } from "./types";

export interface Found extends ParsedError {
  kind: ErrorKind;
  /** Request id written on the line itself. */
  requestId?: string;
  fingerprint?: string[];
}

export type Classified =
  | { t: "none" }
  | { t: "platform"; line: PlatformLine }
  | { t: "error"; error: Found }
  | { t: "block"; text: string };

const NONE: Classified = { t: "none" };

const NODE_LABELS: ReadonlyArray<[string, ErrorKind]> = [
  ["Invoke Error", "invoke"],
  ["Uncaught Exception", "uncaught"],
  ["Unhandled Promise Rejection", "unhandled-rejection"],
];

/** Text worth holding as a possible multi-event error. Tested on a bounded head only. */
const ERROR_MARKERS = /Error|Exception|Traceback|panic: |fatal error: |goroutine \d|Caused by|Throwable|Fault|\bat [\w$.<]/;

const QUIET_LEVELS = new Set<LogLevel | undefined>(["TRACE", "DEBUG", "INFO", "WARN"]);

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

function kindForReport(type: string, fallback: ErrorKind, init?: boolean): ErrorKind {
  return init || INIT_ERROR_TYPES.has(type) ? "init" : fallback;
}

/**
 * What the Ruby runtime prints before its pretty JSON error document (a separate `puts`,
 * so usually its own event; some log views join them): aws_lambda_ric.rb.
 */
const RUBY_LABELS: ReadonlyArray<[string, ErrorKind]> = [
  ["Init error when loading handler", "init"],
  ["Error raised from handler method", "invoke"],
  ["Critical exception from handler", "invoke"],
];

/** A Ruby runtime label, alone (nothing to report yet) or followed by its JSON document. */
function fromRubyLabel(text: string): Classified | undefined {
  for (const [label, kind] of RUBY_LABELS) {
    if (!text.startsWith(label)) continue;
    const brace = text.indexOf("{", label.length);
    if (brace === -1) return text.indexOf("\n") === -1 ? NONE : undefined;
    const o = parseJsonObject(text.slice(brace));
    const e = o && typeof o.errorType === "string" ? errorFromObject(o) : undefined;
    if (!e) return undefined;
    return { t: "error", error: { ...e, runtime: e.runtime === "unknown" ? "ruby" : e.runtime, kind: kindForReport(e.type, kind, e.init) } };
  }
  return undefined;
}

/**
 * The go1.x runtime's report of a failed invocation: `<errorMessage>: <errorType>` then, on
 * the next line, the stack as JSON (`[{"path","line","label"}]`) or `null`.
 */
function fromGo1x(text: string): Classified | undefined {
  const nl = text.indexOf("\n");
  if (nl <= 0) return undefined;
  const rest = text.slice(nl + 1).trim();
  if (rest !== "null" && !rest.startsWith("[{")) return undefined;
  const first = text.slice(0, nl).trim();
  const sep = first.lastIndexOf(": ");
  if (sep <= 0) return undefined;
  const type = first.slice(sep + 2);
  if (!isTypeName(type) || type.includes(".")) return undefined;
  let frames: Frame[] = [];
  if (rest !== "null") {
    let stack: unknown;
    try {
      stack = JSON.parse(rest);
    } catch {
      return undefined;
    }
    if (!Array.isArray(stack)) return undefined;
    frames = dedupeFrames(goFramesFromJson(stack));
  }
  return { t: "error", error: { type, message: first.slice(0, sep), frames, runtime: "go", kind: "invoke" } };
}

const IMPORT_MODULE = "Unable to import module '";

/**
 * Legacy Node runtimes (4.3 to 8.10): `Unable to import module 'index': Error` then the
 * require stack, with no request id or level. The same failure as today's
 * `Runtime.ImportModuleError`, named the same way.
 */
function fromImportModule(text: string): Classified {
  const lines = splitLines(text);
  const frames: Frame[] = [];
  for (let i = 1; i < lines.length && frames.length < 200; i++) {
    const f = isNodeFrameLine(lines[i]!) ? parseNodeFrame(lines[i]!) : undefined;
    if (f) frames.push(f);
  }
  return { t: "error", error: { type: "Runtime.ImportModuleError", message: lines[0]!.trimEnd(), frames: dedupeFrames(frames), runtime: "node", kind: "init" } };
}

/**
 * A rejection's real error is its `reason`: report that (type, message, frames) rather than
 * the runtime's wrapper, unless the reason is not an error (a rejected string).
 */
function unwrapRejection(e: ParsedError, raw: Record<string, unknown> | undefined): ParsedError {
  const reason = raw?.reason;
  if (!reason || typeof reason !== "object" || Array.isArray(reason)) return e;
  const r = errorFromObject(reason as Record<string, unknown>);
  if (!r || (r.frames.length === 0 && typeof (reason as Record<string, unknown>).errorType !== "string")) return e;
  const out: ParsedError = { type: r.type, message: r.message, frames: r.frames, runtime: "node" };
  if (r.causes) out.causes = r.causes;
  return out;
}

function isRejectionType(type: string): boolean {
  return type === "Runtime.UnhandledPromiseRejection" || type === "UnhandledPromiseRejection";
}

/**
 * The same bug logs the same body again and again (the request id and time are in the
 * prefix, not in the body), so parsed bodies are remembered: a bounded memo from body to
 * result (./memo.ts), handed out as shallow copies (callers set fields like `requestId` on
 * them; frames are never changed once built). Keys are spans of the line, never copies.
 */
const MEMO_MAX = 2048;
const MEMO_MAX_KEY = 64 * 1024;
const memo = new SpanMemo<Omit<Found, "requestId"> | null>(MEMO_MAX);

/** Memo tags: what a body was parsed as, besides the body itself. */
const TAG = { nodeJson: 1, jsonLine: 2, python: 3, label: 10, text: 20 } as const;
const LABEL_TAGS: Record<string, number> = { invoke: TAG.label, uncaught: TAG.label + 1, "unhandled-rejection": TAG.label + 2 };
const HINT_TAGS: Record<string, number> = { "": 0, python: 2, ruby: 4 };

/**
 * A Found of one shape, field by field: what the memos store and hand out. Errors reach the
 * detector from many parsers in objects of many shapes, and a spread or a field read of
 * objects of many shapes is slow; copies of one shape are not. Only the fields the
 * detector reads are kept.
 */
function copyFound(f: Omit<Found, "requestId">, requestId: string | undefined): Found {
  const out: Found = { type: f.type, message: f.message, frames: f.frames, runtime: f.runtime, kind: f.kind, requestId, causes: f.causes, fingerprint: f.fingerprint };
  if (f.reported !== undefined) out.reported = f.reported;
  if (f.init !== undefined) out.init = f.init;
  return out;
}

/** The memo's form of a result: the same shape, without a request id. */
function stored(f: Omit<Found, "requestId"> | undefined): Omit<Found, "requestId"> | null {
  return f ? copyFound(f, undefined) : null;
}

/** `text` parsed by `compute`, remembered under `tag` and the whole text. */
function remember(tag: number, text: string, compute: () => Omit<Found, "requestId"> | undefined, requestId?: string): Found | undefined {
  if (text.length > MEMO_MAX_KEY) {
    const value = compute();
    return value ? copyFound(value, requestId) : undefined;
  }
  const spans = [0, text.length];
  let hit = memo.get(tag, text, spans);
  if (hit === undefined) {
    hit = stored(compute());
    memo.set(tag, text, spans, hit);
  }
  return hit ? copyFound(hit, requestId) : undefined;
}

function fromLabel(rest: string, kind: ErrorKind, requestId: string | undefined): Found | undefined {
  return remember(LABEL_TAGS[kind] ?? TAG.label, rest, () => parseLabelBody(rest, kind), requestId);
}

function parseLabelBody(rest: string, kind: ErrorKind): Omit<Found, "requestId"> | undefined {
  const brace = rest.indexOf("{");
  if (brace !== -1 && rest.slice(0, brace).trim() === "") {
    const json = rest.slice(brace);
    const o = parseJsonObject(json);
    if (o) {
      let e: ParsedError | undefined = errorFromObject(o);
      if (!e) return undefined;
      if (kind === "unhandled-rejection" || isRejectionType(e.type)) e = unwrapRejection(e, o);
      const fp = (e as { fingerprint?: string[] }).fingerprint;
      const found: Found = { ...e, runtime: "node", kind: kindForReport(e.type, kind) };
      if (fp) found.fingerprint = fp;
      return found;
    }
    const s = salvageErrorJson(json);
    if (s) return { type: s.type, message: s.message, frames: s.frames, runtime: "node", kind: kindForReport(s.type, kind) };
  }
  const t = parseErrorText(rest, { runtime: "node", allowHeaderOnly: true });
  return t ? { ...t, runtime: "node", kind: kindForReport(t.type, kind) } : undefined;
}

/**
 * Node's JSON log format writes `{"timestamp","level","requestId","message",...}` in that
 * order. What follows `"message":` is the same for every repeat of a bug, so an error
 * parsed from it is remembered under the level and that rest, and only the request id
 * (the one part that changes) is set again.
 */
const NODE_JSON_HEAD = /^\{"timestamp":"[^"\\]{0,64}","level":"([A-Z]{1,8})","requestId":"([^"\\]{0,64})","message":/;
const jsonMemo = new SpanMemo<Omit<Found, "requestId"> | null>(MEMO_MAX);

function fromNodeJson(text: string, head: RegExpExecArray): Classified {
  // Below ERROR only a runtime's report can be an error, and every report names an error
  // (`errorType`, `errorMessage`, `Runtime.`, a timeout): an ordinary line is done here.
  if (QUIET_LEVELS.has(head[1] as LogLevel) && !mayReport(text, head[0].length)) return NONE;
  // The key: the level and everything after `"message":`.
  const level = text.indexOf('","level":"') + 11;
  const spans = [level, level + head[1]!.length, head[0].length, text.length];
  const requestId = normaliseRequestId(head[2]);
  const memoable = text.length - head[0].length <= MEMO_MAX_KEY;
  if (memoable) {
    const hit = jsonMemo.get(TAG.nodeJson, text, spans);
    if (hit) return { t: "error", error: copyFound(hit, requestId) };
    if (hit === null) return fromJson(text, {}, 0);
  }
  const r = fromJson(text, {}, 0);
  if (memoable) {
    // Only errors whose request id is the line's own are remembered; anything else is parsed each time.
    const own = r.t === "error" && r.error.requestId === requestId;
    jsonMemo.set(TAG.nodeJson, text, spans, own ? stored((r as { t: "error"; error: Found }).error) : null);
  }
  return r;
}

/**
 * The span of a top-level-looking `"name": "value"` pair's value (a plain string: no escapes,
 * at most 64 characters), found by a bounded scan; undefined when there is none.
 */
function stringValue(text: string, name: string): [number, number] | undefined {
  const at = text.indexOf(name);
  if (at === -1) return undefined;
  let i = at + name.length;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 58 /* : */) return undefined;
  i++;
  while (text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) !== 34 /* " */) return undefined;
  const from = i + 1;
  for (let j = from; j < text.length && j <= from + 64; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return [from, j];
    if (c === 92 /* \\ */) return undefined;
  }
  return undefined;
}

/**
 * Other JSON log lines (Python's runtime, Powertools, loggers): a repeat of a bug differs from
 * the last one only in its `"timestamp"` and `"requestId"` values, which no parser reads but
 * the request id. An error whose request id is that value is remembered under the line with
 * both values cut out; anything else is parsed each time, as it would be without this.
 */
function fromJsonLine(text: string): Classified {
  // Lines that cannot hold an error are read as they are, and never fill the memo.
  if (!mayReport(text, 0)) return fromJson(text, {}, 0);
  const rid = stringValue(text, '"requestId"');
  const ts = stringValue(text, '"timestamp"');
  let spans: number[];
  if (rid && ts) {
    const [a, b] = rid[0] < ts[0] ? [rid, ts] : [ts, rid];
    if (a[1] >= b[0]) return fromJson(text, {}, 0);
    spans = [0, a[0], a[1], b[0], b[1], text.length];
  } else if (rid || ts) {
    const [from, to] = (rid ?? ts)!;
    spans = [0, from, to, text.length];
  } else spans = [0, text.length];
  if (text.length > MEMO_MAX_KEY) return fromJson(text, {}, 0);
  const requestId = rid ? normaliseRequestId(text.slice(rid[0], rid[1])) : undefined;
  const hit = jsonMemo.get(TAG.jsonLine, text, spans);
  if (hit) return { t: "error", error: copyFound(hit, requestId) };
  const r = fromJson(text, {}, 0);
  if (r.t === "error" && r.error.requestId === requestId) jsonMemo.set(TAG.jsonLine, text, spans, stored(r.error));
  return r;
}

/** Whether the text from `from` on may hold a runtime's report (cheap substring checks). */
function mayReport(text: string, from: number): boolean {
  return text.indexOf("rror", from) !== -1 || text.indexOf("Runtime", from) !== -1 || text.indexOf("timed out", from) !== -1 || text.indexOf("xception", from) !== -1;
}

/** A JSON document (the whole message, or the body after a prefix). */
function fromJson(text: string, outer: { level?: LogLevel; requestId?: string }, depth: number): Classified {
  const o = parseJsonObject(text);
  if (!o) {
    if (text.includes('"errorType"')) {
      const s = salvageErrorJson(text);
      if (s) return { t: "error", error: { type: s.type, message: s.message, frames: s.frames, runtime: s.runtime, kind: kindForReport(s.type, "invoke"), requestId: outer.requestId } };
    }
    return NONE;
  }
  const platform = parsePlatformJson(o);
  if (platform) return { t: "platform", line: platform };
  const line = readJsonLine(o);
  const level = line.level ?? outer.level;
  const requestId = line.requestId ?? outer.requestId;
  if (line.error) {
    const e = line.error;
    if (!e.report && QUIET_LEVELS.has(level)) return NONE;
    let parsed: ParsedError = e;
    let kind: ErrorKind = e.report ? "invoke" : "console";
    if (isRejectionType(e.type)) {
      parsed = unwrapRejection(e, typeof o.message === "object" ? (o.message as Record<string, unknown>) : o);
      kind = "unhandled-rejection";
    }
    const found: Found = { ...parsed, kind: kindForReport(parsed.type, kind, parsed.init), requestId };
    if (e.fingerprint) found.fingerprint = e.fingerprint;
    return { t: "error", error: found };
  }
  if (line.text !== undefined && depth < 2) {
    const inner = classifyInner(line.text, { level, requestId }, depth + 1);
    if (inner.t === "error" && inner.error.kind === "console" && QUIET_LEVELS.has(level)) return NONE;
    if (inner.t === "error" && !inner.error.requestId && requestId) inner.error.requestId = requestId;
    if (inner.t === "block") {
      // Wrapped text is complete in itself: parse it now.
      const e = parseErrorText(inner.text, { allowHeaderOnly: level === "ERROR" || level === "FATAL" });
      return e ? { t: "error", error: { ...e, kind: "console", requestId } } : NONE;
    }
    return inner;
  }
  return NONE;
}

/**
 * Python's runtime framing: `[ERROR] Type: message` (+ `\r`-joined traceback). The line has
 * no request id or time, so a repeat is the same text: remembered whole.
 */
function fromPythonRuntime(text: string): Classified {
  const e = remember(TAG.python, text, () => parsePythonRuntime(text));
  return e ? { t: "error", error: e } : NONE;
}

function parsePythonRuntime(text: string): Omit<Found, "requestId"> | undefined {
  const t = parseErrorText(text, { runtime: "python", allowHeaderOnly: false });
  if (t) return { ...t, runtime: "python", kind: kindForReport(t.type, "invoke") };
  const rest = text.slice(8).split(/\r\n|\r|\n/)[0]!.trim();
  const h = parseHeaderAt(rest, 0, false);
  if (!h) return undefined;
  return { type: h.type, message: h.message, frames: [], runtime: "python", kind: kindForReport(h.type, "invoke") };
}

function classifyInner(message: string, outer: { level?: LogLevel; requestId?: string }, depth: number): Classified {
  const text = trimEndNewlines(message);
  if (text.length === 0) return NONE;

  const platform = parsePlatformText(text);
  if (platform) return { t: "platform", line: platform };

  const start = firstNonSpace(text);
  if (text.charCodeAt(start) === 123 /* { */) {
    if (depth === 0 && start === 0) {
      const head = NODE_JSON_HEAD.exec(text);
      if (head) return fromNodeJson(text, head);
      return fromJsonLine(text);
    }
    return fromJson(start === 0 ? text : text.slice(start), outer, depth);
  }

  const pre = parsePrefix(text);
  if (pre.style === "iso" || pre.style === "python" || pre.style === "ruby") {
    const body = pre.body;
    const requestId = pre.requestId;
    if (pre.style === "iso") {
      for (const [label, kind] of NODE_LABELS) {
        if (body.startsWith(label)) {
          const e = fromLabel(body.slice(label.length), kind, requestId);
          return e ? { t: "error", error: e } : NONE;
        }
      }
    }
    const p = parsePlatformText(body);
    if (p && (p.t === "timeout" || p.t === "exit" || p.t === "runtime")) {
      if (requestId && !("requestId" in p && p.requestId)) (p as { requestId?: string }).requestId = requestId;
      return { t: "platform", line: p };
    }
    if (body.startsWith(IMPORT_MODULE)) {
      const r = fromImportModule(body);
      if (r.t === "error" && requestId) r.error.requestId = requestId;
      return r;
    }
    // Node process warnings (`(node:8) [DEP0005] DeprecationWarning: ...`) arrive at ERROR.
    if (body.startsWith("(node:") || body.startsWith("(Use `node --trace")) return NONE;
    // The developer chose this level for the call: nothing logged below ERROR is an issue.
    if (QUIET_LEVELS.has(pre.level)) return NONE;
    const bodyStart = firstNonSpace(body);
    if (body.charCodeAt(bodyStart) === 123) {
      const r = fromJson(body.slice(bodyStart), { level: pre.level, requestId }, depth);
      if (r.t !== "none") return r;
    }
    const hint: Runtime | undefined = pre.style === "python" ? "python" : pre.style === "ruby" ? "ruby" : undefined;
    const allowHeaderOnly = pre.level === "ERROR" || pre.level === "FATAL";
    const e = remember(
      TAG.text + (HINT_TAGS[hint ?? ""] ?? 0) + (allowHeaderOnly ? 1 : 0),
      body,
      () => {
        const parsed = parseErrorText(body, { runtime: hint, allowHeaderOnly });
        return parsed ? { ...parsed, kind: "console" as const } : undefined;
      },
      requestId,
    );
    return e ? { t: "error", error: e } : NONE;
  }

  let body = text;
  if (pre.style === "go") {
    body = pre.body;
    const p = parsePlatformText(body);
    if (p) return { t: "platform", line: p };
    const s = firstNonSpace(body);
    if (body.charCodeAt(s) === 123) {
      // Go's `log` package printed it: an aws-lambda-go payload is Go's, whatever its stack says.
      const r = fromJson(body.slice(s), outer, depth);
      if (r.t === "error" && r.error.runtime === "unknown") r.error.runtime = "go";
      return r;
    }
  }
  if (body.startsWith("[ERROR] ")) return fromPythonRuntime(body);
  if (depth === 0 && pre.style === "none") {
    if (body.startsWith(IMPORT_MODULE)) return fromImportModule(body);
    const ruby = fromRubyLabel(body);
    if (ruby) return ruby;
    const go1x = fromGo1x(body);
    if (go1x) return go1x;
  }
  const head = body.length > 8192 ? body.slice(0, 8192) : body;
  return ERROR_MARKERS.test(head) ? { t: "block", text: body } : NONE;
}

/** Classify one event's message. */
export function classify(message: string): Classified {
  return classifyInner(message, {}, 0);
}

/** Parse the text of a finished multi-event block. */
export function finishBlock(text: string, runtime?: Runtime): Found | undefined {
  const e = parseErrorText(text, { runtime: runtime === "java" || runtime === "dotnet" ? runtime : undefined, allowHeaderOnly: false });
  if (!e) return undefined;
  return { ...e, kind: e.reported ? kindForReport(e.type, "invoke") : "console" };
}

