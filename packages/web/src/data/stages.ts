/** Apps and stages: the workspace's stage list, and one stage with its functions and resources. */
import { queryOptions, useQueryClient } from "@tanstack/solid-query";
import { createMemo, mapArray, type Accessor } from "solid-js";
import { api } from "../lib/api";
import { keys } from "./keys";
import { useQuery } from "./query";

export const stagesQuery = (ws: string) =>
  queryOptions({
    queryKey: keys.stages.list(ws),
    queryFn: ({ signal }) => api.stages.list(ws, signal),
    reconcile: "id",
  });

/** One stage, its functions and its resources. Functions change with deploys: a minute is fresh enough. */
export const stageQuery = (ws: string, stage: string) =>
  queryOptions({
    queryKey: keys.stages.one(ws, stage),
    queryFn: ({ signal }) => api.stages.get(ws, stage, signal),
    staleTime: 60_000,
  });

/** The workspace's functions by name, for search. */
export const functionNamesQuery = (ws: string) =>
  queryOptions({
    queryKey: keys.stages.functions(ws),
    queryFn: ({ signal }) => api.functions.list(ws, signal),
    staleTime: 60_000,
  });

export function useStages(ws: Accessor<string>, enabled: Accessor<boolean> = () => true) {
  return useQuery(() => ({ ...stagesQuery(ws()), enabled: enabled() }));
}

export function useStageDetail(ws: Accessor<string>, stage: Accessor<string | undefined>) {
  return useQuery(() => ({ ...stageQuery(ws(), stage() ?? ""), enabled: !!stage() }));
}

/**
 * The functions of a stage, for their component names (issues carry the Lambda name);
 * undefined until loaded (names stay the Lambda names meanwhile).
 */
export function useStageFunctions(ws: Accessor<string>, stage: Accessor<string | undefined>) {
  const detail = useStageDetail(ws, stage);
  return () => detail.data?.functions;
}

/**
 * The functions of several stages (the rows of the workspace's issue list), one cached
 * query per stage: `functionsOf(stageId)` is undefined until that stage is loaded.
 */
export function useFunctionsByStage(ws: Accessor<string>, stageIds: Accessor<string[]>) {
  const client = useQueryClient();
  const queries = mapArray(stageIds, (id) => [id, useQuery(() => stageQuery(ws(), id), () => client)] as const);
  const byStage = createMemo(() => new Map(queries().map(([id, q]) => [id, q.data?.functions])));
  return (stageId: string) => byStage().get(stageId);
}
