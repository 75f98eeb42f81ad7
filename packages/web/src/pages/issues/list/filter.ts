/**
 * The tab, filters, search and order of an issue list, kept in the address (`?status=`,
 * `?function=`, `?app=&stage=`, `?q=`, `?sort=`) so a link shows the same list.
 *
 * Values are readable, so a link can be shared and read: the stage by its app and stage
 * names (`?app=acme-api&stage=production`, with `&region=` only when two stages share
 * those names), the function by its name. A stage id (older links) is still understood.
 */
import { useSearchParams } from "@solidjs/router";
import type { Accessor } from "solid-js";
import type { IssueFilter } from "../../../data/keys";
import type { IssueSort, IssueStatus, Stage } from "../../../lib/api";
import { isStatus } from "../../../lib/issues";

function param(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v : undefined;
}

/** The stage an address names: by id (older links) or by app, stage and region names. */
export function resolveStage(stages: Stage[], params: { app?: string; stage?: string; region?: string }): Stage | undefined {
  const byId = stages.find((s) => s.id === params.stage);
  if (byId) return byId;
  const named = stages.filter((s) => s.name === params.stage && (!params.app || s.app === params.app));
  return named.find((s) => !params.region || s.region === params.region);
}

/** The address of a stage filter: its names, and its region when another stage has the same names. */
export function stageParams(stages: Stage[], stage: Stage): { app: string; stage: string; region?: string } {
  const twin = stages.some((s) => s.id !== stage.id && s.app === stage.app && s.name === stage.name);
  return { app: stage.app, stage: stage.name, region: twin ? stage.region : undefined };
}

/** No stage has this id: a filter naming a stage that is not there shows no issues. */
const NO_STAGE = "-";

export function useListFilter(stage: Accessor<Stage | undefined>, stages: Accessor<Stage[] | undefined> = () => undefined) {
  const [search, setSearch] = useSearchParams();
  const status = (): IssueStatus => {
    const s = param(search.status);
    return isStatus(s) ? s : "active";
  };
  const fn = () => param(search.function);
  /** The stage the address names (the workspace page): undefined for all, NO_STAGE when not found. */
  const named = (): string | undefined => {
    const name = param(search.stage);
    if (!name) return undefined;
    const list = stages();
    if (!list) return undefined;
    return resolveStage(list, { app: param(search.app), stage: name, region: param(search.region) })?.id ?? NO_STAGE;
  };
  const stageId = () => stage()?.id ?? named();
  /** False while the stage named in the address is not known yet (the list waits for it). */
  const ready = () => !!stage() || !param(search.stage) || stages() !== undefined;
  const workspaceWide = () => !stage();
  const q = () => param(search.q)?.trim() || undefined;
  const sort = (): IssueSort => {
    const s = param(search.sort);
    return s === "first" || s === "events" ? s : "last";
  };

  const set = (name: "function" | "stage" | "status" | "q" | "sort", value: string | undefined) => {
    const patch: Record<string, string | undefined> = { [name]: value || undefined };
    if (name === "stage") {
      // The stage by its names; functions belong to a stage: a new stage clears the function.
      const picked = value ? stages()?.find((s) => s.id === value) : undefined;
      const names = picked ? stageParams(stages()!, picked) : undefined;
      Object.assign(patch, { app: names?.app, stage: names?.stage ?? (picked ? undefined : value || undefined), region: names?.region, function: undefined });
    }
    setSearch(patch, { replace: true });
  };

  return {
    status,
    function: fn,
    stage: stageId,
    workspaceWide,
    ready,
    q,
    sort,
    filter: (): IssueFilter => ({ status: status(), stage: stageId(), function: fn(), q: q(), sort: sort() }),
    /** A filter narrows the list (the stage of a stage's tab does not count). */
    filtered: () => !!fn() || !!q() || (workspaceWide() && !!stageId()),
    set,
    setStatus: (s: IssueStatus) => set("status", s === "active" ? undefined : s),
    clear: () => setSearch({ function: undefined, app: undefined, stage: undefined, region: undefined, q: undefined }, { replace: true }),
  };
}

export type ListFilter = ReturnType<typeof useListFilter>;
