import { boolean, index, int, mysqlEnum, mysqlTable, primaryKey, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";
import type { DeployChange, DeployError } from "./parse";

export const deployStatuses = ["running", "succeeded", "failed"] as const;
export const deploySources = ["cli", "autodeploy"] as const;

/**
 * One deploy (SST "update") of a stage, read from the state bucket's `update/` and
 * `eventlog/` objects. `sourceTag` holds the ETags they were read from, so a rescan
 * fetches only deploys whose objects changed.
 */
export const deployTable = mysqlTable(
  "deploy",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    stageId: id("stage_id").notNull(),
    updateId: varchar("update_id", { length: 64 }).notNull(),
    runId: varchar("run_id", { length: 64 }),
    source: mysqlEnum("source", deploySources).notNull(),
    command: varchar("command", { length: 32 }).notNull(),
    version: varchar("version", { length: 32 }),
    status: mysqlEnum("status", deployStatuses).notNull(),
    timeStarted: time("time_started"),
    timeCompleted: time("time_completed"),
    created: int("created").notNull().default(0),
    updated: int("updated").notNull().default(0),
    deleted: int("deleted").notNull().default(0),
    replaced: int("replaced").notNull().default(0),
    /** Errors that belong to no listed change. */
    errors: json<DeployError[]>("errors").notNull(),
    /** The resources it changed, with their errors (at most MAX_CHANGES). */
    changes: json<DeployChange[]>("changes").notNull(),
    changesTruncated: boolean("changes_truncated").notNull().default(false),
    hasEventLog: boolean("has_event_log").notNull().default(false),
    sourceTag: varchar("source_tag", { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("deploy_update").on(t.workspaceId, t.stageId, t.updateId),
    index("deploy_stage_time").on(t.workspaceId, t.stageId, t.timeStarted),
  ],
);
