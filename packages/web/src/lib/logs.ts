/**
 * Logs of a function as the web app shows them: invocations merged from past pages and
 * the live tail (by request id, lines by event id, so nothing shows twice), the address
 * of a function's page, time ranges, and the JSON check of the invoke editor.
 */
import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import type { Invocation, InvocationStatus, Stage } from "./api";
import { stagePath } from "./stages";

/** A stable key of an invocation: its request id, or where a group of other lines starts. */
export function invocationKey(inv: Pick<Invocation, "requestId" | "logStream" | "start">): string {
  return inv.requestId ?? `~${inv.logStream ?? ""}@${inv.start}`;
}

const STATUS_RANK: Record<InvocationStatus, number> = { other: 0, running: 1, success: 2, error: 3, timeout: 4, oom: 4 };

function errorKey(e: Invocation["errors"][number]): string {
  return e.eventIds.length ? e.eventIds.join(",") : `${e.type}:${e.message}:${e.timestamp}`;
}

/**
 * Two views of the same invocation (a past page and live batches, or two live batches,
 * each with part of its lines) as one: lines and errors joined without repeats, the
 * figures the later view has, the status that says the most (an error seen in one part
 * stays an error when the next part only has its REPORT).
 */
export function mergeInvocation(a: Invocation, b: Invocation): Invocation {
  const lines = new Map(a.lines.map((l) => [l.id, l]));
  for (const l of b.lines) lines.set(l.id, l);
  const errors = new Map(a.errors.map((e) => [errorKey(e), e]));
  for (const e of b.errors) if (!errors.has(errorKey(e))) errors.set(errorKey(e), e);
  const end = a.end === null ? b.end : b.end === null ? a.end : Math.max(a.end, b.end);
  return {
    ...a,
    logStream: a.logStream ?? b.logStream,
    start: Math.min(a.start, b.start),
    end,
    duration: b.duration ?? a.duration,
    billedDuration: b.billedDuration ?? a.billedDuration,
    memorySize: b.memorySize ?? a.memorySize,
    maxMemoryUsed: b.maxMemoryUsed ?? a.maxMemoryUsed,
    initDuration: b.initDuration ?? a.initDuration,
    status: STATUS_RANK[b.status] >= STATUS_RANK[a.status] ? b.status : a.status,
    lines: [...lines.values()].sort((x, y) => x.timestamp - y.timestamp),
    errors: [...errors.values()],
  };
}

/** Adds `incoming` to `into` (a new map: signals see the change), merging by key. */
export function addInvocations(into: ReadonlyMap<string, Invocation>, incoming: readonly Invocation[]): Map<string, Invocation> {
  const out = new Map(into);
  for (const inv of incoming) {
    const key = invocationKey(inv);
    const there = out.get(key);
    out.set(key, there ? mergeInvocation(there, inv) : inv);
  }
  return out;
}

/** Newest first (by start; ties by key, so the order is stable). */
export function newestFirst(list: Iterable<[string, Invocation]>): string[] {
  return [...list]
    .sort(([ka, a], [kb, b]) => b.start - a.start || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .map(([k]) => k);
}

/**
 * Whether an invocation matches a search as the live tail can tell by itself: every plain
 * term (and quoted phrase) appears in one of its lines, case-insensitive. Terms with `-`
 * or `?` and JSON patterns are left to the server (the invocation is kept).
 */
export function matchesSearch(inv: Invocation, q: string | undefined): boolean {
  const text = q?.trim();
  if (!text || text.startsWith("{")) return true;
  const terms = [...text.matchAll(/"([^"]+)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "").filter((t) => t && !t.startsWith("-") && !t.startsWith("?"));
  if (terms.length === 0) return true;
  const lines = inv.lines.map((l) => l.message.toLowerCase());
  return terms.every((t) => lines.some((l) => l.includes(t.toLowerCase())));
}

export const STATUS_LABEL: Record<InvocationStatus, string> = {
  success: "Success",
  error: "Error",
  timeout: "Timed out",
  oom: "Out of memory",
  running: "Running",
  other: "Other lines",
};

export const STATUS_TONE: Record<InvocationStatus, "success" | "danger" | "warning" | "accent" | "neutral"> = {
  success: "success",
  error: "danger",
  timeout: "danger",
  oom: "danger",
  running: "accent",
  other: "neutral",
};

/** 3.2 → "3.2 ms", 1534 → "1.53 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms * 10) / 10} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The time ranges of the picker ("" is any time). */
export const RANGES = [
  { value: "", label: "Any time" },
  { value: "15m", label: "Last 15 minutes" },
  { value: "1h", label: "Last hour" },
  { value: "6h", label: "Last 6 hours" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
] as const;

export type RangeValue = (typeof RANGES)[number]["value"];

const RANGE_MS: Record<Exclude<RangeValue, "">, number> = { "15m": 15 * 60_000, "1h": 3600_000, "6h": 6 * 3600_000, "24h": 24 * 3600_000, "7d": 7 * 24 * 3600_000 };

export function isRange(value: unknown): value is RangeValue {
  return RANGES.some((r) => r.value === value);
}

export function rangeMs(range: RangeValue): number | undefined {
  return range ? RANGE_MS[range] : undefined;
}

/** How far after an occurrence its page of logs reaches (older invocations page in below). */
export const AROUND_AFTER_MS = 2 * 60_000;

/** `datetime-local` value (the viewer's zone) of a time, and back. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fromLocalInput(value: string): number | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The page of a function: `/:workspace/app/:app/:stage/logs/:function`, with `?id=` when
 * the stage's name is not unique, and any other parameters (`around`, `request`, …).
 */
export function functionPath(
  workspace: string,
  stage: Pick<Stage, "id" | "app" | "name">,
  all: Stage[] | undefined,
  fn: string,
  params: Record<string, string | number | undefined> = {},
): string {
  const logs = stagePath(workspace, stage, all, "logs");
  const [path, query] = logs.split("?") as [string, string | undefined];
  const search = new URLSearchParams(query);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, String(v));
  const qs = search.toString();
  return `${path}/${encodeURIComponent(fn)}${qs ? `?${qs}` : ""}`;
}

/** The result of checking the invoke editor's text. */
export type JsonCheck = { ok: true; value: unknown } | { ok: false; message: string; line?: number; column?: number };

/** By the names `printParseErrorCode` gives (the codes are a const enum). */
const PARSE_ERROR: Record<string, string> = {
  InvalidSymbol: "an unexpected character",
  InvalidNumberFormat: "a number is not written right",
  PropertyNameExpected: "a property name (in double quotes) is expected",
  ValueExpected: "a value is expected",
  ColonExpected: "a colon is expected",
  CommaExpected: "a comma is expected",
  CloseBraceExpected: "a closing } is expected",
  CloseBracketExpected: "a closing ] is expected",
  EndOfFileExpected: "nothing more is expected after the value",
  InvalidCommentToken: "comments are not JSON",
  UnexpectedEndOfComment: "comments are not JSON",
  UnexpectedEndOfString: "a string is not closed",
  UnexpectedEndOfNumber: "a number is cut short",
  InvalidUnicode: "an invalid \\u escape",
  InvalidEscapeCharacter: "an invalid escape in a string",
  InvalidCharacter: "a control character inside a string",
};

/**
 * Parses a payload (strict JSON; an empty editor is `{}`). When it is not JSON, says what
 * is wrong and where (line and column, from jsonc-parser's scanner, which reports the
 * offset where the browser's own message often does not).
 */
export function checkJson(text: string): JsonCheck {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const errors: ParseError[] = [];
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (!first) return { ok: false, message: err instanceof Error ? err.message : String(err) };
    const before = text.slice(0, first.offset).split("\n");
    return {
      ok: false,
      message: PARSE_ERROR[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error),
      line: before.length,
      column: (before.at(-1)?.length ?? 0) + 1,
    };
  }
}
