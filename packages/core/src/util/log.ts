/**
 * Structured logs for the console's own operations, one JSON record per line.
 *
 * The log is the operator's, not a copy of customer data, and it must not explode:
 * - Never pass secrets (codes, tokens, external ids, credentials): callers log ids and
 *   counts only.
 * - Errors are logged by what went wrong, not by what they carried: a failed query is
 *   written as its statement (placeholders only) and its root cause (the driver's code,
 *   number and message). The parameters drizzle puts in its message, the `sql` mysql2
 *   attaches, values a driver message quotes (`Duplicate entry '…'`) and the input a
 *   JSON parse error quotes are left out.
 * - Every string is capped, arrays and objects are cut, cycles and deep nesting are
 *   stopped, and a record that is still larger than MAX_RECORD_BYTES is written as its
 *   level, time, message and a `truncated` mark.
 */
import { env } from "../env";

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, "silent">;

/** The largest record written, in bytes (without the newline). */
export const MAX_RECORD_BYTES = 16 * 1024;
const MAX_MESSAGE = 1_000;
const MAX_STRING = 2_000;
const MAX_ERROR_MESSAGE = 500;
const MAX_QUERY = 1_000;
const MAX_ITEMS = 50;
const MAX_KEYS = 50;
const MAX_DEPTH = 6;
const MAX_STACK_FRAMES = 12;
const MAX_CAUSES = 5;

/** `text` cut to `max` characters (on a code point boundary), saying how much was left out. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…[${text.length - end} more chars]`;
}

/** `text` cut to at most `max` UTF-8 bytes, on a character boundary. */
function capBytes(text: string, max: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= max) return text;
  let end = max;
  // Step back over continuation bytes so no character is split.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

/**
 * Values a MySQL/MariaDB message quotes are data (`Duplicate entry 'a@b.c' for key
 * 'user_email'`, `Incorrect string value: '\xF0...'`); names of columns, keys, tables
 * and indexes are schema and stay.
 */
function redactDriverMessage(message: string): string {
  return message.replace(
    /(\b(?:column|key|table|database|index|field|constraint|function|procedure|savepoint)\s+)?'((?:[^'\\]|\\.)*)'/gi,
    (whole, name: string | undefined) => (name ? whole : "'…'"),
  );
}

/** V8 quotes the start of the input in JSON parse errors: keep the diagnosis, drop the excerpt. */
function redactParseMessage(message: string): string {
  return message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '"…"');
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  status?: unknown;
  cause?: unknown;
  query?: unknown;
  params?: unknown;
  body?: unknown;
}

/** drizzle wraps every failed statement as `Failed query: <sql>\nparams: <values>` with `query`, `params` and `cause`. */
function isQueryError(e: ErrorLike): boolean {
  return typeof e.query === "string" && "params" in e && typeof e.message === "string" && e.message.startsWith("Failed query");
}

function isDriverError(e: ErrorLike): boolean {
  return typeof e.sqlState === "string" || typeof e.errno === "number" || (typeof e.code === "string" && /^ER_/.test(e.code));
}

function stackFrames(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const frames = stack
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .slice(0, MAX_STACK_FRAMES)
    .map((l) => cap(l.trim(), 300));
  return frames.length ? frames.join("\n") : undefined;
}

function errorMessage(e: ErrorLike): string {
  const raw = typeof e.message === "string" ? e.message : String(e.message ?? "");
  if (isQueryError(e)) return "Failed query";
  if (isDriverError(e)) return cap(redactDriverMessage(raw), MAX_ERROR_MESSAGE);
  if (e.name === "SyntaxError") return cap(redactParseMessage(raw), MAX_ERROR_MESSAGE);
  // PlanetScale's DatabaseError: the driver's own words are in `body.message`.
  if (e.name === "DatabaseError") return cap(redactDriverMessage(raw), MAX_ERROR_MESSAGE);
  return cap(raw, MAX_ERROR_MESSAGE);
}

/** The fields of one error worth keeping: identity, the driver's code, never the data it carried. */
function errorFields(e: ErrorLike): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: typeof e.name === "string" ? cap(e.name, 100) : "Error",
    message: errorMessage(e),
  };
  if (typeof e.code === "string" || typeof e.code === "number") out.code = typeof e.code === "string" ? cap(e.code, 100) : e.code;
  if (typeof e.errno === "number") out.errno = e.errno;
  if (typeof e.sqlState === "string") out.sqlState = cap(e.sqlState, 10);
  if (typeof e.status === "number") out.status = e.status;
  if (isQueryError(e)) out.query = cap(e.query as string, MAX_QUERY);
  return out;
}

/**
 * An error as a small record: the outermost error (name, message, stack frames) and,
 * when it wraps others, its root cause (the driver error of a failed query).
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (!err || typeof err !== "object") return { name: "Error", message: cap(String(err), MAX_ERROR_MESSAGE) };
  const top = err as ErrorLike;
  const out = errorFields(top);
  const stack = stackFrames(top.stack);
  if (stack) out.stack = stack;
  let root: ErrorLike | undefined;
  const seen = new Set<unknown>([err]);
  for (let e = top.cause, i = 0; e && typeof e === "object" && !seen.has(e) && i < MAX_CAUSES; e = (e as ErrorLike).cause, i++) {
    seen.add(e);
    root = e as ErrorLike;
  }
  if (root) out.cause = errorFields(root);
  return out;
}

function bound(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case "string":
      return cap(value, MAX_STRING);
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return cap(value.toString(), 100);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (value instanceof Error) return describeError(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[${value.byteLength} bytes]`;
  if (seen.has(obj)) return "[circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[array of ${value.length}]` : "[object]";
  seen.add(obj);
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => bound(v, depth + 1, seen) ?? null);
      if (value.length > MAX_ITEMS) items.push(`…[${value.length - MAX_ITEMS} more items]`);
      return items;
    }
    if (value instanceof Map) return bound(Object.fromEntries([...value.entries()].slice(0, MAX_KEYS)), depth, seen);
    if (value instanceof Set) return bound([...value].slice(0, MAX_ITEMS + 1), depth, seen);
    const out: Record<string, unknown> = {};
    let count = 0;
    for (const key in value as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (count === MAX_KEYS) {
        out["…"] = "more keys left out";
        break;
      }
      const v = bound((value as Record<string, unknown>)[key], depth + 1, seen);
      if (v !== undefined) out[cap(key, 100)] = v;
      count++;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

/** The JSON line for one record, never larger than MAX_RECORD_BYTES. */
export function formatRecord(level: Level, message: string, data?: Record<string, unknown>, time = new Date()): string {
  const head = { level, time: time.toISOString(), message: cap(String(message), MAX_MESSAGE) };
  const fields = data ? (bound(data, 0, new WeakSet()) as Record<string, unknown>) : undefined;
  // Fields cannot override the record's own keys.
  if (fields) for (const key of Object.keys(head)) delete fields[key];
  const line = JSON.stringify({ ...head, ...fields });
  if (Buffer.byteLength(line) <= MAX_RECORD_BYTES) return line;
  // Still too large (many large fields): keep what identifies the record.
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (typeof value === "number" || typeof value === "boolean" || (typeof value === "string" && value.length <= 200)) kept[key] = value;
    if (Object.keys(kept).length >= 30) break;
  }
  if (fields?.err && typeof fields.err === "object") {
    const err = fields.err as Record<string, unknown>;
    kept.err = { name: err.name, message: typeof err.message === "string" ? cap(err.message, 300) : err.message, cause: err.cause };
  }
  const small = { ...head, message: cap(head.message, 200), ...kept, truncated: true, bytes: Buffer.byteLength(line) };
  const out = JSON.stringify(small);
  return Buffer.byteLength(out) <= MAX_RECORD_BYTES ? out : capBytes(JSON.stringify({ ...head, message: cap(head.message, 200), truncated: true }), MAX_RECORD_BYTES);
}

function write(level: Level, message: string, data?: Record<string, unknown>) {
  if (levels[level] < levels[env.LOG_LEVEL]) return;
  const line = formatRecord(level, message, data);
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export const log = {
  debug: (m: string, d?: Record<string, unknown>) => write("debug", m, d),
  info: (m: string, d?: Record<string, unknown>) => write("info", m, d),
  warn: (m: string, d?: Record<string, unknown>) => write("warn", m, d),
  error: (m: string, d?: Record<string, unknown>) => write("error", m, d),
};
