import { boolean, index, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";

export const accountStatuses = ["connecting", "connected", "scanning", "failed", "disconnecting"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export interface ScanProgress {
  regionsTotal: number;
  regionsDone: number;
  current?: string[];
  stagesFound?: number;
  startedAt: string;
}

/**
 * A connection between a workspace and an AWS account. Created pending (with its
 * own external id secret) before the account is known; the account id is set only
 * after the console has assumed the role with that external id.
 */
export const awsAccountTable = mysqlTable(
  "aws_account",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    accountId: varchar("account_id", { length: 12 }),
    roleArn: varchar("role_arn", { length: 2048 }),
    externalIdSealed: text("external_id_sealed").notNull(),
    method: mysqlEnum("method", ["stack", "manual", "demo"]).notNull(),
    status: mysqlEnum("status", accountStatuses).notNull(),
    reason: text("reason"),
    progress: json<ScanProgress>("progress"),
    stackId: varchar("stack_id", { length: 2048 }),
    ...timestamps,
    timeConnected: time("time_connected"),
    timeScanned: time("time_scanned"),
    /**
     * When the connection stack's custom resource reported a Delete that the console
     * could not confirm (its role no longer answers): the connection stays until an
     * admin confirms the removal in the console.
     */
    timeStackDeleted: time("time_stack_deleted"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("aws_account_workspace_account").on(t.workspaceId, t.accountId),
    index("aws_account_account").on(t.accountId),
    index("aws_account_id").on(t.id),
  ],
);

/**
 * What the console found and changed in one region of a connected account: the
 * bootstrap buckets, whether it turned on their EventBridge notifications, and the
 * forwarding rule it created. Disconnect undoes exactly what is recorded here.
 */
export const awsRegionTable = mysqlTable(
  "aws_region",
  {
    workspaceId: workspaceId(),
    connectionId: id("aws_account_id").notNull(),
    region: varchar("region", { length: 32 }).notNull(),
    stateBucket: varchar("state_bucket", { length: 63 }),
    assetBucket: varchar("asset_bucket", { length: 63 }),
    v2Bucket: varchar("v2_bucket", { length: 63 }),
    /** Buckets whose EventBridge notifications the console turned on (and so turns off). */
    notificationsEnabled: json<string[]>("notifications_enabled"),
    /** Name of the forwarding rule the console created in this region, if any. */
    ruleName: varchar("rule_name", { length: 64 }),
    ruleManaged: boolean("rule_managed").notNull().default(false),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.connectionId, t.region] })],
);
