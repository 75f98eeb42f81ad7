/**
 * The tab, filters, search and order of an issue list, kept in the address (`?status=`,
 * `?function=`, `?stage=`, `?q=`, `?sort=`) so a link shows the same list.
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

export function useListFilter(stage: Accessor<Stage | undefined>) {
  const [search, setSearch] = useSearchParams();
  const status = (): IssueStatus => {
    const s = param(search.status);
    return isStatus(s) ? s : "active";
  };
  const fn = () => param(search.function);
  const stageId = () => stage()?.id ?? param(search.stage);
  const workspaceWide = () => !stage();
  const q = () => param(search.q)?.trim() || undefined;
  const sort = (): IssueSort => {
    const s = param(search.sort);
    return s === "first" || s === "events" ? s : "last";
  };

  const set = (name: "function" | "stage" | "status" | "q" | "sort", value: string | undefined) => {
    const patch: Record<string, string | undefined> = { [name]: value || undefined };
    // Functions belong to a stage: a new stage clears the function.
    if (name === "stage") patch.function = undefined;
    setSearch(patch, { replace: true });
  };

  return {
    status,
    function: fn,
    stage: stageId,
    workspaceWide,
    q,
    sort,
    filter: (): IssueFilter => ({ status: status(), stage: stageId(), function: fn(), q: q(), sort: sort() }),
    /** A filter narrows the list (the stage of a stage's tab does not count). */
    filtered: () => !!fn() || !!q() || (workspaceWide() && !!stageId()),
    set,
    setStatus: (s: IssueStatus) => set("status", s === "active" ? undefined : s),
    clear: () => setSearch({ function: undefined, stage: undefined, q: undefined }, { replace: true }),
  };
}

export type ListFilter = ReturnType<typeof useListFilter>;
