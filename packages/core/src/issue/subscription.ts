/**
 * Subscriptions: for every function of a stage that does not run live, a
 * CloudWatch Logs subscription filter on its log group sends error-looking events
 * to the console (a destination in the console's account, in the log group's
 * region, which writes to one Kinesis stream). AWS allows two filters per log
 * group; when both are taken, a permission is missing or the log group does not
 * exist, the console records a warning the UI shows with Retry.
 */
import { and, eq } from "drizzle-orm";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteSubscriptionFilterCommand,
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { Actor } from "../actor";
import { Account } from "../account";
import { App, type FunctionInfo } from "../app";
import { Customer, type Credentials } from "../aws/customer";
import { Database } from "../db";
import { sha256 } from "../id";
import { log } from "../util/log";
import { mapLimit } from "../util/pool";
import { Warning, type WarningType } from "../warning";
import { Destinations } from "./destination";
import { issueSubscriptionTable } from "./issue.sql";

/**
 * What the filter lets through: every error kind of the detection engine, in text and
 * JSON log formats, for Node.js, Python, Go, Java and .NET, plus platform failures
 * (REPORT `Status: timeout` / `Status: error`, INIT_REPORT, runtime exits). Terms are
 * case-sensitive substrings joined by OR (`?`). It errs on the side of letting a line
 * through: the detector decides what is an error. The tab in "<TAB>at " matches Java
 * frames logged one per event.
 */
export const FILTER_TERMS = [
  "ERROR",
  "Invoke Error",
  "Uncaught Exception",
  "Unhandled Promise Rejection",
  "Task timed out",
  "Status: timeout",
  "Status: error",
  "INIT_REPORT",
  "Runtime exited",
  "Runtime.",
  "signal: killed",
  "panic:",
  "goroutine ",
  "LAMBDA_RUNTIME Failed",
  "errorType",
  "errorMessage",
  "Traceback",
  "Exception",
  "Error:",
  "Caused by:",
  "\tat ",
] as const;

export const FILTER_PATTERN = FILTER_TERMS.map((t) => `?"${t}"`).join(" ");

/**
 * Evaluates the subset of the CloudWatch Logs filter syntax that FILTER_PATTERN uses
 * (quoted terms joined by `?`), to test the pattern against real log lines.
 */
export function matchesFilterPattern(pattern: string, message: string): boolean {
  const terms = [...pattern.matchAll(/\?"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  return terms.some((t) => message.includes(t));
}

/**
 * `console-<connection>-<region>`: a subscription payload names its filter, and the
 * name is how the consumer finds the connection and the region (payloads carry
 * neither; the same log group name can exist in several regions).
 */
export function filterName(connectionId: string, region: string) {
  return `console-${connectionId}-${region}`;
}

/** The connection and region a filter name belongs to, or undefined for other filters. */
export function parseFilterName(name: string): { connectionId: string; region: string } | undefined {
  const m = /^console-([0-9a-z]{26})-([a-z]{2}(?:-[a-z]+)+-\d)$/.exec(name);
  return m ? { connectionId: m[1]!, region: m[2]! } : undefined;
}

const PATTERN_HASH = sha256(FILTER_PATTERN);

interface Target {
  connectionId: string;
  accountId: string;
  credentials: Credentials;
}

function awsError(err: unknown) {
  const e = err as { name?: string; message?: string };
  return { name: e.name ?? "Error", message: e.message ?? String(err) };
}

function logsClient(target: Target, region: string) {
  return Customer.client(CloudWatchLogsClient, {
    region,
    credentials: target.credentials,
    accountId: target.accountId,
    connectionId: target.connectionId,
  });
}

const warningTypes: WarningType[] = ["subscription_limit", "subscription_permission", "subscription_missing_log_group", "subscription_failed"];

async function subscribeFunction(target: Target, fn: FunctionInfo, stageId: string): Promise<"subscribed" | "warning"> {
  const logs = logsClient(target, fn.region);
  const name = filterName(target.connectionId, fn.region);
  const warn = async (type: WarningType, message: string, data: Record<string, unknown>) => {
    await Warning.set({ type, target: fn.id, stageId, message, data: { functionName: fn.name, logGroup: fn.logGroup, ...data } });
    return "warning" as const;
  };
  let destinationArn: string;
  try {
    destinationArn = await Destinations.arn({ connectionId: target.connectionId, accountId: target.accountId, region: fn.region });
  } catch (err) {
    return warn("subscription_failed", `The console could not prepare its log destination in ${fn.region}: ${awsError(err).message}`, awsError(err));
  }
  const put = () =>
    logs.send(
      new PutSubscriptionFilterCommand({
        logGroupName: fn.logGroup,
        filterName: name,
        filterPattern: FILTER_PATTERN,
        destinationArn,
      }),
    );
  for (let attempt = 0; ; attempt++) {
    try {
      await put();
      break;
    } catch (err) {
      const e = awsError(err);
      if (e.name === "ResourceNotFoundException" && attempt === 0) {
        // The function has never run, so its log group does not exist yet: create it.
        try {
          await logs.send(new CreateLogGroupCommand({ logGroupName: fn.logGroup }));
        } catch (createErr) {
          const c = awsError(createErr);
          if (c.name !== "ResourceAlreadyExistsException") {
            return warn("subscription_missing_log_group", `The log group ${fn.logGroup} does not exist and could not be created: ${c.message}`, c);
          }
        }
        continue;
      }
      if (e.name === "LimitExceededException") {
        const existing = await logs
          .send(new DescribeSubscriptionFiltersCommand({ logGroupName: fn.logGroup }))
          .then((r) => (r.subscriptionFilters ?? []).map((f) => f.filterName ?? "").filter((n) => n !== name))
          .catch(() => [] as string[]);
        if (existing.length >= 2 || attempt >= 2) {
          return warn(
            "subscription_limit",
            `${fn.logGroup} already has two subscription filters${existing.length ? ` (${existing.join(", ")})` : ""}, the most AWS allows. Remove one, then retry.`,
            { ...e, filters: existing },
          );
        }
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
        continue;
      }
      if (e.name === "AccessDeniedException" || e.name === "AccessDenied") {
        return warn("subscription_permission", `The console's role may not subscribe to ${fn.logGroup}: ${e.message}. Update the connection stack, then retry.`, e);
      }
      if (e.name === "InvalidParameterException" && /destination/i.test(e.message) && attempt === 0) {
        Destinations.forget({ connectionId: target.connectionId, region: fn.region });
        destinationArn = await Destinations.arn({ connectionId: target.connectionId, accountId: target.accountId, region: fn.region });
        continue;
      }
      return warn("subscription_failed", `Could not subscribe to ${fn.logGroup}: ${e.message}`, e);
    }
  }
  const workspaceId = Actor.workspaceId();
  await Database.use((db) =>
    db
      .insert(issueSubscriptionTable)
      .values({
        workspaceId,
        connectionId: target.connectionId,
        region: fn.region,
        logGroup: fn.logGroup,
        stageId,
        functionId: fn.id,
        filterName: name,
        destinationArn,
        filterPatternHash: PATTERN_HASH,
      })
      .onDuplicateKeyUpdate({ set: { stageId, functionId: fn.id, filterName: name, destinationArn, filterPatternHash: PATTERN_HASH } }),
  );
  await Warning.clear(fn.id, warningTypes);
  return "subscribed";
}

async function unsubscribe(target: Target, rows: { region: string; logGroup: string; filterName: string }[]) {
  const workspaceId = Actor.workspaceId();
  await mapLimit(rows, 4, async (row) => {
    try {
      await logsClient(target, row.region).send(new DeleteSubscriptionFilterCommand({ logGroupName: row.logGroup, filterName: row.filterName }));
    } catch (err) {
      if (awsError(err).name !== "ResourceNotFoundException") throw err;
    }
    await Database.use((db) =>
      db
        .delete(issueSubscriptionTable)
        .where(
          and(
            eq(issueSubscriptionTable.workspaceId, workspaceId),
            eq(issueSubscriptionTable.connectionId, target.connectionId),
            eq(issueSubscriptionTable.region, row.region),
            eq(issueSubscriptionTable.logGroup, row.logGroup),
          ),
        ),
    );
  });
}

async function targetOf(connectionId: string): Promise<Target> {
  const access = await Account.access(connectionId);
  return { connectionId, accountId: access.accountId, credentials: await Customer.credentials(access) };
}

async function rowsOf(filter: { stageId?: string; connectionId?: string }) {
  const workspaceId = Actor.workspaceId();
  return Database.use((db) =>
    db
      .select()
      .from(issueSubscriptionTable)
      .where(
        and(
          eq(issueSubscriptionTable.workspaceId, workspaceId),
          filter.stageId ? eq(issueSubscriptionTable.stageId, filter.stageId) : undefined,
          filter.connectionId ? eq(issueSubscriptionTable.connectionId, filter.connectionId) : undefined,
        ),
      ),
  );
}

export interface SyncResult {
  subscribed: number;
  unchanged: number;
  removed: number;
  warnings: number;
}

export namespace Subscriptions {
  /**
   * Brings the stage's filters in line with its functions: subscribe the functions
   * that do not run live (skipping those already subscribed with this pattern),
   * unsubscribe live ones and ones that left the stage.
   */
  export async function syncStage(stageId: string, options: { force?: string[] } = {}): Promise<SyncResult> {
    const result: SyncResult = { subscribed: 0, unchanged: 0, removed: 0, warnings: 0 };
    const stage = await App.stage(stageId).catch(() => undefined);
    if (!stage) return result;
    const target = await targetOf(stage.connectionId);
    const functions = await App.functions(stageId);
    const rows = await rowsOf({ stageId });
    const byLogGroup = new Map(rows.map((r) => [`${r.region}|${r.logGroup}`, r]));
    const wanted = functions.filter((f) => !f.live);
    const wantedKeys = new Set(wanted.map((f) => `${f.region}|${f.logGroup}`));
    const stale = rows.filter((r) => !wantedKeys.has(`${r.region}|${r.logGroup}`));
    if (stale.length) {
      await unsubscribe(target, stale);
      result.removed += stale.length;
    }
    await Warning.clear(
      functions.filter((f) => f.live).map((f) => f.id),
      warningTypes,
    );
    await mapLimit(wanted, 4, async (fn) => {
      const row = byLogGroup.get(`${fn.region}|${fn.logGroup}`);
      if (row && row.filterPatternHash === PATTERN_HASH && row.functionId === fn.id && !options.force?.includes(fn.id)) {
        result.unchanged++;
        return;
      }
      const outcome = await subscribeFunction(target, fn, stageId);
      if (outcome === "subscribed") result.subscribed++;
      else result.warnings++;
    });
    log.info("subscriptions synced", { stageId, ...result });
    return result;
  }

  /** A stage left AWS: take its filters away (its log groups may be gone already). */
  export async function removeStage(stageId: string, connectionId: string) {
    const rows = await rowsOf({ stageId });
    await Warning.clearStage(stageId);
    if (!rows.length) return;
    try {
      await unsubscribe(await targetOf(connectionId), rows);
    } catch (err) {
      log.warn("could not remove the filters of a removed stage", { stageId, err });
    }
  }

  /** Retry the subscription behind a warning (the user pressed Retry). */
  export async function retry(warningId: string) {
    const warning = await Warning.get(warningId);
    if (!warning.stageId || !warning.type.startsWith("subscription_")) return { retried: false };
    const result = await syncStage(warning.stageId, { force: [warning.target] });
    return { retried: true, result };
  }

  /**
   * Disconnect: take away every filter of a connection, and the console-side
   * destinations they wrote to. Runs before the account's cleanup (the disconnect
   * subscriber calls both); failures are returned, not thrown, so the cleanup goes on.
   */
  export async function removeAccount(connectionId: string): Promise<{ removed: number; warnings: string[] }> {
    const rows = await rowsOf({ connectionId });
    if (!rows.length) return { removed: 0, warnings: [] };
    try {
      const target = await targetOf(connectionId);
      await unsubscribe(target, rows);
      for (const region of new Set(rows.map((r) => r.region))) await Destinations.remove({ connectionId, accountId: target.accountId, region });
      return { removed: rows.length, warnings: [] };
    } catch (err) {
      const e = awsError(err);
      log.warn("could not remove the log subscriptions of a connection", { connectionId, err });
      return { removed: 0, warnings: [`${e.name}: ${e.message}`] };
    }
  }

  export async function list(stageId?: string) {
    return (await rowsOf({ stageId })).map((r) => ({ stageId: r.stageId, functionId: r.functionId, region: r.region, logGroup: r.logGroup, filterName: r.filterName }));
  }
}
