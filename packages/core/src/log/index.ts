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
import { and, eq, isNull } from "drizzle-orm";
import { Account } from "../account";
import { Actor } from "../actor";
import { functionTable, stageTable } from "../app/app.sql";
import { Customer } from "../aws/customer";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { invocationLines } from "./invocations";
import { readPast, type PastInput } from "./past";
import type { TailLine, TailSource } from "./live";

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

/** A function of a live stage of the current workspace, with what reading its logs needs. */
export interface LogTarget {
  id: string;
  name: string;
  arn: string;
  region: string;
  logGroup: string;
  stageId: string;
  connectionId: string;
  personal: boolean;
  timeout: number | null;
}

export namespace Log {
  /** The function `functionId` of the current workspace (404 otherwise: other tenants' ids look absent). */
  export async function target(functionId: string): Promise<LogTarget> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select({
          id: functionTable.id,
          name: functionTable.name,
          arn: functionTable.arn,
          region: functionTable.region,
          logGroup: functionTable.logGroup,
          stageId: functionTable.stageId,
          connectionId: stageTable.connectionId,
          personal: stageTable.personal,
          timeout: functionTable.timeout,
        })
        .from(functionTable)
        .innerJoin(stageTable, and(eq(stageTable.workspaceId, functionTable.workspaceId), eq(stageTable.id, functionTable.stageId)))
        .where(and(eq(functionTable.workspaceId, workspaceId), eq(functionTable.id, functionId), isNull(stageTable.timeDeleted))),
    );
    if (!row) throw new NotFoundError("Function");
    return row;
  }

  async function client(t: LogTarget): Promise<CloudWatchLogsClient> {
    try {
      const access = await Account.access(t.connectionId);
      const credentials = await Customer.credentials(access);
      return Customer.client(CloudWatchLogsClient, { region: t.region, credentials, accountId: access.accountId, connectionId: t.connectionId });
    } catch (err) {
      throw new VisibleError("unavailable", `The console could not act in the AWS account: ${describe(err)}`);
    }
  }

  /** Past invocations of a function, newest first, with a cursor to continue (see past.ts). */
  export async function past(functionId: string, input: PastInput) {
    const t = await target(functionId);
    const logs = await client(t);
    try {
      return await readPast(logs, t.logGroup, input);
    } catch (err) {
      if (err instanceof VisibleError) throw err;
      const name = (err as { name?: string }).name ?? "";
      if (name === "ResourceNotFoundException") return { invocations: [], next: null };
      throw new VisibleError("unavailable", `CloudWatch Logs could not be read: ${describe(err)}`);
    } finally {
      logs.destroy();
    }
  }

  /** What a live tail of the function polls: FilterLogEvents over a window, every page. */
  export async function tailSource(functionId: string): Promise<{ key: string; source: TailSource }> {
    const t = await target(functionId);
    const logs = await client(t);
    return {
      key: `${t.connectionId}:${t.region}:${t.logGroup}`,
      source: {
        async read({ start, end }) {
          const out: TailLine[] = [];
          let token: string | undefined;
          for (let page = 0; page < 5; page++) {
            const res = await logs.send(new FilterLogEventsCommand({ logGroupName: t.logGroup, startTime: start, endTime: end, nextToken: token, limit: 10_000 }));
            for (const e of res.events ?? []) out.push({ id: e.eventId ?? `${e.logStreamName}:${e.timestamp}:${e.message}`, timestamp: e.timestamp ?? 0, message: e.message ?? "", stream: e.logStreamName });
            token = res.nextToken;
            if (!token) break;
          }
          return out;
        },
      },
    };
  }

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
export { TailHub, type TailLine, type TailSource, type Watcher } from "./live";
export { matchesPattern, parsePattern, toFilterPattern } from "./search";
