/** The tab and filters of an issue list, kept in the address (`?status=`, `?function=`, `?stage=`). */
import { useSearchParams } from "@solidjs/router";
import type { Accessor } from "solid-js";
import type { IssueFilter } from "../../../data/keys";
import type { IssueStatus, Stage } from "../../../lib/api";
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

  const set = (name: "function" | "stage" | "status", value: string | undefined) => {
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
    filter: (): IssueFilter => ({ status: status(), stage: stageId(), function: fn() }),
    /** A filter narrows the list (the stage of a stage's tab does not count). */
    filtered: () => !!fn() || (workspaceWide() && !!stageId()),
    set,
    setStatus: (s: IssueStatus) => set("status", s === "active" ? undefined : s),
    clear: () => setSearch({ function: undefined, stage: undefined }, { replace: true }),
  };
}

export type ListFilter = ReturnType<typeof useListFilter>;
