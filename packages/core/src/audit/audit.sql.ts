import { index, mysqlTable, primaryKey, varchar } from "drizzle-orm/mysql-core";
import { email, id, json, time, workspaceId } from "../db/types";

/** Every action that changes a workspace. Append-only. */
export const auditTable = mysqlTable(
  "audit_log",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    action: varchar("action", { length: 64 }).notNull(),
    actorType: varchar("actor_type", { length: 16 }).notNull(),
    actorId: varchar("actor_id", { length: 26 }),
    actorEmail: email("actor_email"),
    targetType: varchar("target_type", { length: 32 }).notNull(),
    targetId: varchar("target_id", { length: 64 }),
    targetLabel: varchar("target_label", { length: 255 }),
    data: json<Record<string, unknown>>("data"),
    ip: varchar("ip", { length: 64 }),
    timeCreated: time("time_created").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("audit_time").on(t.workspaceId, t.timeCreated)],
);
