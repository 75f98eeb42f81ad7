import { mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, time, timestamps } from "../db/types";

export const workspaceTable = mysqlTable(
  "workspace",
  {
    id: id().primaryKey(),
    slug: varchar("slug", { length: 64 }).notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    /** Who may invoke functions of non-personal stages: `member` (everyone) or `admin` (admins and owners). */
    invokeRole: varchar("invoke_role", { length: 16 }).notNull().default("member"),
    ...timestamps,
    timeDeleted: time("time_deleted"),
  },
  (t) => [uniqueIndex("workspace_slug").on(t.slug)],
);
