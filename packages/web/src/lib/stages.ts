/**
 * Stage addresses, grouping and order (the stage list itself: src/data/stages.ts).
 *
 * A stage lives at `/:workspace/app/:app/:stage` (tabs below it: `/issues`, `/logs`,
 * `/local`). When the same app and stage name exist more than once in the workspace
 * (several regions or AWS accounts), links add `?id=<stage id>` to say which one.
 */
import type { Stage } from "./api";

export type StageTab = "resources" | "issues" | "logs" | "local" | "deploys";

/** Stages with the same app and name as `stage` (itself included). */
export function namesakes(stage: Pick<Stage, "app" | "name">, all: Stage[] | undefined): Stage[] {
  return (all ?? []).filter((s) => s.app === stage.app && s.name === stage.name);
}

export function stagePath(
  workspace: string,
  stage: Pick<Stage, "id" | "app" | "name">,
  all?: Stage[],
  tab: StageTab = "resources",
): string {
  const base = `/${workspace}/app/${encodeURIComponent(stage.app)}/${encodeURIComponent(stage.name)}`;
  const path = tab === "resources" ? base : `${base}/${tab}`;
  const ambiguous = namesakes(stage, all).length > 1 || !all;
  return ambiguous ? `${path}?id=${encodeURIComponent(stage.id)}` : path;
}

/** Personal stages after the others; then by name, region. */
export function compareStages(a: Stage, b: Stage): number {
  if (a.personal !== b.personal) return a.personal ? 1 : -1;
  return a.name.localeCompare(b.name) || a.region.localeCompare(b.region) || (a.accountId ?? "").localeCompare(b.accountId ?? "");
}

export interface AppGroup {
  app: string;
  appId: string;
  stages: Stage[];
}

/** Stages grouped by app (apps by name), each app's stages ordered by `compareStages`. */
export function groupByApp(stages: Stage[]): AppGroup[] {
  const groups = new Map<string, AppGroup>();
  for (const stage of stages) {
    const key = stage.app;
    let group = groups.get(key);
    if (!group) {
      group = { app: stage.app, appId: stage.appId, stages: [] };
      groups.set(key, group);
    }
    group.stages.push(stage);
  }
  const out = [...groups.values()].sort((a, b) => a.app.localeCompare(b.app));
  for (const group of out) group.stages.sort(compareStages);
  return out;
}
