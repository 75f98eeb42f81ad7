/**
 * Reading CloudWatch Logs in a customer's account, through the connection's role.
 * Today: the lines of one invocation (an issue occurrence's whole log, where the
 * subscription delivered only its error lines). Log search, live tail, invoke and
 * replay read logs here too.
 *
 * Reads never throw for what AWS says: they return the lines, or the reason they
 * could not be read, for the caller to show.
 */
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { Account } from "../account";
import { Customer } from "../aws/customer";

export interface LogLine {
  id?: string;
  timestamp: number;
  message: string;
}

export type LogRead = { ok: true; lines: LogLine[] } | { ok: false; reason: string };

/** Pages of FilterLogEvents read at most for one invocation. */
const MAX_PAGES = 5;

function describe(err: unknown) {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}

/** The lines of one invocation: from its START to its REPORT, plus later lines naming it (a late timeout). */
function invocationLines(events: LogLine[], requestId: string): LogLine[] {
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
  const start = sorted.findIndex((e) => e.message.startsWith("START") && e.message.includes(requestId));
  if (start < 0) return sorted.filter((e) => e.message.includes(requestId));
  const out = [];
  let ended = false;
  for (let i = start; i < sorted.length; i++) {
    const e = sorted[i]!;
    if (!ended) {
      out.push(e);
      if (e.message.startsWith("REPORT") && e.message.includes(requestId)) ended = true;
      continue;
    }
    if (e.message.includes(requestId)) out.push(e);
  }
  return out;
}

export namespace Log {
  /**
   * The log of the invocation that logged at `at` in `logStream`: the lines of
   * `requestId` when known (from the function's timeout before to two minutes
   * after), otherwise the lines within five seconds of `at`. Runs in the current
   * workspace.
   */
  export async function invocation(input: {
    connectionId: string;
    region: string;
    logGroup: string;
    logStream: string;
    requestId: string | null;
    at: number;
    /** The function's timeout in seconds (900 when unknown). */
    timeout: number | null;
  }): Promise<LogRead> {
    let logs: CloudWatchLogsClient;
    try {
      const access = await Account.access(input.connectionId);
      const credentials = await Customer.credentials(access);
      logs = Customer.client(CloudWatchLogsClient, { region: input.region, credentials, accountId: access.accountId, connectionId: input.connectionId });
    } catch (err) {
      return { ok: false, reason: `The console could not act in the AWS account: ${describe(err)}` };
    }
    const before = ((input.timeout ?? 900) + 60) * 1000;
    const events: LogLine[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await logs.send(
          new FilterLogEventsCommand({
            logGroupName: input.logGroup,
            logStreamNames: [input.logStream],
            startTime: input.at - before,
            endTime: input.at + 120_000,
            nextToken: token,
            limit: 2000,
          }),
        );
        for (const e of res.events ?? []) events.push({ id: e.eventId, timestamp: e.timestamp ?? 0, message: e.message ?? "" });
        token = res.nextToken;
        if (!token) break;
      }
    } catch (err) {
      return { ok: false, reason: `CloudWatch Logs could not be read: ${describe(err)}` };
    }
    const lines = input.requestId ? invocationLines(events, input.requestId) : events.filter((e) => Math.abs(e.timestamp - input.at) < 5000);
    return { ok: true, lines };
  }
}

export { rebuildInvocations, type Invocation, type InvocationLine, type InvocationStatus, type RawLine } from "./invocations";
