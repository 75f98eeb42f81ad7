/**
 * The log tail of a synchronous invocation (`LogType: Tail`): the base64 of the last 4 KB
 * of what the invocation logged, START to REPORT. Decoded into lines, with the REPORT
 * line's figures read the same way past logs read them (log/invocations.ts).
 */
import { rebuildInvocations, type InvocationStatus } from "../log/invocations";

/** Lambda returns at most this many bytes of log. */
export const TAIL_BYTES = 4096;

export interface TailReport {
  duration: number | null;
  billedDuration: number | null;
  memorySize: number | null;
  maxMemoryUsed: number | null;
  /** Present on a cold start. */
  initDuration: number | null;
  status: InvocationStatus;
}

export interface DecodedTail {
  lines: string[];
  /** The tail was cut at 4 KB: its first line may be partial, earlier lines are only in CloudWatch. */
  truncated: boolean;
  /** The request id read from START or REPORT, when the tail holds one. */
  requestId: string | null;
  report: TailReport | null;
}

const REQUEST_ID = /^(?:START|END|REPORT) RequestId: ([0-9A-Za-z-]{1,64})/;

export function decodeTail(logResult: string | undefined, requestId?: string): DecodedTail {
  if (!logResult) return { lines: [], truncated: false, requestId: null, report: null };
  const bytes = Buffer.from(logResult, "base64");
  const text = bytes.toString("utf8");
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  let found: string | null = null;
  for (const l of lines) {
    const m = REQUEST_ID.exec(l);
    if (m) found = m[1]!;
  }
  const id = requestId && lines.some((l) => l.includes(requestId)) ? requestId : found;
  const now = Date.now();
  const invocation = id ? rebuildInvocations(lines.map((message, i) => ({ id: String(i), timestamp: now, message }))).find((i) => i.requestId === id) : undefined;
  const reported = invocation && (invocation.duration !== null || invocation.status !== "running");
  return {
    lines,
    truncated: bytes.length >= TAIL_BYTES,
    requestId: id,
    report: reported
      ? {
          duration: invocation.duration,
          billedDuration: invocation.billedDuration,
          memorySize: invocation.memorySize,
          maxMemoryUsed: invocation.maxMemoryUsed,
          initDuration: invocation.initDuration,
          status: invocation.status,
        }
      : null,
  };
}
