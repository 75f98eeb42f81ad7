/**
 * The autodeploy routes (repository, targets and runs of an app), typed BY HAND from the
 * contract shared with the server work (`docs/api.md`, Autodeploy): these routes were being
 * built at the same time as these pages, so the typed client (`hc<Api>`) did not know them
 * yet. Once they are part of `packages/functions/src/api`, these types become
 * `Data<typeof w.apps[":app"]…>` names in `types.ts` and the calls go through `client`,
 * as everywhere else (packages/web/README.md, "One contract with the API").
 *
 * `:app` is the app's console id (`Stage.appId`).
 */
import { apiFetch, encode } from "./client";

export interface Repository {
  id: string;
  appId: string;
  installationId: string;
  githubRepositoryId: number;
  /** `owner/name`. */
  fullName: string;
  defaultBranch: string;
  /** The repository on GitHub. */
  url: string;
  timeCreated: string;
}

/** A repository the workspace's GitHub App installations can see. */
export interface GithubRepository {
  /** The console's id of the installation. */
  installationId: string;
  githubRepositoryId: number;
  fullName: string;
  defaultBranch: string;
  private: boolean;
}

export interface BranchTarget {
  /** Branch glob: `*` any run but `/`, `**` any run, `?` one character but `/`. */
  branch: string;
  /** The stage; `{branch}` stands for the branch name made a stage name. */
  stage: string;
  connectionId: string;
  region: string;
}

export interface EnvironmentVariable {
  /** A stage name or glob; `*` is every stage. */
  stage: string;
  name: string;
  secret: boolean;
  /** Null in answers when secret; on save, null keeps a secret that is already set. */
  value: string | null;
}

export interface Targets {
  branches: BranchTarget[];
  pullRequests: { connectionId: string; region: string } | null;
  environment: EnvironmentVariable[];
}

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface Run {
  id: string;
  appId: string;
  stageName: string;
  /** The discovered stage, when it exists. */
  stageId: string | null;
  action: "deploy" | "remove";
  trigger: "push" | "pull_request" | "redeploy";
  status: RunStatus;
  commit: { sha: string; message: string; author: string; url: string };
  branch: string | null;
  pullRequest: number | null;
  connectionId: string;
  region: string;
  error: string | null;
  /** The queued run that replaced this one (it was cancelled for it). */
  supersededBy: string | null;
  /** The deploy in the stage's history this run produced, once known. */
  deployId: string | null;
  timeQueued: string;
  timeStarted: string | null;
  timeCompleted: string | null;
  /** The console page of this run. */
  url: string;
}

export interface RunPage {
  runs: Run[];
  next: string | null;
}

export interface RunLogLine {
  timestamp: number;
  message: string;
}

export interface RunLogPage {
  lines: RunLogLine[];
  /** Where the next poll starts; null when the server has no position yet. */
  cursor: string | null;
  /** The run is finished and every line was read. */
  done: boolean;
}

const base = (workspace: string, app: string) => {
  const p = encode({ workspace, app });
  return `/api/workspaces/${p.workspace}/apps/${p.app}`;
};

async function call<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const response = await apiFetch(path, json === undefined ? rest : { ...rest, body: JSON.stringify(json) });
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

const qs = (params: Record<string, string | null | undefined>) => {
  const entries = Object.entries(params).filter((e): e is [string, string] => !!e[1]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : "";
};

export const autodeployApi = {
  repository: (workspace: string, app: string, signal?: AbortSignal) =>
    call<{ repository: Repository | null }>(`${base(workspace, app)}/repository`, { signal }),
  linkRepository: (workspace: string, app: string, input: { installationId: string; fullName: string }) =>
    call<{ repository: Repository }>(`${base(workspace, app)}/repository`, { method: "PUT", json: input }),
  unlinkRepository: (workspace: string, app: string) => call<{ ok: true }>(`${base(workspace, app)}/repository`, { method: "DELETE" }),
  /** What the workspace's installations can see. */
  repositories: (workspace: string, signal?: AbortSignal) =>
    call<{ repositories: GithubRepository[] }>(`/api/workspaces/${encodeURIComponent(workspace)}/github/repositories`, { signal }),

  targets: (workspace: string, app: string, signal?: AbortSignal) => call<Targets>(`${base(workspace, app)}/targets`, { signal }),
  saveTargets: (workspace: string, app: string, targets: Targets) =>
    call<Targets>(`${base(workspace, app)}/targets`, { method: "PUT", json: targets }),

  runs: (workspace: string, app: string, q: { stage?: string; cursor?: string | null }, signal?: AbortSignal) =>
    call<RunPage>(`${base(workspace, app)}/runs${qs({ stage: q.stage, cursor: q.cursor })}`, { signal }),
  run: (workspace: string, app: string, run: string, signal?: AbortSignal) =>
    call<{ run: Run }>(`${base(workspace, app)}/runs/${encodeURIComponent(run)}`, { signal }),
  logs: (workspace: string, app: string, run: string, cursor: string | null, signal?: AbortSignal) =>
    call<RunLogPage>(`${base(workspace, app)}/runs/${encodeURIComponent(run)}/logs${qs({ cursor })}`, { signal }),
  cancel: (workspace: string, app: string, run: string) =>
    call<{ run: Run }>(`${base(workspace, app)}/runs/${encodeURIComponent(run)}/cancel`, { method: "POST" }),
  redeploy: (workspace: string, app: string, run: string) =>
    call<{ run: Run }>(`${base(workspace, app)}/runs/${encodeURIComponent(run)}/redeploy`, { method: "POST" }),
};
