import { mysqlTable, varchar } from "drizzle-orm/mysql-core";
import { time } from "../db/types";

/** GitHub webhook deliveries already taken (`X-GitHub-Delivery`): a replayed delivery is taken once. */
export const githubDeliveryTable = mysqlTable("github_delivery", {
  id: varchar("id", { length: 64 }).primaryKey(),
  event: varchar("event", { length: 64 }).notNull(),
  timeCreated: time("time_created").notNull().$defaultFn(() => new Date()),
});
