/** The status tabs (with their counts) and the stage and function filters of an issue list. */
import { For, Show, createMemo, createSignal, onCleanup } from "solid-js";
import { Input } from "../../../components/Input";
import { Select, type SelectOption } from "../../../components/Select";
import type { IssueCounts, IssueSort, IssueSummary, LambdaFunction, Stage } from "../../../lib/api";
import { cx } from "../../../lib/cx";
import { STATUSES, STATUS_LABEL, functionLabel } from "../../../lib/issues";
import type { ListFilter } from "./filter";
import styles from "../Issues.module.css";

const SORTS: SelectOption<IssueSort>[] = [
  { value: "last", label: "Last seen" },
  { value: "first", label: "First seen" },
  { value: "events", label: "Most events" },
];

export const tabId = (s: string) => `issues-tab-${s}`;

export function Toolbar(props: {
  filter: ListFilter;
  counts: IssueCounts | undefined;
  stages?: Stage[];
  issues: IssueSummary[] | undefined;
  /** The functions of a stage (undefined until loaded). */
  functionsOf: (stageId: string) => LambdaFunction[] | undefined;
}) {
  const f = props.filter;

  const functionOptions = createMemo<SelectOption<string>[]>(() => {
    const names = new Map<string, string>();
    const stageId = f.stage();
    for (const fn of (stageId && props.functionsOf(stageId)) || []) {
      names.set(fn.name, fn.internal ? `${fn.component} (internal)` : fn.component);
    }
    for (const issue of props.issues ?? []) {
      if (issue.functionName && !names.has(issue.functionName)) {
        names.set(issue.functionName, functionLabel(issue.functionName, props.functionsOf(issue.stageId)));
      }
    }
    const current = f.function();
    if (current && !names.has(current)) names.set(current, current);
    const options = [...names.entries()].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
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

  const onTabKey = (e: KeyboardEvent) => {
    const i = STATUSES.indexOf(f.status());
    let to: number | null = null;
    if (e.key === "ArrowRight") to = (i + 1) % STATUSES.length;
    else if (e.key === "ArrowLeft") to = (i - 1 + STATUSES.length) % STATUSES.length;
    if (to === null) return;
    e.preventDefault();
    const s = STATUSES[to]!;
    f.setStatus(s);
    queueMicrotask(() => document.getElementById(tabId(s))?.focus());
  };

  // The search reaches the address (and the server) a moment after typing stops.
  const [typed, setTyped] = createSignal(f.q() ?? "");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const search = (value: string) => {
    setTyped(value);
    clearTimeout(timer);
    timer = setTimeout(() => f.set("q", value.trim() || undefined), 250);
  };
  onCleanup(() => clearTimeout(timer));

  return (
    <div class={styles.toolbar}>
      <div class={styles.tabs} role="tablist" aria-label="Issue status" onKeyDown={onTabKey}>
        <For each={STATUSES}>
          {(s) => (
            <button
              type="button"
              role="tab"
              id={tabId(s)}
              class={styles.tab}
              aria-selected={f.status() === s}
              aria-controls="issues-panel"
              tabIndex={f.status() === s ? 0 : -1}
              onClick={() => f.setStatus(s)}
            >
              <span>{STATUS_LABEL[s]}</span>
              <span class={cx(styles.tabCount, s === "active" && (props.counts?.active ?? 0) > 0 && styles.tabCountActive)}>
                {props.counts ? props.counts[s].toLocaleString() : "–"}
              </span>
            </button>
          )}
        </For>
      </div>
      <div class={styles.filters}>
        <Input
          label="Search issues"
          hideLabel
          size="sm"
          type="search"
          class={styles.filter}
          placeholder="Search type or message"
          value={typed()}
          onInput={(e) => search(e.currentTarget.value)}
        />
        <Select
          label="Order"
          hideLabel
          size="sm"
          class={styles.filter}
          options={SORTS}
          value={f.sort()}
          onChange={(v) => f.set("sort", v === "last" ? undefined : v)}
        />
        <Show when={f.workspaceWide()}>
          <Select
            label="Stage"
            hideLabel
            size="sm"
            class={styles.filter}
            options={stageOptions()}
            value={f.stage() ?? ""}
            onChange={(v) => f.set("stage", v)}
          />
        </Show>
        <Select
          label="Function"
          hideLabel
          size="sm"
          class={styles.filter}
          options={functionOptions()}
          value={f.function() ?? ""}
          onChange={(v) => f.set("function", v)}
        />
      </div>
    </div>
  );
}
