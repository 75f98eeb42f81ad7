import { bigint, char, index, int, mysqlTable, primaryKey } from "drizzle-orm/mysql-core";
import { id, time, workspaceId } from "../db/types";

/** Issue events ingested per workspace per hour: the hourly quota, and what was dropped past it. */
export const ingestUsageTable = mysqlTable(
  "ingest_usage",
  {
    workspaceId: workspaceId(),
    hour: time("hour").notNull(),
    count: int("count").notNull().default(0),
    dropped: int("dropped").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.hour] })],
);

/**
 * Lambda invocations per workspace, stage, function and UTC day, read from CloudWatch.
 * A re-run of a day replaces its rows (never adds). Personal stages are never metered.
 */
export const invocationUsageTable = mysqlTable(
  "invocation_usage",
  {
    workspaceId: workspaceId(),
    stageId: id("stage_id").notNull(),
    functionId: id("function_id").notNull(),
    /** UTC day, YYYY-MM-DD. */
    day: char("day", { length: 10 }).notNull(),
    invocations: bigint("invocations", { mode: "number" }).notNull(),
    timeUpdated: time("time_updated").notNull().$defaultFn(() => new Date()),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.stageId, t.functionId, t.day] }), index("invocation_usage_day").on(t.workspaceId, t.day)],
);
