import { index, mysqlTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";

/**
 * Something the console could not do for a workspace and that the user can fix:
 * a subscription that failed (limit, permission, missing log group), issues paused
 * by the rate limit. One row per (type, target); resolved warnings are deleted.
 */
export const warningTable = mysqlTable(
  "warning",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    type: varchar("type", { length: 64 }).notNull(),
    /** What the warning is about: a function id, a stage id, "workspace". */
    target: varchar("target", { length: 191 }).notNull(),
    stageId: varchar("stage_id", { length: 26 }),
    message: text("message").notNull(),
    data: json<Record<string, unknown>>("data"),
    ...timestamps,
    timeExpires: time("time_expires"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("warning_target").on(t.workspaceId, t.type, t.target),
    index("warning_stage").on(t.workspaceId, t.stageId),
  ],
);
