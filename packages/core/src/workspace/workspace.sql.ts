import { mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, time, timestamps } from "../db/types";

export const workspaceTable = mysqlTable(
  "workspace",
  {
    id: id().primaryKey(),
    slug: varchar("slug", { length: 64 }).notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    ...timestamps,
    timeDeleted: time("time_deleted"),
  },
  (t) => [uniqueIndex("workspace_slug").on(t.slug)],
);
