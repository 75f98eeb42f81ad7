/**
 * Errors in JSON: the runtimes' error documents (`{errorType, errorMessage, stackTrace}`)
 * and the JSON log format (AWS_LAMBDA_LOG_FORMAT=JSON), plus the shapes common loggers use.
 *
 * - Node text `Invoke Error` payload: `{errorType, errorMessage, code, ...own, stack: [lines]}`
 *   (RIC Errors.js toFormatted). Unhandled rejections add `reason`, itself an error.
 * - Node JSON format: `{timestamp, level, requestId, message}` where `message` is the error
 *   object `{errorType, errorMessage, stackTrace}` when `console.error(err)` had one argument,
 *   or a string with `errorType/errorMessage/stackTrace` at the top level when it had more
 *   (RIC LogPatch.js formatJsonMessage). The runtime's own uncaught-error log is
 *   `console.error(err)`: no label, so it reads as a console error.
 * - Python: `{log_level|level, errorType, errorMessage, requestId, stackTrace: [formatted]}`.
 * - Java and .NET: `{errorType, errorMessage, stackTrace: [...], cause: {...}}`.
 * - Go: `{errorMessage, errorType, stackTrace: [{path, line, label}], shouldExit}`.
 * - Loggers: Powertools (`error: {name, message, stack}`, Python `exception`), pino/bunyan
 *   (`err: {type|name, message, stack}`), winston (`stack`), and a `msg` string.
 */
import { goFramesFromJson, parseFrameLine, parseFrameLines, parseJavaFrameBody, pythonFramesFromJson, dedupeFrames, rubyFrame } from "./frames";

/** Longest frames-only stack text read (beyond it, the frames are cut). */
const MAX_STACK_TEXT = 64 * 1024;
import { parseErrorText, type ParsedError } from "./parse-text";
import { isErrorishName, normaliseRequestId, splitLines, type LogLevel } from "./text";
import type { ErrorCause, Frame, Runtime } from "./types";

export interface JsonError extends ParsedError {
  /** True when the document is a runtime's report of a failed invocation, not a log call. */
  report: boolean;
  fingerprint?: string[];
}

export interface JsonLine {
  level?: LogLevel;
  requestId?: string;
  requestIdMissing: boolean;
  error?: JsonError;
  /** A message string to read as text (`msg`, or `message` when no error object is attached). */
  text?: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Parse JSON text that should be an object; undefined when it is not valid JSON. */
export function parseJsonObject(text: string): Obj | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function levelOf(v: unknown): LogLevel | undefined {
  if (typeof v === "number") {
    // pino/bunyan numbers.
    if (v >= 50) return "ERROR";
    if (v >= 40) return "WARN";
    if (v >= 30) return "INFO";
    return "DEBUG";
  }
  if (typeof v !== "string") return undefined;
  switch (v.toUpperCase()) {
    case "TRACE":
      return "TRACE";
    case "DEBUG":
      return "DEBUG";
    case "INFO":
    case "INFORMATION":
      return "INFO";
    case "WARN":
    case "WARNING":
      return "WARN";
    case "ERROR":
    case "FAIL":
      return "ERROR";
    case "FATAL":
    case "CRITICAL":
    case "CRIT":
      return "FATAL";
  }
  return undefined;
}

function fingerprintOf(o: Obj): string[] | undefined {
  const f = o.errorFingerprint ?? o.fingerprint;
  if (typeof f === "string" && f.length > 0) return [f];
  if (Array.isArray(f) && f.length > 0 && f.every((x) => typeof x === "string")) return f as string[];
  return undefined;
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * The Ruby runtime's error types wrap the exception class in the phase that raised it:
 * `Init<LoadError>`, `Function<NameError>`, `Runtime<...>` (aws_lambda_ric lambda_errors.rb).
 * The class is the type; `Init` says the init phase failed.
 */
export function unwrapRubyType(type: string): { type: string; init: boolean } | undefined {
  const open = type.indexOf("<");
  if (open <= 0 || !type.endsWith(">")) return undefined;
  const phase = type.slice(0, open);
  if (phase !== "Init" && phase !== "Function" && phase !== "Runtime") return undefined;
  const inner = type.slice(open + 1, -1);
  if (inner === "" || inner.length > 200) return undefined;
  return { type: inner, init: phase === "Init" };
}

/**
 * JSON strings of `head` that read as frames (`at ...`, `File ...`), up to 2000 characters
 * after the prefix: one pass over the string tokens (a global regex restarted at every
 * quote and rescanned up to 2000 characters from each).
 */
function frameStrings(head: string): string[] {
  const out: string[] = [];
  let i = head.indexOf('"');
  while (i !== -1) {
    let j = i + 1;
    let units = 0;
    let broken = false;
    while (j < head.length) {
      const c = head.charCodeAt(j);
      if (c === 34) break;
      if (c === 10) {
        broken = true;
        break;
      }
      if (c === 92) {
        if (j + 1 >= head.length || isLineBreak(head.charCodeAt(j + 1))) {
          broken = true;
          break;
        }
        j += 2;
      } else j++;
      units++;
    }
    if (j >= head.length) break;
    if (!broken) {
      const content = head.slice(i + 1, j);
      const prefix = /^\s*(?:at |File )/.exec(content);
      const body = prefix ? units - prefix[0].length : 0;
      if (prefix && body >= 1 && body <= 2000) out.push(content);
    }
    i = head.indexOf('"', j + 1);
  }
  return out;
}

/** Frames of any runtime's `stack`/`stackTrace` array. */
export function framesFromArray(stack: unknown[]): { frames: Frame[]; runtime: Runtime; causes?: ErrorCause[] } {
  if (stack.length === 0) return { frames: [], runtime: "unknown" };
  const first = stack.find((e) => e !== undefined && e !== null);
  if (isObj(first)) return { frames: goFramesFromJson(stack), runtime: "go" };
  if (Array.isArray(first) || (typeof first === "string" && /^\s*File "/.test(first))) {
    return { frames: pythonFramesFromJson(stack), runtime: "python" };
  }
  // .NET's JSON log format splits `exception.ToString()` into the array: header, ` ---> inner`
  // lines and frames. Read it as the text it was, to keep the chain.
  if (typeof first === "string" && !first.trimStart().startsWith("at ") && stack.some((e) => typeof e === "string" && e.startsWith("---> "))) {
    const text = stack.filter((e): e is string => typeof e === "string").join("\n");
    const parsed = parseErrorText(text, { runtime: "dotnet", allowHeaderOnly: false });
    if (parsed) return { frames: parsed.frames, runtime: "dotnet", causes: parsed.causes };
  }
  const frames: Frame[] = [];
  let runtime: Runtime = "unknown";
  for (const entry of stack) {
    if (typeof entry !== "string") continue;
    for (const line of entry.split("\n")) {
      const t = line.trim();
      if (t.startsWith("at ")) {
        const f = parseFrameLine(line, "unknown");
        if (f) {
          frames.push(f);
          if (runtime === "unknown") runtime = f.column !== undefined || f.file.startsWith("/var/") ? "node" : f.module ? (f.file.endsWith(".java") ? "java" : "dotnet") : "node";
        }
      } else if (t.includes("(") && t.endsWith(")")) {
        // Java stackTrace entries have no `at `: `example.Handler.handleRequest(Handler.java:23)`.
        const f = parseJavaFrameBody(t, t);
        if (f) {
          frames.push(f);
          runtime = "java";
        }
      } else {
        const ruby = rubyFrame(t);
        if (ruby) {
          frames.push(ruby);
          runtime = "ruby";
        }
      }
    }
  }
  return { frames: dedupeFrames(frames), runtime };
}

/** Turn an error-like object into type, message and frames; undefined when it is not one. */
/** The first line of a stack, as an array entry or a string. */
function stackHead(stack: unknown): string | undefined {
  if (Array.isArray(stack)) return typeof stack[0] === "string" ? stack[0] : undefined;
  if (typeof stack === "string") return stack.slice(0, Math.min(stack.length, 512)).split("\n", 1)[0];
  return undefined;
}

export function errorFromObject(o: Obj, depth = 0): (ParsedError & { fingerprint?: string[] }) | undefined {
  let type = str(o.errorType) ?? str(o.exception_name) ?? str(o.name) ?? str(o.type);
  const ruby = type !== undefined ? unwrapRubyType(type) : undefined;
  if (ruby) type = ruby.type;
  // Node's JSON log format names the error by its constructor, which a minifier renames
  // (`xl`), while the stack and `name` keep the name people gave it: prefer that one.
  const name = str(o.name);
  if (name && type !== name) {
    const head = stackHead(o.stack ?? o.stackTrace);
    if (head !== undefined && (head === name || head.startsWith(`${name}:`) || head.startsWith(`${name} [`))) type = name;
  }
  const message = str(o.errorMessage) ?? str(o.message) ?? str(o.msg);
  const stackRaw = o.stack ?? o.stackTrace ?? o.stack_trace ?? o.StackTrace ?? o.trace ?? o.exception;
  if (type === undefined && message === undefined) return undefined;
  let frames: Frame[] = [];
  let runtime: Runtime = ruby ? "ruby" : "unknown";
  let textError: ParsedError | undefined;
  let arrayCauses: ErrorCause[] | undefined;
  if (Array.isArray(stackRaw)) {
    const r = framesFromArray(stackRaw);
    frames = r.frames;
    if (r.runtime !== "unknown") runtime = r.runtime;
    arrayCauses = r.causes;
  } else if (typeof stackRaw === "string") {
    textError = parseErrorText(stackRaw, { allowHeaderOnly: false });
    if (textError) {
      frames = textError.frames;
      runtime = textError.runtime;
    } else {
      // A stack of frames only (.NET `StackTrace`, Powertools `stack_trace`): no header line.
      const lines = splitLines(stackRaw.length > MAX_STACK_TEXT ? stackRaw.slice(0, MAX_STACK_TEXT) : stackRaw);
      frames = dedupeFrames(parseFrameLines(lines, "unknown"));
      if (frames.length > 0) runtime = frames[0]!.column !== undefined ? "node" : frames[0]!.module && !frames[0]!.file.endsWith(".java") ? "dotnet" : "java";
    }
  }
  const out: ParsedError & { fingerprint?: string[] } = {
    type: type ?? textError?.type ?? "Error",
    message: message ?? textError?.message ?? "",
    frames,
    runtime,
  };
  if (ruby?.init) out.init = true;
  const causes = depth < 8 ? causesOf(o, depth) : [];
  if (textError?.causes) causes.unshift(...textError.causes);
  if (arrayCauses) causes.unshift(...arrayCauses);
  if (causes.length > 0) out.causes = causes;
  if (out.runtime === "unknown" && (out.type.startsWith("System.") || out.type.startsWith("Amazon.") || out.type.startsWith("Microsoft."))) out.runtime = "dotnet";
  if (out.runtime === "unknown" && causes.length > 0 && out.type.includes(".") && /* Java documents name classes */ causes.some((c) => c.frames.some((f) => f.file.endsWith(".java")))) out.runtime = "java";
  const fp = fingerprintOf(o);
  if (fp) out.fingerprint = fp;
  return out;
}

function causesOf(o: Obj, depth: number): ErrorCause[] {
  const out: ErrorCause[] = [];
  // Java/.NET `cause`, Node `cause` (serialised by the runtime's replacer), Node rejection `reason`.
  for (const key of ["cause", "reason", "innerException", "InnerException", "inner_exception"]) {
    const v = o[key];
    if (!isObj(v)) continue;
    const c = errorFromObject(v, depth + 1);
    if (!c) continue;
    out.push({ type: c.type, message: c.message, frames: c.frames });
    if (c.causes) out.push(...c.causes);
  }
  // Powertools batch failures: the first record's error says what actually failed.
  const records = o.recordErrors;
  if (Array.isArray(records) && isObj(records[0])) {
    const c = errorFromObject(records[0], depth + 1);
    if (c) out.push({ type: c.type, message: c.message, frames: c.frames });
  }
  return out;
}

const ERROR_DOC_KEYS = new Set(["errorMessage", "errorType", "stackTrace", "stack", "requestId"]);

function hasErrorFields(o: Obj): boolean {
  if (typeof o.errorType === "string") return true;
  if (typeof o.errorMessage !== "string") return false;
  if (Array.isArray(o.stackTrace) || Array.isArray(o.stack) || "errorType" in o) return true;
  // Legacy Node's `callback("text")` payload: `{"errorMessage": "text"}` and nothing else.
  for (const k in o) if (!ERROR_DOC_KEYS.has(k)) return false;
  return true;
}

/**
 * Read a JSON log document. `o` is already parsed. The caller decides what an error means
 * for detection (levels, request ids); this only reads.
 */
export function readJsonLine(o: Obj): JsonLine {
  const level = levelOf(o.level ?? o.log_level ?? o.severity ?? o.levelname);
  const rid = str(o.requestId) ?? str(o.request_id) ?? str(o.aws_request_id) ?? str(o.AWSRequestId) ?? str(o.awsRequestId);
  const requestId = normaliseRequestId(rid);
  const out: JsonLine = { level, requestId, requestIdMissing: requestId === undefined };
  const fingerprint = fingerprintOf(o);

  // 1. The document is an error: runtime reports and Node's multi-argument console calls.
  if (hasErrorFields(o)) {
    const e = errorFromObject({ ...o, message: undefined, msg: undefined } as Obj);
    if (e) {
      const isLogCall = typeof o.message === "string" || typeof o.msg === "string";
      out.error = { ...e, report: !isLogCall };
      if (fingerprint) out.error.fingerprint = fingerprint;
      return out;
    }
  }
  // 2. Node JSON `console.error(err)`: the message is the error object.
  const message = o.message;
  if (isObj(message) && (typeof message.errorType === "string" || typeof message.errorMessage === "string")) {
    const e = errorFromObject(message);
    if (e) {
      out.error = { ...e, report: false };
      const fp = fingerprint ?? fingerprintOf(message);
      if (fp) out.error.fingerprint = fp;
      return out;
    }
  }
  // 3. Loggers attaching an error to a message.
  for (const key of ["error", "err", "exception"]) {
    const v = o[key];
    if (isObj(v)) {
      const e = errorFromObject(v);
      // An exception object: frames, a stack, or (at ERROR) a class name such as Powertools for .NET's `{type, message}`.
      const classy = (level === "ERROR" || level === "FATAL") && typeof v.type === "string" && isErrorishName(v.type) && typeof v.message === "string";
      if (e && (e.frames.length > 0 || typeof v.stack === "string" || classy)) {
        out.error = { ...e, report: false };
        if (fingerprint) out.error.fingerprint = fingerprint;
        return out;
      }
    } else if (typeof v === "string" && v.length > 0) {
      // Powertools for Python: `exception` holds the formatted traceback, `exception_name` the type.
      const e = parseErrorText(v, { allowHeaderOnly: false });
      if (e) {
        out.error = { ...e, report: false };
        if (typeof o.exception_name === "string") out.error.type = o.exception_name;
        if (fingerprint) out.error.fingerprint = fingerprint;
        return out;
      }
    }
  }
  // winston: `{level, message, stack}`.
  if (typeof o.stack === "string") {
    const e = parseErrorText(o.stack, { allowHeaderOnly: false });
    if (e) {
      out.error = { ...e, report: false };
      if (fingerprint) out.error.fingerprint = fingerprint;
      return out;
    }
  }
  // 4. A message to read as text.
  const text = str(o.msg) ?? (typeof message === "string" ? message : undefined);
  if (text !== undefined) out.text = text;
  return out;
}

/**
 * Salvage an error document cut by CloudWatch's 256 KB event limit: read `errorType` and
 * `errorMessage` with a bounded scan, since JSON.parse cannot.
 */
export function salvageErrorJson(text: string): (ParsedError & { report: boolean }) | undefined {
  const head = text.length > 20000 ? text.slice(0, 20000) : text;
  const type = /"errorType"\s*:\s*"((?:[^"\\\n]|\\.){1,300})"/.exec(head)?.[1];
  if (!type) return undefined;
  const message = /"errorMessage"\s*:\s*"((?:[^"\\\n]|\\.){0,2000})"/.exec(head)?.[1] ?? "";
  const unescape = (s: string) => {
    try {
      return JSON.parse(`"${s}"`) as string;
    } catch {
      return s;
    }
  };
  const frames = framesFromArray(
    frameStrings(head).map(unescape),
  );
  return { type: unescape(type), message: unescape(message), frames: frames.frames, runtime: frames.runtime, report: true };
}
