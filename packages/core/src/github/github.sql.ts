import { bigint, char, index, mysqlTable, primaryKey, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, time, timestamps, workspaceId } from "../db/types";

/** GitHub webhook deliveries already taken (`X-GitHub-Delivery`): a replayed delivery is taken once. */
export const githubDeliveryTable = mysqlTable("github_delivery", {
  id: varchar("id", { length: 64 }).primaryKey(),
  event: varchar("event", { length: 64 }).notNull(),
  timeCreated: time("time_created").notNull().$defaultFn(() => new Date()),
});

/** A GitHub App installation linked to a workspace. One installation belongs to one workspace. */
export const githubInstallationTable = mysqlTable(
  "github_installation",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    installationId: bigint("installation_id", { mode: "number" }).notNull(),
    accountLogin: varchar("account_login", { length: 255 }).notNull(),
    accountType: varchar("account_type", { length: 32 }).notNull(),
    installedBy: id("installed_by").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("github_installation_id").on(t.installationId)],
);

/** The `state` of an install in progress: bound to the workspace and the admin who started it, single use, 10 minutes. Stored hashed. */
export const githubInstallStateTable = mysqlTable(
  "github_install_state",
  {
    hash: char("hash", { length: 64 }).notNull(),
    workspaceId: workspaceId(),
    userId: id("user_id").notNull(),
    timeExpires: time("time_expires").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hash] }), index("github_install_state_expires").on(t.timeExpires)],
);
