/**
 * Metering: Lambda `Invocations` per function per UTC day, read from CloudWatch
 * `GetMetricData` in each connected account, for every non-personal stage of the
 * current workspace. Queries are batched (up to 500 per call). A day's rows are
 * replaced on every run, so re-running never adds. Missing permissions become a warning.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { and, eq, gte, isNull, lte, sql } from "drizzle-orm";
import { Account } from "../account";
import { Actor } from "../actor";
import { appTable, functionTable, stageTable } from "../app/app.sql";
import { formatMicros, jsonCount, price, priceJson } from "./pricing";
import { Customer } from "../aws/customer";
import { Database } from "../db";
import { Warning } from "../warning";
import { invocationUsageTable } from "./usage.sql";

/** GetMetricData accepts at most 500 queries per call. */
export const MAX_QUERIES = 500;
const DAY_MS = 86_400_000;

export interface MeterResult {
  from: string;
  to: string;
  functions: number;
  calls: number;
  rows: number;
  invocations: number;
  warnings: { connectionId: string; region: string; message: string }[];
}

export function dayOf(time: Date | number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** First and last day (inclusive) of a month "YYYY-MM"; the last is capped at `today`. */
export function monthDays(month: string, today = dayOf(Date.now())): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const from = `${month}-01`;
  const last = dayOf(Date.UTC(y, m, 0));
  return { from, to: last < today ? last : today };
}

function isPermissionError(err: unknown) {
  const name = (err as { name?: string }).name ?? "";
  return /AccessDenied|UnauthorizedOperation|NotAuthorized|AssumeRole|Forbidden/i.test(name) || (err as { code?: string }).code === "forbidden";
}

/** Meters the days `from`..`to` (UTC, inclusive) of the current workspace. */
export async function meter(range: { from: string; to: string }): Promise<MeterResult> {
  const workspaceId = Actor.workspaceId();
  const fns = await Database.use((db) =>
    db
      .select({
        id: functionTable.id,
        name: functionTable.name,
        region: functionTable.region,
        stageId: stageTable.id,
        connectionId: stageTable.connectionId,
      })
      .from(functionTable)
      .innerJoin(stageTable, and(eq(stageTable.workspaceId, functionTable.workspaceId), eq(stageTable.id, functionTable.stageId)))
      .where(
        and(
          eq(functionTable.workspaceId, workspaceId),
          eq(stageTable.personal, false),
          eq(functionTable.live, false),
          isNull(stageTable.timeDeleted),
        ),
      ),
  );
  const start = new Date(`${range.from}T00:00:00.000Z`);
  const end = new Date(new Date(`${range.to}T00:00:00.000Z`).getTime() + DAY_MS);
  const groups = new Map<string, typeof fns>();
  for (const f of fns) {
    const key = `${f.connectionId}\u0000${f.region}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const result: MeterResult = { from: range.from, to: range.to, functions: fns.length, calls: 0, rows: 0, invocations: 0, warnings: [] };
  const rows: (typeof invocationUsageTable.$inferInsert)[] = [];
  const meteredStages = new Set<string>();
  for (const [key, group] of groups) {
    const [connectionId, region] = key.split("\u0000") as [string, string];
    let accountId: string | null = null;
    try {
      const access = await Account.access(connectionId);
      accountId = access.accountId;
      const credentials = await Customer.credentials(access);
      const cw = Customer.client(CloudWatchClient, { region, credentials, accountId: access.accountId, connectionId });
      const sums = new Map<string, Map<string, number>>();
      for (let i = 0; i < group.length; i += MAX_QUERIES) {
        const batch = group.slice(i, i + MAX_QUERIES);
        const queries: MetricDataQuery[] = batch.map((f, j) => ({
          Id: `f${i + j}`,
          MetricStat: {
            Metric: { Namespace: "AWS/Lambda", MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: f.name }] },
            Period: 86_400,
            Stat: "Sum",
          },
          ReturnData: true,
        }));
        let token: string | undefined;
        do {
          const res = await cw.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, NextToken: token, ScanBy: "TimestampAscending" }));
          result.calls++;
          for (const r of res.MetricDataResults ?? []) {
            const f = group[Number(r.Id!.slice(1))]!;
            const days = sums.get(f.id) ?? new Map<string, number>();
            sums.set(f.id, days);
            (r.Timestamps ?? []).forEach((t, k) => {
              const day = dayOf(t);
              days.set(day, (days.get(day) ?? 0) + Math.round(r.Values?.[k] ?? 0));
            });
          }
          token = res.NextToken;
        } while (token);
      }
      for (const f of group) {
        meteredStages.add(f.stageId);
        for (const [day, n] of sums.get(f.id) ?? []) {
          if (day < range.from || day > range.to || n <= 0) continue;
          rows.push({ workspaceId, stageId: f.stageId, functionId: f.id, day, invocations: n });
          result.invocations += n;
        }
      }
      await Warning.clear(`usage:${connectionId}:${region}`, ["usage_permission"]);
    } catch (err) {
      if (!isPermissionError(err)) throw err;
      const message = `Usage could not be read from CloudWatch in ${region}: ${(err as Error).message}`;
      result.warnings.push({ connectionId, region, message });
      await Warning.set({ type: "usage_permission", target: `usage:${connectionId}:${region}`, message, data: { accountId, region } });
    }
  }
  // Replace the range for the stages read (a stage whose account could not be read keeps its rows).
  await Database.transaction(async (tx) => {
    for (const stageId of meteredStages) {
      await tx
        .delete(invocationUsageTable)
        .where(
          and(
            eq(invocationUsageTable.workspaceId, workspaceId),
            eq(invocationUsageTable.stageId, stageId),
            gte(invocationUsageTable.day, range.from),
            lte(invocationUsageTable.day, range.to),
          ),
        );
    }
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insert(invocationUsageTable)
        .values(rows.slice(i, i + 500))
        .onDuplicateKeyUpdate({ set: { invocations: sql`values(${invocationUsageTable.invocations})`, timeUpdated: new Date() } });
    }
  });
  result.rows = rows.length;
  return result;
}

export interface UsageSummary {
  month: string;
  invocations: number | string;
  costUsd: string;
  tiers: ReturnType<typeof priceJson>["tiers"];
  stages: { stageId: string; app: string; stage: string; personal: boolean; invocations: number }[];
  days: { day: string; invocations: number }[];
  /** Per stage per day, for the chart. */
  stageDays: { day: string; stageId: string; invocations: number }[];
  /** The month extrapolated from the days metered so far (current month only). */
  projected: { invocations: number | string; costUsd: string };
  /** Accounts and regions whose metrics could not be read at the last run (their earlier days are kept). */
  warnings: { accountId: string | null; region: string | null; message: string }[];
}

/** What the current workspace used in `month` ("YYYY-MM") and what it costs. */
export async function summary(month: string, now = Date.now()): Promise<UsageSummary> {
  const workspaceId = Actor.workspaceId();
  const { from, to } = monthDays(month, "9999-12-31");
  const [stages, perStageDay, warnings] = await Promise.all([
    Database.use((db) =>
      db
        .select({ stageId: stageTable.id, app: appTable.name, stage: stageTable.name, personal: stageTable.personal })
        .from(stageTable)
        .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .where(and(eq(stageTable.workspaceId, workspaceId), isNull(stageTable.timeDeleted)))
        .orderBy(appTable.name, stageTable.name),
    ),
    Database.use((db) =>
      db
        .select({ stageId: invocationUsageTable.stageId, day: invocationUsageTable.day, invocations: sql<string>`sum(${invocationUsageTable.invocations})` })
        .from(invocationUsageTable)
        .innerJoin(stageTable, and(eq(stageTable.workspaceId, invocationUsageTable.workspaceId), eq(stageTable.id, invocationUsageTable.stageId)))
        .where(
          and(
            eq(invocationUsageTable.workspaceId, workspaceId),
            eq(stageTable.personal, false),
            gte(invocationUsageTable.day, from),
            lte(invocationUsageTable.day, to),
          ),
        )
        .groupBy(invocationUsageTable.stageId, invocationUsageTable.day)
        .orderBy(invocationUsageTable.day),
    ),
    Warning.list(),
  ]);
  const byStage = new Map<string, bigint>();
  const byDay = new Map<string, bigint>();
  let total = 0n;
  const stageDays = perStageDay.map((r) => {
    const n = BigInt(r.invocations);
    byStage.set(r.stageId, (byStage.get(r.stageId) ?? 0n) + n);
    byDay.set(r.day, (byDay.get(r.day) ?? 0n) + n);
    total += n;
    return { day: r.day, stageId: r.stageId, invocations: Number(n) };
  });
  const p = priceJson(price(total));
  // Projection: the month so far scaled to its length (only while the month is running).
  const today = dayOf(now);
  const daysInMonth = Number(monthDays(month, "9999-12-31").to.slice(8));
  let projectedN = total;
  if (today >= from && today <= to) {
    const elapsed = BigInt(Number(today.slice(8)));
    projectedN = (total * BigInt(daysInMonth)) / elapsed;
  }
  return {
    month,
    invocations: p.invocations,
    costUsd: p.costUsd,
    tiers: p.tiers,
    stages: stages.map((s) => ({ ...s, invocations: s.personal ? 0 : Number(byStage.get(s.stageId) ?? 0n) })),
    days: [...byDay].map(([day, n]) => ({ day, invocations: Number(n) })),
    stageDays,
    projected: { invocations: jsonCount(projectedN), costUsd: formatMicros(price(projectedN).costMicros) },
    warnings: warnings
      .filter((w) => w.type === "usage_permission")
      .map((w) => ({ accountId: (w.data?.accountId as string | null) ?? null, region: (w.data?.region as string | null) ?? null, message: w.message })),
  };
}

/** The current month's invocations of the workspace (for gating), as a BigInt. */
export async function monthInvocations(month = dayOf(Date.now()).slice(0, 7)): Promise<bigint> {
  const workspaceId = Actor.workspaceId();
  const { from, to } = monthDays(month, "9999-12-31");
  const [row] = await Database.use((db) =>
    db
      .select({ n: sql<string | null>`sum(${invocationUsageTable.invocations})` })
      .from(invocationUsageTable)
      .innerJoin(stageTable, and(eq(stageTable.workspaceId, invocationUsageTable.workspaceId), eq(stageTable.id, invocationUsageTable.stageId)))
      .where(and(eq(invocationUsageTable.workspaceId, workspaceId), eq(stageTable.personal, false), gte(invocationUsageTable.day, from), lte(invocationUsageTable.day, to))),
  );
  return BigInt(row?.n ?? 0);
}
