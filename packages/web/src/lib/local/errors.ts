/**
 * The errors of a local invocation, found by the very detector of Issues
 * (`@console/core/issue/extract/pure`), run here in the browser on what `sst dev` streamed.
 * The invocation is laid out the way Lambda would have logged it: START, each line as
 * `sst dev` streamed it (the local worker's output, without Lambda's time, request id and
 * level framing, which this does not invent), the failure SST reports (`errors[]`: type,
 * message, stack) as the Node runtime's framed `Invoke Error` line, END. So an error gets the same type, message,
 * frames and kind it would get as an issue, and the log lines it came from are marked.
 */
import { detect, type DetectedError, type LogEvent } from "@console/core/issue/extract/pure";
import type { LocalInvocation } from "./store";

export interface LocalDetection {
  errors: DetectedError[];
  /** Ids of the invocation's log lines that are part of an error. */
  lineIds: string[];
}

export function detectErrors(inv: LocalInvocation): LocalDetection {
  const framed = (timestamp: number, level: string, message: string) =>
    `${new Date(timestamp).toISOString()}\t${inv.id}\t${level}\t${message}`;
  const events: LogEvent[] = [{ id: "start", timestamp: inv.start, message: `START RequestId: ${inv.id} Version: $LATEST\n` }];
  for (const line of inv.logs) events.push({ id: line.id, timestamp: line.timestamp, message: `${line.message}\n` });
  const end = inv.end ?? inv.logs.at(-1)?.timestamp ?? inv.start;
  inv.errors.forEach((e, i) => {
    const report = JSON.stringify({ errorType: e.error, errorMessage: e.message, stack: e.stack });
    events.push({ id: `error:${i}`, timestamp: end, message: `${framed(end, "ERROR", `Invoke Error \t${report}`)}\n` });
  });
  if (inv.end !== undefined) events.push({ id: "end", timestamp: end, message: `END RequestId: ${inv.id}\n` });
  const errors = detect(events);
  const ids = new Set(inv.logs.map((l) => l.id));
  const lineIds = [...new Set(errors.flatMap((e) => e.eventIds ?? []).filter((id) => ids.has(id)))];
  return { errors, lineIds };
}
