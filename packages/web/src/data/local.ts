/**
 * Which stage, of which of the person's workspaces, the app and stage of `sst dev` is:
 * answered in the browser from the stage lists the console already serves (one query per
 * workspace, the same cache as the overview's), so that the local app and stage never
 * go to the console's servers.
 */
import { useQueries } from "@tanstack/solid-query";
import { createMemo, type Accessor } from "solid-js";
import type { Stage } from "../lib/api";
import { stagesOf } from "../lib/local/match";
import { stagesQuery } from "./stages";

/** A workspace as `/api/me` lists it (what this needs of it). */
export interface WorkspaceRef {
  id: string;
  slug: string;
  name: string;
}

export interface LocalMatch {
  workspace: WorkspaceRef;
  stage: Stage;
  all: Stage[];
}

export function useLocalStage(workspaces: Accessor<WorkspaceRef[] | undefined>, target: Accessor<{ app: string; stage: string } | undefined>) {
  const queries = useQueries(() => ({
    queries: (target() ? (workspaces() ?? []) : []).map((w) => stagesQuery(w.id)),
  }));
  const loading = () => !workspaces() || queries.some((q) => q.isPending);
  const failed = () => queries.filter((q) => q.error && !q.data).length;
  const matches = createMemo<LocalMatch[]>(() => {
    const t = target();
    const list = workspaces();
    if (!t || !list) return [];
    const lists = list.map((workspace, i) => ({ workspace, stages: queries[i]?.data ?? [] }));
    return stagesOf(lists, t.app, t.stage);
  });
  return { loading, failed, matches };
}
