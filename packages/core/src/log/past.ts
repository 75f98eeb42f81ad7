/**
 * Past logs of one function: newest first, paging backwards over growing windows.
 *
 * A page reads FilterLogEvents over [from, to] (to = the cursor's end, the asked `end`, or
 * now); when it found fewer than `PAGE_INVOCATIONS` invocations and the work budget
 * allows, the window grows backwards (×4 each time), up to `start`. Work is bounded per
 * request (`MAX_CALLS` calls of at most 10,000 events): the cursor says where to go on,
 * including the FilterLogEvents token of a window not read to its end. Throttling backs
 * off and retries twice, then returns what was read with a cursor to continue.
 *
 * An invocation cut by the window's start (its START older than the window) is left for
 * the next page, which reads up to its last line: a page never shows half an invocation
 * the next page shows again.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilterLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { rebuildInvocations, type Invocation, type RawLine } from "./invocations";
import { matchesPattern, parsePattern, toFilterPattern } from "./search";

export const PAGE_INVOCATIONS = 50;
const MAX_CALLS = 8;
const FIRST_WINDOW = 15 * 60_000;
/** CloudWatch keeps at most this far back for the console's purposes (a bound on paging). */
const OLDEST = 30 * 24 * 3600_000;

export interface PastInput {
  start?: number;
  end?: number;
  q?: string;
  cursor?: string;
}

interface Cursor {
  /** The window's end (exclusive upper bound for the next page). */
  to: number;
  size: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}
export function decodeCursor(s: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as Cursor;
    return Number.isFinite(c.to) && Number.isFinite(c.size) && c.size > 0 ? c : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function readPast(
  logs: CloudWatchLogsClient,
  logGroup: string,
  input: PastInput,
  now = Date.now(),
): Promise<{ invocations: Invocation[]; next: string | null }> {
  const floor = Math.max(input.start ?? now - OLDEST, now - OLDEST);
  const cursor = input.cursor ? decodeCursor(input.cursor) : undefined;
  let to = cursor?.to ?? input.end ?? now;
  let size = cursor?.size ?? FIRST_WINDOW;
  const pattern = input.q?.trim() ? parsePattern(input.q) : undefined;
  const filterPattern = input.q?.trim() ? toFilterPattern(input.q) : undefined;
  const lines: RawLine[] = [];
  let calls = 0;
  let from = to;
  let invocations: Invocation[] = [];
  while (calls < MAX_CALLS && to > floor) {
    from = Math.max(floor, to - size);
    let token: string | undefined;
    let complete = true;
    do {
      let res: FilterLogEventsCommandOutput | undefined;
      for (let attempt = 0; attempt < 3 && !res; attempt++) {
        try {
          calls++;
          res = await logs.send(new FilterLogEventsCommand({ logGroupName: logGroup, startTime: from, endTime: to - 1, filterPattern, nextToken: token, limit: 10_000 }));
        } catch (err) {
          const name = (err as { name?: string }).name ?? "";
          if (!/Throttl|RateExceeded|TooManyRequests/i.test(name) || attempt === 2) throw err;
          await sleep(200 * 2 ** attempt);
        }
      }
      for (const e of res!.events ?? []) {
        const message = e.message ?? "";
        if (pattern && !matchesPattern(pattern, message)) continue;
        lines.push({ id: e.eventId, timestamp: e.timestamp ?? 0, message, stream: e.logStreamName });
      }
      token = res!.nextToken;
      if (token && calls >= MAX_CALLS) complete = false;
    } while (token && complete);
    if (!complete) {
      // Keep only the part read: the newest events come last, so the window is cut at the oldest read.
      const oldest = lines.reduce((m, l) => Math.min(m, l.timestamp), to);
      from = oldest;
    }
    invocations = rebuildInvocations(lines);
    to = from;
    if (invocations.length >= PAGE_INVOCATIONS || !complete) break;
    size *= 4;
  }
  // Leave invocations cut by the window's start to the next page.
  let nextTo = from;
  if (from > floor && !pattern) {
    const cut = invocations.filter((i) => i.requestId !== null && !i.lines.some((l) => l.message.startsWith("START") || l.message.includes('"platform.start"')));
    if (cut.length && cut.length < invocations.length) {
      const last = Math.max(...cut.map((i) => i.lines[i.lines.length - 1]!.timestamp));
      nextTo = last + 1;
      const drop = new Set(cut);
      invocations = invocations.filter((i) => !drop.has(i) && !(i.requestId === null && i.start < nextTo));
    }
  }
  invocations.sort((a, b) => b.start - a.start);
  const next = nextTo > floor ? encodeCursor({ to: nextTo, size }) : null;
  return { invocations, next };
}
