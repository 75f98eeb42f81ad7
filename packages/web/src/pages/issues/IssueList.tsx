/**
 * The issue list, shared by a stage's Issues tab and the workspace's Issues page.
 *
 * - Tabs Active / Ignored / Resolved with their counts; filters by function (and by stage
 *   on the workspace page). The tab and filters live in the address (`?status=`,
 *   `?function=`, `?stage=`), so Back and links keep them.
 * - A keyboard-navigable table: j/k or the arrows move, Enter opens, `x` selects the row.
 * - Bulk Resolve / Ignore / Reopen (optimistic, with an Undo toast) and Merge (issues of
 *   one stage: pick the one to keep).
 * - Pages with "Load more"; polls every 5 s while the browser tab is visible, so new
 *   issues appear on their own.
 */
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import Check from "lucide-solid/icons/check";
import CircleCheck from "lucide-solid/icons/circle-check";
import EyeOff from "lucide-solid/icons/eye-off";
import FunnelX from "lucide-solid/icons/funnel-x";
import Merge from "lucide-solid/icons/merge";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import X from "lucide-solid/icons/x";
import { For, Match, Show, Switch, batch, createEffect, createMemo, createSignal, on } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { BarChart } from "../../components/BarChart";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { RelativeTime } from "../../components/RelativeTime";
import { Select, type SelectOption } from "../../components/Select";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { useWorkspace } from "../../layout/workspace-context";
import {
  api,
  toApiError,
  type ApiError,
  type IssueCounts,
  type IssueStatus,
  type IssueSummary,
  type LambdaFunction,
  type Stage,
} from "../../lib/api";
import { cx } from "../../lib/cx";
import { plural } from "../../lib/format";
import {
  ACTION_STATUS,
  KIND_LABEL,
  STATUSES,
  STATUS_LABEL,
  actionMessage,
  functionLabel,
  functionsOf,
  isStatus,
  issuesChanged,
  issuesVersion,
  restoreStatuses,
  runAction,
  setStageCounts,
  type IssueAction,
} from "../../lib/issues";
import { usePolling } from "../../lib/poll";
import { MergeDialog } from "./MergeDialog";
import styles from "./Issues.module.css";

const PAGE = 50;
const MAX_REFRESH = 200;
const POLL_MS = 5000;

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

function param(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v ? v : undefined;
}

export function IssueList(props: IssueListProps) {
  const { workspace } = useWorkspace();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();

  const status = (): IssueStatus => {
    const s = param(search.status);
    return isStatus(s) ? s : "active";
  };
  const functionFilter = () => param(search.function);
  const stageFilter = () => props.stage?.id ?? param(search.stage);
  const workspaceWide = () => !props.stage;

  // ---- data -------------------------------------------------------------------------
  // A store reconciled by id: rows keep their identity (and focus) when a poll updates them.
  const [state, setState] = createStore<{ items: IssueSummary[]; loaded: boolean }>({ items: [], loaded: false });
  const items = (): IssueSummary[] | undefined => (state.loaded ? state.items : undefined);
  const setItems = (list: IssueSummary[] | undefined) => {
    batch(() => {
      setState("items", reconcile(list ?? [], { key: "id" }));
      setState("loaded", list !== undefined);
    });
  };
  const [next, setNext] = createSignal<string | null>(null);
  const [error, setError] = createSignal<ApiError | undefined>(undefined);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [counts, setCounts] = createSignal<IssueCounts | undefined>(undefined);
  const [selected, setSelected] = createSignal<Set<string>>(new Set());
  const [merging, setMerging] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  // A memo: the key's parts are re-read when the workspace or stage list reloads (every
  // 30 s); only a real change of what is listed may reset the list.
  const key = createMemo(() => `${workspace().id}|${status()}|${stageFilter() ?? ""}|${functionFilter() ?? ""}`);

  // A response is used only if nothing changed the list since its request started.
  let epoch = 0;
  let mutations = 0;

  const query = (limit: number, before?: string | null) =>
    api.issues.list(workspace().id, {
      status: status(),
      stage: stageFilter(),
      function: functionFilter(),
      limit,
      before,
    });

  const loadCounts = async () => {
    const stageId = stageFilter();
    const started = epoch;
    try {
      const value = await api.issues.counts(workspace().id, stageId);
      if (started !== epoch || mutations > 0) return;
      setCounts(value);
      if (props.stage) setStageCounts(props.stage.id, value);
    } catch {
      // The tabs keep their last counts.
    }
  };

  /** Reloads what is on screen (the first pages, up to 200 issues) and the counts. */
  const refresh = async () => {
    const started = epoch;
    const current = items();
    const limit = Math.min(MAX_REFRESH, Math.max(PAGE, current?.length ?? 0));
    void loadCounts();
    try {
      const page = await query(limit);
      if (started !== epoch || mutations > 0) return;
      const tail = current && current.length > limit ? current.slice(limit) : [];
      const fresh = new Set(page.issues.map((i) => i.id));
      setItems([...page.issues, ...tail.filter((i) => !fresh.has(i.id))]);
      if (tail.length === 0) setNext(page.next);
      setError(undefined);
    } catch (err) {
      if (started !== epoch) return;
      setError(toApiError(err));
    }
  };

  createEffect(
    on(key, () => {
      epoch++;
      setItems(undefined);
      setNext(null);
      setError(undefined);
      setSelected(new Set<string>());
      void refresh();
    }),
  );

  // An action elsewhere (the detail page, an undo): reload.
  createEffect(on(issuesVersion, () => void refresh(), { defer: true }));

  const visible = () => document.visibilityState === "visible";
  usePolling(() => items() !== undefined || error() !== undefined, async () => {
    if (visible()) await refresh();
  }, POLL_MS);

  const loadMore = async () => {
    const before = next();
    if (!before || loadingMore()) return;
    setLoadingMore(true);
    const started = epoch;
    try {
      const page = await query(PAGE, before);
      if (started !== epoch) return;
      const seen = new Set((items() ?? []).map((i) => i.id));
      setItems([...(items() ?? []), ...page.issues.filter((i) => !seen.has(i.id))]);
      setNext(page.next);
    } catch (err) {
      toast.error(err);
    } finally {
      setLoadingMore(false);
    }
  };

  // ---- functions (names and the filter) -----------------------------------------------
  const functionsFor = (stageId: string): LambdaFunction[] | undefined =>
    props.stage && stageId === props.stage.id && props.functions ? props.functions : functionsOf(workspace().id, stageId);

  const functionOptions = createMemo<SelectOption<string>[]>(() => {
    const names = new Map<string, string>();
    const stageId = stageFilter();
    const fns = stageId ? functionsFor(stageId) : undefined;
    if (fns) {
      for (const f of fns) names.set(f.name, f.internal ? `${f.component} (internal)` : f.component);
    }
    for (const issue of items() ?? []) {
      if (issue.functionName && !names.has(issue.functionName)) {
        names.set(issue.functionName, functionLabel(issue.functionName, functionsFor(issue.stageId)));
      }
    }
    const current = functionFilter();
    if (current && !names.has(current)) names.set(current, current);
    const options = [...names.entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return [{ value: "", label: "All functions" }, ...options];
  });

  const stageOptions = createMemo<SelectOption<string>[]>(() => {
    const list = props.stages ?? [];
    const ambiguous = (s: Stage) => list.filter((o) => o.app === s.app && o.name === s.name).length > 1;
    return [
      { value: "", label: "All stages" },
      ...list.map((s) => ({ value: s.id, label: `${s.app} / ${s.name}${ambiguous(s) ? ` (${s.region})` : ""}` })),
    ];
  });

  const setFilter = (name: "function" | "stage" | "status", value: string | undefined) => {
    const patch: Record<string, string | undefined> = { [name]: value || undefined };
    // Functions belong to a stage: a new stage clears the function.
    if (name === "stage") patch.function = undefined;
    setSearch(patch, { replace: true });
  };

  const filtered = () => !!functionFilter() || (workspaceWide() && !!stageFilter());

  // ---- selection ------------------------------------------------------------------------
  const rows = () => items() ?? [];
  const selectedIssues = () => rows().filter((i) => selected().has(i.id));
  const toggle = (id: string, on?: boolean) => {
    const next = new Set(selected());
    const want = on ?? !next.has(id);
    if (want) next.add(id);
    else next.delete(id);
    setSelected(next);
  };
  const allSelected = () => rows().length > 0 && rows().every((i) => selected().has(i.id));
  const someSelected = () => selectedIssues().length > 0 && !allSelected();
  const toggleAll = () => setSelected(allSelected() ? new Set<string>() : new Set(rows().map((i) => i.id)));

  // Issues that left the list leave the selection too.
  createEffect(
    on(
      () => (state.loaded ? state.items.map((i) => i.id) : undefined),
      (list) => {
      if (!list) return;
      const ids = new Set(list);
      const current = selected();
      if ([...current].some((id) => !ids.has(id))) setSelected(new Set([...current].filter((id) => ids.has(id))));
      },
    ),
  );

  const sameStage = () => {
    const list = selectedIssues();
    return list.length >= 2 && list.every((i) => i.stageId === list[0]?.stageId);
  };

  // ---- actions --------------------------------------------------------------------------
  const changeCounts = (moves: { from: IssueStatus; to: IssueStatus }[]) => {
    const c = counts();
    if (!c) return;
    const out = { ...c };
    for (const m of moves) {
      out[m.from] = Math.max(0, out[m.from] - 1);
      out[m.to] += 1;
    }
    setCounts(out);
    if (props.stage) setStageCounts(props.stage.id, out);
  };

  const begin = () => {
    mutations++;
    epoch++;
  };
  const end = () => {
    mutations--;
    epoch++;
    if (mutations === 0) void refresh();
  };

  /** Puts issues back into the list (newest last seen first), if they belong to this tab. */
  const putBack = (issues: IssueSummary[]) => {
    const mine = issues.filter((i) => i.status === status());
    if (!mine.length) return;
    const ids = new Set(mine.map((i) => i.id));
    const merged = [...rows().filter((i) => !ids.has(i.id)), ...mine];
    merged.sort((a, b) => b.timeLastSeen.localeCompare(a.timeLastSeen) || b.id.localeCompare(a.id));
    setItems(merged);
  };

  /** When the focused control went away with the rows (or the bulk bar), focus the list. */
  const keepFocus = () =>
    queueMicrotask(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      tableHost?.querySelector<HTMLElement>("tbody > tr[data-row]")?.focus();
    });

  const act = async (action: IssueAction, targets: IssueSummary[]) => {
    if (!targets.length || busy()) return;
    const to = ACTION_STATUS[action];
    // Plain copies: the store's rows change under us as polls come in.
    const moving = targets.filter((i) => i.status !== to).map((i) => ({ ...i, last24h: [...i.last24h] }));
    if (!moving.length) return;
    const ids = moving.map((i) => i.id);
    const previous = new Map(moving.map((i) => [i.id, i.status] as const));
    setBusy(true);
    begin();
    // Optimistic: the issues leave this tab at once.
    setItems(rows().filter((i) => !previous.has(i.id)));
    changeCounts(moving.map((i) => ({ from: i.status, to })));
    setSelected(new Set([...selected()].filter((id) => !previous.has(id))));
    keepFocus();
    try {
      await runAction(workspace().id, action, ids);
      const single = moving.length === 1 ? moving[0]?.type : undefined;
      toast.success(actionMessage(action, moving.length, single), {
        label: "Undo",
        run: () => void undo(moving, to),
      });
      issuesChanged();
    } catch (err) {
      putBack(moving);
      changeCounts(moving.map((i) => ({ from: to, to: i.status })));
      toast.error(err);
    } finally {
      setBusy(false);
      end();
    }
  };

  const undo = async (issues: IssueSummary[], now: IssueStatus) => {
    begin();
    putBack(issues);
    changeCounts(issues.map((i) => ({ from: now, to: i.status })));
    try {
      await restoreStatuses(workspace().id, new Map(issues.map((i) => [i.id, i.status] as const)));
      const back = [...new Set(issues.map((i) => STATUS_LABEL[i.status]))].join(" and ");
      toast.info(
        issues.length === 1 ? `${issues[0]?.type ?? "The issue"} is back in ${back}` : `${plural(issues.length, "issue")} are back in ${back}`,
      );
      issuesChanged();
    } catch (err) {
      toast.error(err);
    } finally {
      end();
    }
  };

  const merge = async (target: IssueSummary, sources: IssueSummary[]) => {
    begin();
    try {
      await api.issues.merge(
        workspace().id,
        target.id,
        sources.map((s) => s.id),
      );
      const gone = new Set(sources.map((s) => s.id));
      const total = sources.reduce((sum, s) => sum + s.count, target.count);
      setItems(rows().filter((i) => !gone.has(i.id)).map((i) => (i.id === target.id ? { ...i, count: total } : i)));
      setSelected(new Set<string>());
      toast.success(`Merged ${plural(sources.length, "issue")} into ${target.type}`);
      issuesChanged();
    } finally {
      end();
    }
  };

  // ---- keyboard: x toggles the focused row ----------------------------------------------
  let tableHost: HTMLDivElement | undefined;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "x" || e.metaKey || e.ctrlKey || e.altKey) return;
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLTableRowElement>("tr[data-row]");
    if (!row || target !== row) return;
    const index = Array.from(tableHost?.querySelectorAll("tbody > tr[data-row]") ?? []).indexOf(row);
    const issue = rows()[index];
    if (!issue) return;
    e.preventDefault();
    toggle(issue.id);
  };

  // ---- table --------------------------------------------------------------------------
  const quiet = () => status() !== "active";

  const columns: Column<IssueSummary>[] = [
    {
      key: "select",
      width: "xs",
      label: "Select",
      header: (
        <input
          type="checkbox"
          class={styles.checkbox}
          aria-label="Select all issues"
          checked={allSelected()}
          ref={(el) => createEffect(() => (el.indeterminate = someSelected()))}
          disabled={rows().length === 0}
          onChange={toggleAll}
        />
      ),
      cell: (i) => (
        // The whole cell selects (a click there does not open the issue).
        <label class={styles.checkCell} onClick={(e) => e.stopPropagation()}>
          <input
            type="checkbox"
            class={styles.checkbox}
            aria-label={`Select ${i.type}: ${i.message.slice(0, 80)}`}
            checked={selected().has(i.id)}
            onChange={(e) => toggle(i.id, e.currentTarget.checked)}
          />
        </label>
      ),
    },
    {
      key: "issue",
      header: "Issue",
      cell: (i) => (
        <span class={styles.issueCell}>
          <A href={props.detailHref(i)} class={styles.issueLink} title={`${i.type}: ${i.message}`}>
            <span class={styles.type}>{i.type}</span>
            <span class={styles.message}>{i.message || "(no message)"}</span>
          </A>
          <span class={styles.issueMeta}>
            <span>{KIND_LABEL[i.kind] ?? i.kind}</span>
            <Show when={workspaceWide()}>
              <span aria-hidden="true">·</span>
              <span>
                {i.app} / {i.stage}
              </span>
            </Show>
          </span>
        </span>
      ),
    },
    {
      key: "function",
      header: "Function",
      width: "lg",
      cell: (i) => (
        <span class={styles.fnName} title={i.functionName ?? undefined}>
          {functionLabel(i.functionName, functionsFor(i.stageId))}
        </span>
      ),
    },
    {
      key: "count",
      header: "Events",
      width: "sm",
      align: "end",
      cell: (i) => <span class={styles.num}>{i.count.toLocaleString()}</span>,
    },
    {
      key: "trend",
      header: "Last 24 h",
      width: "sm",
      cell: (i) => (
        <BarChart
          variant="sparkline"
          values={i.last24h}
          quiet={quiet()}
          label={`${plural(i.last24h.reduce((a, b) => a + b, 0), "event")} in the last 24 hours`}
        />
      ),
    },
    { key: "last", header: "Last seen", width: "sm", cell: (i) => <RelativeTime time={i.timeLastSeen} class={styles.time} /> },
    { key: "first", header: "First seen", width: "sm", cell: (i) => <RelativeTime time={i.timeFirstSeen} class={styles.time} /> },
  ];

  const tabId = (s: IssueStatus) => `issues-tab-${s}`;
  const onTabKey = (e: KeyboardEvent) => {
    const i = STATUSES.indexOf(status());
    let to: number | null = null;
    if (e.key === "ArrowRight") to = (i + 1) % STATUSES.length;
    else if (e.key === "ArrowLeft") to = (i - 1 + STATUSES.length) % STATUSES.length;
    if (to === null) return;
    e.preventDefault();
    const s = STATUSES[to]!;
    setFilter("status", s === "active" ? undefined : s);
    queueMicrotask(() => document.getElementById(tabId(s))?.focus());
  };

  const emptyText = () => (props.stage ? EMPTY[status()].stage : EMPTY[status()].workspace);

  return (
    <section class={styles.list} aria-label={props.stage ? `Issues of ${props.stage.name}` : "Issues"}>
      <div class={styles.toolbar}>
        <div class={styles.tabs} role="tablist" aria-label="Issue status" onKeyDown={onTabKey}>
          <For each={STATUSES}>
            {(s) => (
              <button
                type="button"
                role="tab"
                id={tabId(s)}
                class={styles.tab}
                aria-selected={status() === s}
                aria-controls="issues-panel"
                tabIndex={status() === s ? 0 : -1}
                onClick={() => setFilter("status", s === "active" ? undefined : s)}
              >
                <span>{STATUS_LABEL[s]}</span>
                <span class={cx(styles.tabCount, s === "active" && (counts()?.active ?? 0) > 0 && styles.tabCountActive)}>
                  {counts() ? counts()![s].toLocaleString() : "–"}
                </span>
              </button>
            )}
          </For>
        </div>
        <div class={styles.filters}>
          <Show when={workspaceWide()}>
            <Select
              label="Stage"
              hideLabel
              size="sm"
              class={styles.filter}
              options={stageOptions()}
              value={stageFilter() ?? ""}
              onChange={(v) => setFilter("stage", v)}
            />
          </Show>
          <Select
            label="Function"
            hideLabel
            size="sm"
            class={styles.filter}
            options={functionOptions()}
            value={functionFilter() ?? ""}
            onChange={(v) => setFilter("function", v)}
          />
        </div>
      </div>

      <Show when={selectedIssues().length > 0}>
        <div class={styles.bulk} role="toolbar" aria-label="Bulk actions">
          <span class={styles.bulkCount}>{plural(selectedIssues().length, "issue")} selected</span>
          <Show when={status() !== "resolved"}>
            <Button size="sm" icon={<CircleCheck aria-hidden="true" />} disabled={busy()} onClick={() => void act("resolve", selectedIssues())}>
              Resolve
            </Button>
          </Show>
          <Show when={status() !== "ignored"}>
            <Button size="sm" icon={<EyeOff aria-hidden="true" />} disabled={busy()} onClick={() => void act("ignore", selectedIssues())}>
              Ignore
            </Button>
          </Show>
          <Show when={status() !== "active"}>
            <Button size="sm" icon={<RotateCcw aria-hidden="true" />} disabled={busy()} onClick={() => void act("reopen", selectedIssues())}>
              Reopen
            </Button>
          </Show>
          <Button
            size="sm"
            icon={<Merge aria-hidden="true" />}
            disabled={busy() || !sameStage()}
            title={
              selectedIssues().length < 2
                ? "Select at least two issues to merge them"
                : sameStage()
                  ? "Merge these issues into one"
                  : "Only issues of the same stage can be merged"
            }
            onClick={() => setMerging(true)}
          >
            Merge…
          </Button>
          <Show when={selectedIssues().length >= 2 && !sameStage()}>
            <span class={styles.bulkHint}>Merge needs issues of one stage.</span>
          </Show>
          <span class={styles.spacer} />
          <Button size="sm" variant="ghost" icon={<X aria-hidden="true" />} onClick={() => setSelected(new Set<string>())}>
            Clear selection
          </Button>
        </div>
      </Show>

      <div id="issues-panel" role="tabpanel" aria-labelledby={tabId(status())} class={styles.panel}>
        <Switch>
          <Match when={error() && !items()}>
            <ErrorState title="Could not load the issues" error={error()} onRetry={() => refresh()} />
          </Match>
          <Match when={items()?.length === 0}>
            <EmptyState
              icon={status() === "active" ? <Check /> : status() === "ignored" ? <EyeOff /> : <CircleCheck />}
              title={filtered() ? "No issues match these filters" : EMPTY[status()].title}
              action={
                filtered() ? (
                  <Button
                    icon={<FunnelX aria-hidden="true" />}
                    onClick={() => setSearch({ function: undefined, stage: undefined }, { replace: true })}
                  >
                    Clear filters
                  </Button>
                ) : undefined
              }
            >
              {filtered() ? `No ${STATUS_LABEL[status()].toLowerCase()} issues for this ${functionFilter() ? "function" : "stage"}.` : emptyText()}
            </EmptyState>
          </Match>
          <Match when={true}>
            <div ref={tableHost} onKeyDown={onKeyDown}>
              <Table
                label={`${STATUS_LABEL[status()]} issues`}
                columns={columns}
                rows={items()}
                rowKey={(i) => i.id}
                loading={items() === undefined}
                skeletonRows={6}
                rowClass={(i) => selected().has(i.id) && styles.selectedRow}
                onOpen={(i) => navigate(props.detailHref(i))}
                footer={
                  next() ? (
                    <Button size="sm" loading={loadingMore()} onClick={() => void loadMore()}>
                      Load more
                    </Button>
                  ) : undefined
                }
              />
            </div>
            <p class={styles.keys} aria-hidden="true" hidden={items() === undefined}>
              <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>x</kbd> select
            </p>
          </Match>
        </Switch>
      </div>

      <MergeDialog
        open={merging()}
        issues={selectedIssues()}
        onClose={() => setMerging(false)}
        onMerge={(target, sources) => merge(target, sources)}
        functionLabel={(i) => functionLabel(i.functionName, functionsFor(i.stageId))}
      />
    </section>
  );
}
