import { bigint, boolean, index, int, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";
import type { BranchRule, Environment } from "./targets";

/**
 * The GitHub repository an app deploys from, through one of the workspace's GitHub App
 * installations (`github_installation.id`). One repository per app; one app per
 * repository within a workspace. The repository is kept by GitHub's id (a rename keeps it).
 */
export const autodeployRepositoryTable = mysqlTable(
  "autodeploy_repository",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    appId: id("app_id").notNull(),
    installationId: id("installation_id").notNull(),
    githubRepositoryId: bigint("github_repository_id", { mode: "number" }).notNull(),
    fullName: varchar("full_name", { length: 255 }).notNull(),
    defaultBranch: varchar("default_branch", { length: 255 }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("autodeploy_repository_app").on(t.workspaceId, t.appId),
    uniqueIndex("autodeploy_repository_github").on(t.workspaceId, t.githubRepositoryId),
    index("autodeploy_repository_github_id").on(t.githubRepositoryId),
  ],
);

/** An app's target rules (./targets.ts). No row: nothing deploys. */
export const autodeployTargetsTable = mysqlTable(
  "autodeploy_targets",
  {
    workspaceId: workspaceId(),
    appId: id("app_id").notNull(),
    branches: json<BranchRule[]>("branches").notNull(),
    pullRequests: json<Environment | null>("pull_requests"),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.appId] })],
);

/**
 * Environment variables of an app's runs, per stage (a name or a glob). A secret's value
 * is stored only sealed (`valueSealed`, util/crypto.ts) and never leaves the console but
 * to the build it is for; a plain variable's value is in `value`.
 */
export const autodeployEnvTable = mysqlTable(
  "autodeploy_env",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    appId: id("app_id").notNull(),
    position: int("position").notNull(),
    stage: varchar("stage", { length: 255 }).notNull(),
    name: varchar("name", { length: 128 }).notNull(),
    secret: boolean("secret").notNull(),
    value: text("value"),
    valueSealed: text("value_sealed"),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("autodeploy_env_name").on(t.workspaceId, t.appId, t.stage, t.name)],
);

export const runStatuses = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const runActions = ["deploy", "remove"] as const;
export const runTriggers = ["push", "pull_request", "redeploy"] as const;
export type RunStatus = (typeof runStatuses)[number];

/**
 * One autodeploy run: a commit deployed to (or removed from) a stage. Its outcome is taken
 * only from the build executor (./executor.ts). The repository and installation are copied
 * onto the run, so that a run outlives a changed link.
 */
export const autodeployRunTable = mysqlTable(
  "autodeploy_run",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    appId: id("app_id").notNull(),
    installationId: id("installation_id").notNull(),
    repositoryFullName: varchar("repository_full_name", { length: 255 }).notNull(),
    stageName: varchar("stage_name", { length: 64 }).notNull(),
    action: mysqlEnum("action", runActions).notNull(),
    trigger: mysqlEnum("trigger", runTriggers).notNull(),
    status: mysqlEnum("status", runStatuses).notNull(),
    commitSha: varchar("commit_sha", { length: 64 }).notNull(),
    commitMessage: text("commit_message").notNull(),
    commitAuthor: varchar("commit_author", { length: 255 }).notNull(),
    commitUrl: varchar("commit_url", { length: 1024 }).notNull(),
    branch: varchar("branch", { length: 255 }),
    pullRequest: int("pull_request"),
    connectionId: id("connection_id").notNull(),
    region: varchar("region", { length: 32 }).notNull(),
    error: text("error"),
    supersededBy: id("superseded_by"),
    /** Cancel was asked while the build ran: the build is asked to stop; the run ends when the executor says so. */
    stopRequested: boolean("stop_requested").notNull().default(false),
    buildId: varchar("build_id", { length: 255 }),
    logGroup: varchar("log_group", { length: 512 }),
    logStream: varchar("log_stream", { length: 512 }),
    timeQueued: time("time_queued").notNull(),
    timeStarted: time("time_started"),
    timeCompleted: time("time_completed"),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("autodeploy_run_app").on(t.workspaceId, t.appId, t.stageName, t.status),
    index("autodeploy_run_status").on(t.status),
  ],
);
