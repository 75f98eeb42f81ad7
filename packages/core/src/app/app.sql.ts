import { bigint, boolean, char, index, int, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";

/** An SST app, by name, within a workspace. */
export const appTable = mysqlTable(
  "app",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("app_workspace_name").on(t.workspaceId, t.name)],
);

/** A stage of an app, in one account and region. Removed stages keep their row with time_deleted set. */
export const stageTable = mysqlTable(
  "stage",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    appId: id("app_id").notNull(),
    connectionId: id("aws_account_id").notNull(),
    region: varchar("region", { length: 32 }).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    version: mysqlEnum("version", ["v3", "v2"]).notNull(),
    personal: boolean("personal").notNull().default(false),
    /** Hash of the parsed stage model; a rescan that computes the same hash writes nothing. */
    contentHash: char("content_hash", { length: 64 }).notNull(),
    /** Fingerprint of the state objects last read (ETags), to skip unchanged ones without fetching them. */
    sourceTag: varchar("source_tag", { length: 1024 }).notNull(),
    functionCount: int("function_count").notNull().default(0),
    resourceCount: int("resource_count").notNull().default(0),
    ...timestamps,
    timeDeployed: time("time_deployed"),
    timeDeleted: time("time_deleted"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("stage_identity").on(t.workspaceId, t.appId, t.connectionId, t.region, t.name),
    index("stage_account").on(t.workspaceId, t.connectionId),
  ],
);

/** Every resource of a stage (functions too), as listed in its state. */
export const resourceTable = mysqlTable(
  "resource",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    stageId: id("stage_id").notNull(),
    keyHash: char("key_hash", { length: 64 }).notNull(),
    key: text("key").notNull(),
    type: varchar("type", { length: 255 }).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    parentKey: text("parent_key"),
    outputs: json<Record<string, unknown>>("outputs").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("resource_key").on(t.workspaceId, t.stageId, t.keyHash),
  ],
);

/** Lambda functions of a stage, with what logs, issues, invoke and usage need. */
export const functionTable = mysqlTable(
  "function",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    stageId: id("stage_id").notNull(),
    keyHash: char("key_hash", { length: 64 }).notNull(),
    component: varchar("component", { length: 255 }).notNull(),
    name: varchar("name", { length: 140 }).notNull(),
    arn: varchar("arn", { length: 255 }).notNull(),
    region: varchar("region", { length: 32 }).notNull(),
    accountId: varchar("account_id", { length: 12 }).notNull(),
    runtime: varchar("runtime", { length: 64 }),
    handler: varchar("handler", { length: 512 }),
    sourceHandler: varchar("source_handler", { length: 512 }),
    memorySize: int("memory_size"),
    timeout: int("timeout"),
    codeSize: bigint("code_size", { mode: "number" }),
    logGroup: varchar("log_group", { length: 512 }).notNull(),
    live: boolean("live").notNull().default(false),
    internal: boolean("internal").notNull().default(false),
    timeDeployed: time("time_deployed"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("function_key").on(t.workspaceId, t.stageId, t.keyHash),
    index("function_arn").on(t.workspaceId, t.arn),
    index("function_log_group").on(t.workspaceId, t.logGroup),
  ],
);
