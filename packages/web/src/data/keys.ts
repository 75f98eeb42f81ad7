/**
 * Query keys, one place. Everything of a workspace lives under `["ws", workspaceId]`, so
 * one prefix reaches it all (`invalidateQueries({ queryKey: ["ws", id] })`), and each
 * domain under its own prefix (`keys.issues.all(ws)` reaches lists, counts and details).
 *
 * A new page adds its keys here, under its domain.
 */
import type { IssueSort, IssueStatus } from "../lib/api";

/** What an issue list shows (the part of `GET /issues` that is not paging). */
export interface IssueFilter {
  status: IssueStatus;
  stage?: string;
  function?: string;
  q?: string;
  sort?: IssueSort;
}

export const keys = {
  me: () => ["me"] as const,
  config: () => ["config"] as const,
  /** The signed-in person's own pending invitations. */
  myInvitations: () => ["my-invitations"] as const,
  /** A workspace as the address names it (slug or id): the workspace layout's check. */
  workspace: (key: string) => ["workspace", key] as const,

  members: (ws: string) => ["ws", ws, "members"] as const,
  invitations: (ws: string) => ["ws", ws, "invitations"] as const,
  audit: (ws: string) => ["ws", ws, "audit"] as const,

  accounts: {
    all: (ws: string) => ["ws", ws, "accounts"] as const,
    list: (ws: string) => ["ws", ws, "accounts", "list"] as const,
    one: (ws: string, account: string) => ["ws", ws, "accounts", "one", account] as const,
    connect: (ws: string, account: string, variant: string) => ["ws", ws, "accounts", "one", account, "connect", variant] as const,
  },

  stages: {
    all: (ws: string) => ["ws", ws, "stages"] as const,
    list: (ws: string) => ["ws", ws, "stages", "list"] as const,
    /** One stage with its functions and resources. */
    one: (ws: string, stage: string) => ["ws", ws, "stages", "one", stage] as const,
    /** Every function of the workspace by name (the command bar's search). */
    functions: (ws: string) => ["ws", ws, "stages", "functions"] as const,
  },

  deploys: {
    /** A stage's deploys, newest first. */
    list: (ws: string, stage: string) => ["ws", ws, "deploys", stage, "list"] as const,
    one: (ws: string, stage: string, deploy: string) => ["ws", ws, "deploys", stage, "one", deploy] as const,
  },

  /** The workspace's GitHub App installations, and the repositories they can see. */
  github: {
    all: (ws: string) => ["ws", ws, "github"] as const,
    status: (ws: string) => ["ws", ws, "github", "status"] as const,
    repositories: (ws: string) => ["ws", ws, "github", "repositories"] as const,
  },

  /** An app's repository, targets and runs (`app` is the app's id). */
  autodeploy: {
    all: (ws: string, app: string) => ["ws", ws, "autodeploy", app] as const,
    repository: (ws: string, app: string) => ["ws", ws, "autodeploy", app, "repository"] as const,
    targets: (ws: string, app: string) => ["ws", ws, "autodeploy", app, "targets"] as const,
    /** Every run list of the app, whatever the stage filter. */
    runLists: (ws: string, app: string) => ["ws", ws, "autodeploy", app, "runs"] as const,
    runs: (ws: string, app: string, stage: string | null) => ["ws", ws, "autodeploy", app, "runs", { stage }] as const,
    run: (ws: string, app: string, run: string) => ["ws", ws, "autodeploy", app, "run", run] as const,
    logs: (ws: string, app: string, run: string) => ["ws", ws, "autodeploy", app, "logs", run] as const,
  },

  issues: {
    all: (ws: string) => ["ws", ws, "issues"] as const,
    lists: (ws: string) => ["ws", ws, "issues", "list"] as const,
    list: (ws: string, filter: IssueFilter) =>
      [
        "ws",
        ws,
        "issues",
        "list",
        { status: filter.status, stage: filter.stage ?? null, function: filter.function ?? null, q: filter.q || null, sort: filter.sort ?? "last" },
      ] as const,
    /** Counts per status of a stage, or of the workspace (`stage` null). */
    counts: (ws: string, stage?: string | null) => ["ws", ws, "issues", "counts", stage ?? null] as const,
    countsAll: (ws: string) => ["ws", ws, "issues", "counts"] as const,
    details: (ws: string) => ["ws", ws, "issues", "detail"] as const,
    detail: (ws: string, issue: string) => ["ws", ws, "issues", "detail", issue] as const,
  },

  logs: {
    /** The invocation of an occurrence, read from CloudWatch Logs (not reloaded by issue actions). */
    occurrence: (ws: string, issue: string, occurrence: string) => ["ws", ws, "logs", "occurrence", issue, occurrence] as const,
    /** Past invocations of a function for a time range and search (paged by cursor). */
    /** Every page of past logs of a function, whatever the range (to reload them). */
    functionAll: (ws: string, fn: string) => ["ws", ws, "logs", "function", fn] as const,
    past: (ws: string, fn: string, q: { start?: number; end?: number; q?: string }) =>
      ["ws", ws, "logs", "function", fn, { start: q.start ?? null, end: q.end ?? null, q: q.q || null }] as const,
  },

  invoke: {
    /** The workspace's saved payloads. */
    payloads: (ws: string) => ["ws", ws, "payloads"] as const,
    /** The console's invocations of a function (replayable). */
    invocations: (ws: string, fn: string) => ["ws", ws, "invocations", fn] as const,
    /** The workspace's settings (who may invoke). */
    settings: (ws: string) => ["ws", ws, "settings"] as const,
  },

  warnings: {
    all: (ws: string) => ["ws", ws, "warnings"] as const,
    /** The warnings of a stage, or of the workspace (`stage` null). */
    list: (ws: string, stage?: string | null) => ["ws", ws, "warnings", stage ?? null] as const,
  },
};
