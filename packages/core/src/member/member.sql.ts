import { char, index, mysqlEnum, mysqlTable, primaryKey, uniqueIndex } from "drizzle-orm/mysql-core";
import { email, id, time, timestamps, workspaceId } from "../db/types";

export const roles = ["owner", "admin", "member"] as const;

/** A user's membership of a workspace, with their role. */
export const memberTable = mysqlTable(
  "member",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    userId: char("user_id", { length: 26 }).notNull(),
    role: mysqlEnum("role", roles).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("member_workspace_user").on(t.workspaceId, t.userId),
    index("member_user").on(t.userId),
  ],
);

/** A pending invitation; it becomes a member row when the invitee accepts it, and goes away when they decline. */
export const invitationTable = mysqlTable(
  "invitation",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    email: email().notNull(),
    role: mysqlEnum("role", roles).notNull(),
    invitedBy: char("invited_by", { length: 26 }).notNull(),
    ...timestamps,
    timeExpires: time("time_expires").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("invitation_workspace_email").on(t.workspaceId, t.email),
    index("invitation_email").on(t.email),
  ],
);
