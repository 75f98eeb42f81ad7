/** A stage's deploys: the history (page after page, polled while one runs) and one deploy's changes. */
import { infiniteQueryOptions, queryOptions } from "@tanstack/solid-query";
import { createMemo, type Accessor } from "solid-js";
import { api, type DeploySummary } from "../lib/api";
import { keys } from "./keys";
import { useInfiniteQuery, useQuery } from "./query";

/** New deploys arrive by bucket events: every 30 s is fresh enough, every 5 s while one runs. */
const POLL_MS = 30_000;
const RUNNING_POLL_MS = 5_000;

export const deployListQuery = (ws: string, stage: string) =>
  infiniteQueryOptions({
    queryKey: keys.deploys.list(ws, stage),
    queryFn: ({ pageParam, signal }) => api.deploys.list(ws, stage, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });

export const deployQuery = (ws: string, stage: string, deploy: string) =>
  queryOptions({
    queryKey: keys.deploys.one(ws, stage, deploy),
    queryFn: ({ signal }) => api.deploys.get(ws, stage, deploy, signal),
  });

export function useDeploys(ws: Accessor<string>, stage: Accessor<string>) {
  const query = useInfiniteQuery(() => ({
    ...deployListQuery(ws(), stage()),
    refetchInterval: (q) => (q.state.data?.pages.some((p) => p.deploys.some((d) => d.status === "running")) ? RUNNING_POLL_MS : POLL_MS),
  }));
  const deploys = createMemo<DeploySummary[] | undefined>(() => {
    const data = query.data;
    if (!data) return undefined;
    const seen = new Set<string>();
    return data.pages.flatMap((p) => p.deploys).filter((d) => !seen.has(d.id) && !!seen.add(d.id));
  });
  return { query, deploys };
}

export function useDeploy(ws: Accessor<string>, stage: Accessor<string>, deploy: Accessor<string | undefined>, running: Accessor<boolean>) {
  return useQuery(() => ({
    ...deployQuery(ws(), stage(), deploy() ?? ""),
    enabled: !!deploy(),
    refetchInterval: running() ? RUNNING_POLL_MS : false,
  }));
}
