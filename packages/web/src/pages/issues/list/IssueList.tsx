/**
 * The issue list, shared by a stage's Issues tab and the workspace's Issues page.
 *
 * - Tabs Active / Ignored / Resolved with their counts; filters by function (and by stage
 *   on the workspace page), kept in the address (`filter.ts`).
 * - A keyboard-navigable table (`IssueTable.tsx`), bulk Resolve / Ignore / Reopen
 *   (optimistic, with an Undo toast: `../triage.ts`) and Merge (`BulkBar.tsx`, `../MergeDialog.tsx`).
 * - Pages with "Load more"; polls every 5 s while the browser tab is visible
 *   (src/data/issues.ts), so new issues appear on their own; while the person works in
 *   the list, rows keep their places and "N updated: refresh" offers the new order
 *   (`steady.ts`).
 */
import { useNavigate } from "@solidjs/router";
import Check from "lucide-solid/icons/check";
import CircleCheck from "lucide-solid/icons/circle-check";
import EyeOff from "lucide-solid/icons/eye-off";
import FunnelX from "lucide-solid/icons/funnel-x";
import RefreshCw from "lucide-solid/icons/refresh-cw";
import { Match, Show, Switch, createEffect, createMemo, createSignal, on, untrack } from "solid-js";
import { Button } from "../../../components/Button";
import { EmptyState } from "../../../components/EmptyState";
import { ErrorState } from "../../../components/ErrorState";
import { toast } from "../../../components/Toast";
import { LIST_POLL_MS, moveOf, useIssueCounts, useIssueList, useMerge } from "../../../data/issues";
import { useFunctionsByStage } from "../../../data/stages";
import { useWorkspace } from "../../../layout/workspace-context";
import type { IssueStatus, IssueSummary, LambdaFunction, Stage } from "../../../lib/api";
import { plural } from "../../../lib/format";
import { ACTION_STATUS, STATUS_LABEL, functionLabel, type IssueAction } from "../../../lib/issues";
import { MergeDialog } from "../MergeDialog";
import { useTriage } from "../triage";
import { BulkBar } from "./BulkBar";
import { useListFilter } from "./filter";
import { IssueTable } from "./IssueTable";
import { useSteadyRows } from "./steady";
import { Toolbar, tabId } from "./Toolbar";
import styles from "../Issues.module.css";

export interface IssueListProps {
  /** The stage the list is about (a stage's Issues tab). Without it: the whole workspace. */
  stage?: Stage;
  /** The workspace's stages (the stage filter of the workspace page). */
  stages?: Stage[];
  /** The functions of `stage`, for their component names and the function filter. */
  functions?: LambdaFunction[];
  /** Where an issue's detail is. */
  detailHref: (issue: IssueSummary) => string;
}

const EMPTY: Record<IssueStatus, { title: string; stage: string; workspace: string }> = {
  active: {
    title: "No active issues",
    stage: "Errors in this stage's functions appear here within seconds.",
    workspace: "Errors in the functions of every stage appear here within seconds.",
  },
  ignored: {
    title: "No ignored issues",
    stage: "Issues you ignore move here. They keep counting, but never alert.",
    workspace: "Issues you ignore move here. They keep counting, but never alert.",
  },
  resolved: {
    title: "No resolved issues",
    stage: "Resolve an issue once it is fixed. If the error comes back, the issue reopens as a regression.",
    workspace: "Resolve an issue once it is fixed. If the error comes back, the issue reopens as a regression.",
  },
};

export function IssueList(props: IssueListProps) {
  const { workspace } = useWorkspace();
  const ws = () => workspace().id;
  const navigate = useNavigate();
  const f = useListFilter(
    () => props.stage,
    () => props.stages,
  );

  // ---- data ---------------------------------------------------------------------------
  const { query, issues: live } = useIssueList(ws, f.filter, f.ready);
  const steady = useSteadyRows(live);
  const issues = steady.rows;
  const counts = useIssueCounts(ws, f.stage, { pollMs: LIST_POLL_MS });
  const triage = useTriage();
  const merge = useMerge(ws);

  // Component names: the stage's own functions, or those of each row's stage.
  const stageIds = createMemo(() => [...new Set([...(issues() ?? []).map((i) => i.stageId), ...(f.stage() ? [f.stage()!] : [])])]);
  const loaded = useFunctionsByStage(ws, () => (props.stage && props.functions ? [] : stageIds()));
  const functionsOf = (stageId: string) => (props.stage && stageId === props.stage.id && props.functions ? props.functions : loaded(stageId));
  const nameOf = (i: IssueSummary) => functionLabel(i.functionName, functionsOf(i.stageId));

  // ---- selection ----------------------------------------------------------------------
  const [selected, setSelected] = createSignal<Set<string>>(new Set());
  const [merging, setMerging] = createSignal(false);
  const rows = () => issues() ?? [];
  const selectedIssues = () => rows().filter((i) => selected().has(i.id));
  const toggle = (id: string, on?: boolean) => {
    const next = new Set(selected());
    if (on ?? !next.has(id)) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allSelected = () => rows().length > 0 && rows().every((i) => selected().has(i.id));
  const toggleAll = () => setSelected(allSelected() ? new Set<string>() : new Set(rows().map((i) => i.id)));

  // Another tab or filter: a new selection. Issues that left the list leave it too.
  createEffect(on(() => JSON.stringify(f.filter()), () => setSelected(new Set<string>()), { defer: true }));
  createEffect(
    on(issues, (list) => {
      if (!list) return;
      const ids = new Set(list.map((i) => i.id));
      const current = selected();
      if ([...current].some((id) => !ids.has(id))) setSelected(new Set([...current].filter((id) => ids.has(id))));
    }),
  );

  // ---- rows that stay put while the person works in the list ---------------------------
  const [pointerIn, setPointerIn] = createSignal(false);
  const [focusIn, setFocusIn] = createSignal(false);
  const engaged = () => pointerIn() || focusIn() || selected().size > 0;
  createEffect(() => {
    const e = engaged();
    untrack(() => (e ? steady.hold() : steady.release()));
  });
  createEffect(on(() => JSON.stringify(f.filter()), () => steady.release(), { defer: true }));
  const onFocusOut = (e: FocusEvent) => {
    const to = e.relatedTarget as Node | null;
    if (!to || !(e.currentTarget as HTMLElement).contains(to)) setFocusIn(false);
  };

  // ---- actions ------------------------------------------------------------------------
  let tableHost: HTMLDivElement | undefined;
  /** When the focused control went away with the rows (or the bulk bar), focus the list. */
  const keepFocus = () =>
    setTimeout(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      tableHost?.querySelector<HTMLElement>("tbody > tr[data-row]")?.focus();
    }, 0);

  const act = (action: IssueAction) => {
    const to = ACTION_STATUS[action];
    const moving = selectedIssues().filter((i) => i.status !== to);
    if (!moving.length || triage.busy()) return;
    const moves = moving.map((i) => moveOf(i, to));
    setSelected(new Set([...selected()].filter((id) => !moves.some((m) => m.id === id))));
    keepFocus();
    void triage.run(action, moves, moves.length === 1 ? moving[0]?.type : undefined);
  };

  const onMerge = async (target: IssueSummary, sources: IssueSummary[]) => {
    await merge.mutateAsync({ target, sources });
    setSelected(new Set<string>());
    toast.success(`Merged ${plural(sources.length, "issue")} into ${target.type}`);
  };

  const emptyText = () => (props.stage ? EMPTY[f.status()].stage : EMPTY[f.status()].workspace);

  return (
    <section class={styles.list} aria-label={props.stage ? `Issues of ${props.stage.name}` : "Issues"}>
      <Toolbar filter={f} counts={counts.data} stages={props.stages} issues={issues()} functionsOf={functionsOf} />

      <Show when={selectedIssues().length > 0}>
        <BulkBar
          status={f.status()}
          selected={selectedIssues()}
          busy={triage.busy() || merge.isPending}
          onAction={act}
          onMerge={() => setMerging(true)}
          onClear={() => setSelected(new Set<string>())}
        />
      </Show>

      <div id="issues-panel" role="tabpanel" aria-labelledby={tabId(f.status())} class={styles.panel}>
        <Switch>
          <Match when={query.error && !issues()}>
            <ErrorState title="Could not load the issues" error={query.error} onRetry={() => query.refetch()} />
          </Match>
          <Match when={issues()?.length === 0}>
            <EmptyState
              icon={f.status() === "active" ? <Check /> : f.status() === "ignored" ? <EyeOff /> : <CircleCheck />}
              title={f.filtered() ? "No issues match these filters" : EMPTY[f.status()].title}
              action={
                f.filtered() ? (
                  <Button icon={<FunnelX aria-hidden="true" />} onClick={() => f.clear()}>
                    Clear filters
                  </Button>
                ) : undefined
              }
            >
              {f.filtered()
                ? `No ${STATUS_LABEL[f.status()].toLowerCase()} issues for this ${f.function() ? "function" : "stage"}.`
                : emptyText()}
            </EmptyState>
          </Match>
          <Match when={true}>
            <div
              class={styles.work}
              onPointerEnter={() => setPointerIn(true)}
              onPointerLeave={() => setPointerIn(false)}
              onFocusIn={() => setFocusIn(true)}
              onFocusOut={onFocusOut}
            >
              <Show when={steady.pending() > 0}>
                <div class={styles.updates} role="status">
                  <Button size="sm" icon={<RefreshCw aria-hidden="true" />} onClick={() => steady.refresh()}>
                    {steady.pending()} updated: refresh
                  </Button>
                </div>
              </Show>
              <IssueTable
                ref={(el) => (tableHost = el)}
                label={`${STATUS_LABEL[f.status()]} issues`}
                issues={issues()}
                quiet={f.status() !== "active"}
                workspaceWide={f.workspaceWide()}
                selected={selected()}
                onToggle={toggle}
                onToggleAll={toggleAll}
                functionLabel={nameOf}
                detailHref={props.detailHref}
                onOpen={(i) => navigate(props.detailHref(i))}
                hasMore={!!query.hasNextPage}
                loadingMore={query.isFetchingNextPage}
                onLoadMore={() => void query.fetchNextPage().then((r) => r.error && toast.error(r.error))}
              />
            </div>
          </Match>
        </Switch>
      </div>

      <MergeDialog
        open={merging()}
        issues={selectedIssues()}
        onClose={() => setMerging(false)}
        onMerge={onMerge}
        functionLabel={nameOf}
      />
    </section>
  );
}
