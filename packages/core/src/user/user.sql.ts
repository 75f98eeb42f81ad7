import { mysqlTable, uniqueIndex } from "drizzle-orm/mysql-core";
import { email, id, time, timestamps } from "../db/types";

/** A person, identified by email. Global: the same user belongs to many workspaces. */
export const userTable = mysqlTable(
  "user",
  {
    id: id().primaryKey(),
    email: email().notNull(),
    ...timestamps,
    timeSeen: time("time_seen"),
  },
  (t) => [uniqueIndex("user_email").on(t.email)],
);
