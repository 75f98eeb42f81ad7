/**
 * Autodeploy of an app (`app` is the app's id): its repository and the repositories the
 * workspace's GitHub App installations can see, its targets, its runs (polled while one is
 * queued or running), one run (polled while it is), and a run's logs (polled every 1.5 s
 * from the server's cursor until the server says they are done; lines merged without
 * repeats). Cancel and redeploy update the cached run and reload the lists.
 */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/solid-query";
import { createMemo, type Accessor } from "solid-js";
import { api, autodeployApi, type Run, type RunLogPage, type Targets } from "../lib/api";
import { isActive, mergeLogLines, type RunLog } from "../lib/autodeploy";
import { keys } from "./keys";
import { useInfiniteQuery, useQuery } from "./query";

/** Run lists: every 5 s while a run is queued or running, else every 30 s (pushes start runs). */
export const RUNS_POLL_MS = 30_000;
export const ACTIVE_RUNS_POLL_MS = 5_000;
/** One run, while it is queued or running. */
export const RUN_POLL_MS = 2_000;
/** A finished run whose deploy the stage's history has not read yet (the bucket event comes a moment later). */
export const DEPLOY_POLL_MS = 5_000;
/** How long after a run ends its deploy is waited for. */
export const DEPLOY_WAIT_MS = 5 * 60_000;
/** A run's logs, until they are done. */
export const LOG_POLL_MS = 1_500;
/** Pages read at once when a poll brings lines (catching up on a finished run's log). */
const LOG_PAGES_PER_POLL = 20;

export const githubQuery = (ws: string) =>
  queryOptions({
    queryKey: keys.github.status(ws),
    queryFn: ({ signal }) => api.github.get(ws, signal),
  });

export function useGithub(ws: Accessor<string>) {
  return useQuery(() => githubQuery(ws()));
}

/** The repositories the installations see (asked of GitHub: kept a minute). */
export function useGithubRepositories(ws: Accessor<string>, enabled: Accessor<boolean>) {
  return useQuery(() => ({
    queryKey: keys.github.repositories(ws()),
    queryFn: ({ signal }: { signal: AbortSignal }) => autodeployApi.repositories(ws(), signal),
    staleTime: 60_000,
    enabled: enabled(),
  }));
}

export const repositoryQuery = (ws: string, app: string) =>
  queryOptions({
    queryKey: keys.autodeploy.repository(ws, app),
    queryFn: ({ signal }) => autodeployApi.repository(ws, app, signal),
  });

export function useRepository(ws: Accessor<string>, app: Accessor<string>) {
  return useQuery(() => repositoryQuery(ws(), app()));
}

export const targetsQuery = (ws: string, app: string) =>
  queryOptions({
    queryKey: keys.autodeploy.targets(ws, app),
    queryFn: ({ signal }) => autodeployApi.targets(ws, app, signal),
  });

export function useTargets(ws: Accessor<string>, app: Accessor<string>) {
  return useQuery(() => targetsQuery(ws(), app()));
}

export const runsQuery = (ws: string, app: string, stage: string | null) =>
  infiniteQueryOptions({
    queryKey: keys.autodeploy.runs(ws, app, stage),
    queryFn: ({ pageParam, signal }) => autodeployApi.runs(ws, app, { stage: stage ?? undefined, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.runs.some(isActive)) ? ACTIVE_RUNS_POLL_MS : RUNS_POLL_MS),
  });

/** An app's runs, newest first (of one stage when `stage` names it), page after page. */
export function useRuns(ws: Accessor<string>, app: Accessor<string>, stage: Accessor<string | null> = () => null) {
  const query = useInfiniteQuery(() => runsQuery(ws(), app(), stage()));
  const runs = createMemo<Run[] | undefined>(() => {
    const data = query.data;
    if (!data) return undefined;
    const seen = new Set<string>();
    return data.pages.flatMap((p) => p.runs).filter((r) => !seen.has(r.id) && !!seen.add(r.id));
  });
  return { query, runs };
}

/** What a finished run changed elsewhere: the run lists, and its stage (new deploy, new resources). */
function afterRunChanged(client: QueryClient, ws: string, run: Run) {
  void client.invalidateQueries({ queryKey: keys.autodeploy.runLists(ws, run.appId) });
  if (run.stageId) void client.invalidateQueries({ queryKey: keys.deploys.list(ws, run.stageId) });
  void client.invalidateQueries({ queryKey: keys.stages.all(ws) });
}

export const runQuery = (ws: string, app: string, run: string) =>
  queryOptions({
    queryKey: keys.autodeploy.run(ws, app, run),
    queryFn: async ({ signal, client }) => {
      const before = client.getQueryData<{ run: Run }>(keys.autodeploy.run(ws, app, run));
      const answer = await autodeployApi.run(ws, app, run, signal);
      if (before && (before.run.status !== answer.run.status || before.run.deployId !== answer.run.deployId)) afterRunChanged(client, ws, answer.run);
      return answer;
    },
    refetchInterval: (q) => {
      const r = q.state.data?.run;
      if (!r) return false;
      if (isActive(r)) return RUN_POLL_MS;
      return awaitsDeploy(r, Date.now()) ? DEPLOY_POLL_MS : false;
    },
  });

/** A finished deploy run with no deploy in the history yet, lately ended: its deploy is on its way. */
export function awaitsDeploy(run: Run, now: number): boolean {
  if (run.deployId || run.action !== "deploy" || (run.status !== "succeeded" && run.status !== "failed") || !run.timeCompleted) return false;
  return now - Date.parse(run.timeCompleted) < DEPLOY_WAIT_MS;
}

/**
 * One run, polled while it is queued or running, then while its deploy is on its way; when
 * its state changes, lists and its stage reload.
 */
export function useRun(ws: Accessor<string>, app: Accessor<string>, run: Accessor<string>) {
  return useQuery(() => runQuery(ws(), app(), run()));
}

/** A run's log as shown: the lines so far, where the next poll starts, and whether it is complete. */
export interface RunLogState extends RunLog {
  cursor: string | null;
  done: boolean;
}

export const EMPTY_LOG: RunLogState = { lines: [], dropped: 0, cursor: null, done: false };

/**
 * Reads the log from where the cached state stopped: page after page while pages bring
 * lines (up to LOG_PAGES_PER_POLL), merged into what is shown.
 */
export async function readLogs(
  fetchPage: (cursor: string | null) => Promise<RunLogPage>,
  from: RunLogState,
  maxPages = LOG_PAGES_PER_POLL,
): Promise<RunLogState> {
  let state = from;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(state.cursor);
    const merged = mergeLogLines(state, page.lines);
    state = { ...merged, cursor: page.cursor ?? state.cursor, done: page.done };
    if (page.done || page.lines.length === 0 || page.cursor === null) break;
  }
  return state;
}

export const runLogsQuery = (ws: string, app: string, run: string) =>
  queryOptions({
    queryKey: keys.autodeploy.logs(ws, app, run),
    queryFn: ({ signal, client }) => {
      const before = client.getQueryData<RunLogState>(keys.autodeploy.logs(ws, app, run)) ?? EMPTY_LOG;
      return readLogs((cursor) => autodeployApi.logs(ws, app, run, cursor, signal), before);
    },
    refetchInterval: (q) => (q.state.data?.done ? false : LOG_POLL_MS),
    staleTime: (q) => (q.state.data?.done ? Infinity : 0),
  });

/** A run's logs, polled every LOG_POLL_MS until done (paused while the browser tab is hidden). */
export function useRunLogs(ws: Accessor<string>, app: Accessor<string>, run: Accessor<string>) {
  return useQuery(() => runLogsQuery(ws(), app(), run()));
}

export function useLinkRepository(ws: Accessor<string>, app: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (input: { installationId: string; fullName: string }) => autodeployApi.linkRepository(ws(), app(), input),
    onSuccess: (answer) => client.setQueryData(keys.autodeploy.repository(ws(), app()), answer),
  }));
}

export function useUnlinkRepository(ws: Accessor<string>, app: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: () => autodeployApi.unlinkRepository(ws(), app()),
    onSuccess: () => client.setQueryData(keys.autodeploy.repository(ws(), app()), { repository: null }),
  }));
}

export function useSaveTargets(ws: Accessor<string>, app: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (targets: Targets) => autodeployApi.saveTargets(ws(), app(), targets),
    onSuccess: (answer) => client.setQueryData(keys.autodeploy.targets(ws(), app()), answer),
  }));
}

/** Cancel: the run as the server answers it (cancelled, or stop asked), and the lists reload. */
export function useCancelRun(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (run: Run) => autodeployApi.cancel(ws(), run.appId, run.id),
    onSuccess: (answer) => {
      client.setQueryData(keys.autodeploy.run(ws(), answer.run.appId, answer.run.id), answer);
      void client.invalidateQueries({ queryKey: keys.autodeploy.runLists(ws(), answer.run.appId) });
    },
  }));
}

/** Redeploy: a new run of the same commit, stage and action (the page opens it). */
export function useRedeploy(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (run: Run) => autodeployApi.redeploy(ws(), run.appId, run.id),
    onSuccess: (answer) => {
      client.setQueryData(keys.autodeploy.run(ws(), answer.run.appId, answer.run.id), answer);
      void client.invalidateQueries({ queryKey: keys.autodeploy.runLists(ws(), answer.run.appId) });
    },
  }));
}
