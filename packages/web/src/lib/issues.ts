/**
 * Issues as people see them: labels, triage wording, addresses, and the helpers the stack
 * trace and log viewer use (data and triage calls: src/data/issues.ts).
 */
import type {
  ConsoleWarning,
  Frame,
  IssueKind,
  IssueStatus,
  LambdaFunction,
  LogLine,
} from "./api";
import { plural } from "./format";

export const STATUS_LABEL: Record<IssueStatus, string> = {
  active: "Active",
  ignored: "Ignored",
  resolved: "Resolved",
};

export const STATUSES: IssueStatus[] = ["active", "ignored", "resolved"];

export function isStatus(value: unknown): value is IssueStatus {
  return value === "active" || value === "ignored" || value === "resolved";
}

const KIND_LABEL: Record<IssueKind, string> = {
  invoke: "Handler error",
  uncaught: "Uncaught exception",
  "unhandled-rejection": "Unhandled rejection",
  console: "Logged error",
  timeout: "Timeout",
  oom: "Out of memory",
  exit: "Runtime exit",
  init: "Init failure",
  runtime: "Runtime failure",
};

/** "Handler error", "Timeout": the kind of an issue for people (the kind as sent when unknown). */
export function kindLabel(kind: string): string {
  return (KIND_LABEL as Record<string, string | undefined>)[kind] ?? kind;
}

/** Why an error has no stack trace, by kind. */
export const NO_STACK: Partial<Record<IssueKind, string>> = {
  timeout:
    "Lambda stopped this invocation when it reached the function's timeout, so there is no stack trace. The invocation's logs below show what it was doing.",
  oom: "The function ran out of memory and Lambda ended it, so there is no stack trace. The invocation's logs below show what it was doing.",
  exit: "The runtime process exited before the invocation finished, so there is no stack trace.",
  init: "The function failed while starting (the init phase), before any handler ran.",
  runtime: "The Lambda runtime itself failed, outside the function's code.",
};

// ---------------------------------------------------------------------------
// Triage

export type IssueAction = "resolve" | "ignore" | "reopen";

export const ACTION_STATUS: Record<IssueAction, IssueStatus> = {
  resolve: "resolved",
  ignore: "ignored",
  reopen: "active",
};

const ACTION_PAST: Record<IssueAction, string> = {
  resolve: "Resolved",
  ignore: "Ignored",
  reopen: "Reopened",
};

/** "Resolved 3 issues", "Ignored TypeError". */
export function actionMessage(action: IssueAction, count: number, single?: string): string {
  return `${ACTION_PAST[action]} ${count === 1 && single ? single : plural(count, "issue")}`;
}

// ---------------------------------------------------------------------------
// Functions: issues carry the Lambda name; people know the component name.

export function functionLabel(name: string | null | undefined, functions?: LambdaFunction[]): string {
  if (!name) return "—";
  const fn = functions?.find((f) => f.name === name);
  return fn?.component ?? name;
}

/** The address of an issue under its stage's Issues tab (keeps `?id=` when the stage needs it). */
export function stageIssuePath(issuesTabPath: string, issueId: string): string {
  const [path, query] = issuesTabPath.split("?");
  return `${path}/${encodeURIComponent(issueId)}${query ? `?${query}` : ""}`;
}

export function workspaceIssuePath(workspaceSlug: string, issueId: string): string {
  return `/${workspaceSlug}/issues/${encodeURIComponent(issueId)}`;
}

// ---------------------------------------------------------------------------
// Stack traces

export type FrameGroup =
  | { kind: "app"; frame: Frame; index: number }
  | { kind: "library"; frames: { frame: Frame; index: number }[] };

/** In-app frames one by one; runs of library/runtime frames together (order kept, newest first). */
export function groupFrames(frames: Frame[]): FrameGroup[] {
  const out: FrameGroup[] = [];
  frames.forEach((frame, index) => {
    if (frame.inApp) {
      out.push({ kind: "app", frame, index });
      return;
    }
    const last = out[out.length - 1];
    if (last?.kind === "library") last.frames.push({ frame, index });
    else out.push({ kind: "library", frames: [{ frame, index }] });
  });
  return out;
}

/** "handler.ts:42:7" */
export function frameLocation(frame: { file: string; line?: number; column?: number }): string {
  let out = frame.file || "<unknown>";
  if (frame.line !== undefined) out += `:${frame.line}`;
  if (frame.line !== undefined && frame.column !== undefined) out += `:${frame.column}`;
  return out;
}

export function frameFunction(frame: Frame): string {
  const fn = frame.function?.trim();
  if (!fn) return "<anonymous>";
  if (frame.module && !fn.includes(frame.module) && !frame.file.includes(frame.module.split(".").pop() ?? "\u0000")) {
    return `${frame.module}.${fn}`;
  }
  return fn;
}

/** The stack as text, newest call first, for copying. */
export function rawStack(error: { type: string; message: string; frames: Frame[]; causes?: { type: string; message: string; frames: Frame[] }[] }): string {
  const block = (e: { type: string; message: string; frames: Frame[] }) =>
    [`${e.type}: ${e.message}`, ...e.frames.map((f) => `    ${f.raw}`)].join("\n");
  return [block(error), ...(error.causes ?? []).map((c) => `Caused by: ${block(c)}`)].join("\n");
}

// ---------------------------------------------------------------------------
// Log lines

const PLATFORM_TEXT = /^(START|END|REPORT|INIT_START|INIT_REPORT|INIT_RUNTIME_DONE|RESTORE_START|RESTORE_REPORT|EXTENSION|TELEMETRY|LOGS)\b/;
const PLATFORM_JSON = /^\s*\{[^{}]*"type"\s*:\s*"platform\./;

/** START, END, REPORT and the other lines Lambda writes itself. */
export function isPlatformLine(message: string): boolean {
  return PLATFORM_TEXT.test(message) || PLATFORM_JSON.test(message);
}

const ERROR_TEXT =
  /(\tERROR\t|^\[ERROR\]|Invoke Error|Uncaught Exception|Unhandled Promise Rejection|Task timed out|Status: (timeout|error)|Runtime\.\w+Error|^Traceback |\bpanic: |signal: killed|Error: Runtime exited)/m;

/** Whether a line is part of the error: by event id, or (without ids) by what it says. */
export function isErrorLine(line: LogLine, eventIds: Set<string>): boolean {
  if (line.id !== undefined && eventIds.size > 0) return eventIds.has(line.id);
  return ERROR_TEXT.test(line.message);
}

/** The JSON document in a line (a JSON log line, or the payload after Lambda's text prefix). */
export function jsonOf(message: string): unknown {
  const trimmed = message.trim();
  const starts = [0, trimmed.indexOf("{"), trimmed.indexOf("[")].filter((i) => i >= 0);
  for (const start of [...new Set(starts)].sort((a, b) => a - b)) {
    const text = trimmed.slice(start);
    if (!text.startsWith("{") && !text.startsWith("[")) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === "object") return value;
    } catch {
      // not JSON from here
    }
  }
  return undefined;
}

/** The text before a JSON payload ("2024-…\trequest-id\tERROR\t"), when there is one. */
export function prefixOfJson(message: string): string {
  const trimmed = message.trim();
  const i = trimmed.search(/[[{]/);
  return i > 0 ? trimmed.slice(0, i) : "";
}

const clock = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hour12: false,
});

/** "14:03:07.123" in the viewer's zone. */
export function formatClock(ms: number): string {
  return clock.format(new Date(ms));
}

const hourFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const hourEnd = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hour12: false });

/** "Tue, Nov 18, 14:00 – 15:00" */
export function formatHour(ms: number): string {
  return `${hourFormat.format(new Date(ms))} – ${hourEnd.format(new Date(ms + 3_600_000))}`;
}

// ---------------------------------------------------------------------------
// Warnings

export function isRateLimit(w: ConsoleWarning): boolean {
  return w.type === "issues_rate_limited";
}

export function isSubscriptionWarning(w: ConsoleWarning): boolean {
  return w.type.startsWith("subscription_");
}

/** The function a subscription warning is about (its Lambda name), when the warning says. */
export function warningFunction(w: ConsoleWarning): string | undefined {
  const name = w.data?.functionName;
  return typeof name === "string" ? name : undefined;
}

export function warningTitle(w: ConsoleWarning, functions?: LambdaFunction[]): string {
  const fn = warningFunction(w);
  const label = fn ? functionLabel(fn, functions) : "a function";
  switch (w.type) {
    case "subscription_limit":
      return `${label}: its log group already has two subscription filters`;
    case "subscription_permission":
      return `${label}: Console may not subscribe to its logs`;
    case "subscription_missing_log_group":
      return `${label}: its log group is missing`;
    case "subscription_failed":
      return `${label}: Console could not subscribe to its logs`;
    case "issues_rate_limited":
      return "Issues are paused for this workspace";
    case "issues_dead_lettered":
      return "Some log records could not be turned into issues";
    case "usage_permission":
      return "Console may not read an account's invocation metrics";
  }
}
