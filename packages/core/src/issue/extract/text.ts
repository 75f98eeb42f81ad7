/**
 * Small text helpers shared by the parsers: splitting lines the way Lambda runtimes write
 * them, reading the prefix runtimes put before each application log line, and deciding
 * whether a token looks like an exception class name.
 *
 * Everything here is written to be linear in the input: no regular expression has nested
 * or overlapping quantifiers, and the few regexes run on bounded slices.
 */

/**
 * Split on `\n`, `\r\n` and lone `\r`. The Node runtime replaces `\n` with `\r` when it
 * writes to stdout, and the Python runtime joins traceback lines with `\r`, so all three
 * must count as line breaks.
 */
export function splitLines(text: string): string[] {
  if (text.indexOf("\r") === -1) return text.split("\n");
  return text.split(/\r\n|\r|\n/);
}

/** Remove trailing newlines (CloudWatch keeps the one the runtime wrote). */
export function trimEndNewlines(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c === 10 || c === 13) end--;
    else break;
  }
  return end === text.length ? text : text.slice(0, end);
}

export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL";

/** The prefix a runtime wrote before the message, when there is one. */
export interface Prefix {
  /** Which convention: Node/.NET `ISO\treqid\tLEVEL\t`, Python logging `[LEVEL]\tISO\treqid\t`, Go `log` dates. */
  style: "iso" | "python" | "go" | "ruby" | "none";
  /** The request id token as written, normalised: `undefined`, `-`, `null` and empty become undefined. */
  requestId?: string;
  /** True when the id column held `undefined`, `-` or nothing (init phase or Node 24). */
  requestIdMissing: boolean;
  level?: LogLevel;
  /** The message after the prefix. */
  body: string;
}

const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?[\t ]/;
const PY_PREFIX = /^\[(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|TRACE)\][\t ]+\d{4}-\d{2}-\d{2}T[\d:.]+Z?[\t ]/;
const GO_PREFIX = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? /;

const LEVELS: Record<string, LogLevel> = {
  TRACE: "TRACE",
  DEBUG: "DEBUG",
  INFO: "INFO",
  WARN: "WARN",
  WARNING: "WARN",
  ERROR: "ERROR",
  FATAL: "FATAL",
  CRITICAL: "FATAL",
  // .NET runtime support writes these short names.
  trce: "TRACE",
  dbug: "DEBUG",
  info: "INFO",
  warn: "WARN",
  fail: "ERROR",
  crit: "FATAL",
};

const RUBY_SEVERITY = new Set(["D", "I", "W", "E", "F", "A"]);
const RUBY_LEVELS: Record<string, LogLevel> = { DEBUG: "DEBUG", INFO: "INFO", WARN: "WARN", ERROR: "ERROR", FATAL: "FATAL" };

/**
 * Ruby's Logger as the Lambda runtime formats it (aws_lambda_ric LogFormatter):
 * `E, [2024-05-01T10:00:00.123456 #8] ERROR <request id> -- <progname>: <message>`.
 */
function parseRubyPrefix(message: string): Prefix {
  const none: Prefix = { style: "none", requestIdMissing: true, body: message };
  const close = message.indexOf("] ", 4);
  if (close === -1 || close > 80) return none;
  let i = skipSeps(message, close + 2);
  const [levelToken, afterLevel] = tokenAt(message, i);
  i = skipSeps(message, afterLevel);
  let requestId: string | undefined;
  if (!message.startsWith("-- ", i)) {
    const [idToken, afterId] = tokenAt(message, i);
    requestId = normaliseRequestId(idToken);
    i = skipSeps(message, afterId);
  }
  if (!message.startsWith("--", i)) return none;
  // `-- progname: ` (progname may be empty).
  const colon = message.indexOf(": ", i);
  if (colon === -1 || colon - i > 200) return none;
  return { style: "ruby", requestId, requestIdMissing: requestId === undefined, level: RUBY_LEVELS[levelToken], body: message.slice(colon + 2) };
}

export function normaliseRequestId(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const t = token.trim();
  if (t === "" || t === "undefined" || t === "-" || t === "null" || t === "None") return undefined;
  return t;
}

function isSep(c: number): boolean {
  return c === 9 || c === 32;
}

/** Read the token from `start` up to the next TAB/space. */
function tokenAt(text: string, start: number): [string, number] {
  let i = start;
  while (i < text.length && !isSep(text.charCodeAt(i)) && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return [text.slice(start, i), i];
}

function skipSeps(text: string, start: number): number {
  let i = start;
  while (i < text.length && isSep(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Read the runtime prefix of an application log line. The separators may be TABs (as
 * written) or spaces (as copied from the console): both are accepted. The request id is
 * whatever token sits in its column; it is never validated as a UUID.
 */
export function parsePrefix(message: string): Prefix {
  const first = message.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    const iso = ISO_TS.exec(message); // anchored: fails at the first character that does not fit
    if (iso) {
      let i = skipSeps(message, iso[0].length);
      const [idToken, afterId] = tokenAt(message, i);
      const requestId = normaliseRequestId(idToken);
      // One separator only before the level: the body keeps its own leading whitespace.
      i = afterId < message.length && isSep(message.charCodeAt(afterId)) ? afterId + 1 : afterId;
      const [levelToken, afterLevel] = tokenAt(message, i);
      const level = LEVELS[levelToken];
      let body: string;
      if (level) {
        body = afterLevel < message.length && isSep(message.charCodeAt(afterLevel)) ? message.slice(afterLevel + 1) : message.slice(afterLevel);
      } else {
        body = message.slice(i);
      }
      return { style: "iso", requestId, requestIdMissing: requestId === undefined, level, body };
    }
    const go = GO_PREFIX.exec(message);
    if (go) return { style: "go", requestIdMissing: true, body: message.slice(go[0].length) };
  } else if (message.charCodeAt(1) === 44 /* , */ && message.startsWith(" [", 2) && RUBY_SEVERITY.has(message[0]!)) {
    return parseRubyPrefix(message);
  } else if (first === 91 /* [ */) {
    const py = PY_PREFIX.exec(message);
    if (py) {
      // The request id column may be empty (two TABs in a row) outside an invocation.
      let i = py[0].length;
      let idToken = "";
      if (message.charCodeAt(i) !== 9) {
        const t = tokenAt(message, i);
        idToken = t[0];
        i = t[1];
      }
      if (i < message.length && isSep(message.charCodeAt(i))) i++;
      const requestId = normaliseRequestId(idToken);
      return { style: "python", requestId, requestIdMissing: requestId === undefined, level: LEVELS[py[1]!], body: message.slice(i) };
    }
  }
  return { style: "none", requestIdMissing: true, body: message };
}

/** A dotted or plain identifier: `Error`, `java.lang.NullPointerException`, `Outer$Inner`, `Runtime.ExitError`. */
const TYPE_NAME = /^[A-Za-z_$][\w$]*(?:[.+][A-Za-z_$][\w$]*)*$/;

export function isTypeName(token: string): boolean {
  return token.length > 0 && token.length <= 200 && TYPE_NAME.test(token);
}

const ERRORISH = /(?:Error|Exception|Fault|Failure|Throwable|Panic|Interrupt|Exit|Rejection|Errors|Exceptions)$/;

/** True when the last segment of a type name reads like an exception class. */
export function isErrorishName(token: string): boolean {
  if (!isTypeName(token)) return false;
  if (token.startsWith("Runtime.")) return true;
  const dot = token.lastIndexOf(".");
  const last = dot === -1 ? token : token.slice(dot + 1);
  return ERRORISH.test(last);
}

/** True when the name can be a class: capitalised, or qualified with a capitalised last segment. */
export function isClassLikeName(token: string): boolean {
  if (!isTypeName(token)) return false;
  const dot = token.lastIndexOf(".");
  const last = dot === -1 ? token : token.slice(dot + 1);
  const c = last.charCodeAt(0);
  return (c >= 65 && c <= 90) || isErrorishName(token);
}

/** Base name of a path or URL, without directories. */
export function basename(path: string): string {
  let end = path.length;
  while (end > 0 && (path[end - 1] === "/" || path[end - 1] === "\\")) end--;
  const slash = Math.max(path.lastIndexOf("/", end - 1), path.lastIndexOf("\\", end - 1));
  return path.slice(slash + 1, end);
}

/** Collapse runs of whitespace to one space and trim. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Cheap bounded string for storage: long messages are cut, never split inside a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end) + "…";
}
