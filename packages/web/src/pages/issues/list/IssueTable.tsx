/**
 * The rows of an issue list: a keyboard-navigable table (j/k or the arrows move, Enter
 * opens, `x` selects the focused row), a checkbox per row and for all, "Load more".
 * The keys work as soon as the page opens: with nothing focused, j or k focuses the
 * first row, and Enter or x act on it.
 */
import { A } from "@solidjs/router";
import { Show, createEffect, onCleanup, onMount } from "solid-js";
import { Badge } from "../../../components/Badge";
import { BarChart } from "../../../components/BarChart";
import { Button } from "../../../components/Button";
import { RelativeTime } from "../../../components/RelativeTime";
import { Table, type Column } from "../../../components/Table";
import type { IssueSummary } from "../../../lib/api";
import { plural } from "../../../lib/format";
import { kindLabel } from "../../../lib/issues";
import styles from "../Issues.module.css";

export function IssueTable(props: {
  label: string;
  issues: IssueSummary[] | undefined;
  /** The status of the tab: rows of Ignored and Resolved have quieter charts. */
  quiet: boolean;
  workspaceWide: boolean;
  selected: Set<string>;
  onToggle: (id: string, on?: boolean) => void;
  onToggleAll: () => void;
  functionLabel: (issue: IssueSummary) => string;
  detailHref: (issue: IssueSummary) => string;
  onOpen: (issue: IssueSummary) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  /** The element holding the rows (to put focus back on a row). */
  ref?: (el: HTMLDivElement) => void;
}) {
  const rows = () => props.issues ?? [];
  const allSelected = () => rows().length > 0 && rows().every((i) => props.selected.has(i.id));
  const someSelected = () => rows().some((i) => props.selected.has(i.id)) && !allSelected();

  let host: HTMLDivElement | undefined;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "x" || e.metaKey || e.ctrlKey || e.altKey) return;
    const target = e.target as HTMLElement;
    const row = target.closest<HTMLTableRowElement>("tr[data-row]");
    if (!row || target !== row) return;
    const index = Array.from(host?.querySelectorAll("tbody > tr[data-row]") ?? []).indexOf(row);
    const issue = rows()[index];
    if (!issue) return;
    e.preventDefault();
    props.onToggle(issue.id);
  };

  // Before anything has focus (the page just opened), the keys start at the first row.
  onMount(() => {
    const onDocumentKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey || e.isComposing) return;
      if (e.key !== "j" && e.key !== "k" && e.key !== "x" && e.key !== "Enter") return;
      const active = document.activeElement;
      const idle = !active || active === document.body || active === document.documentElement;
      if (!idle) {
        // Elsewhere on the page, only j and k come to the list, and never from a field or a dialog.
        if (e.key === "x" || e.key === "Enter" || host?.contains(active)) return;
        if (active.closest("input, select, textarea, [contenteditable='true'], dialog, [role='dialog'], [role='menu'], [role='listbox']")) return;
      }
      if (document.querySelector("dialog[open]")) return;
      const first = host?.querySelector<HTMLElement>("tbody > tr[data-row]");
      const issue = rows()[0];
      if (!first || !issue) return;
      e.preventDefault();
      first.focus();
      first.scrollIntoView({ block: "nearest" });
      if (e.key === "x") props.onToggle(issue.id);
      else if (e.key === "Enter") props.onOpen(issue);
    };
    document.addEventListener("keydown", onDocumentKey);
    onCleanup(() => document.removeEventListener("keydown", onDocumentKey));
  });

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
          onChange={() => props.onToggleAll()}
        />
      ),
      cell: (i) => (
        // The whole cell selects (a click there does not open the issue).
        <label class={styles.checkCell} onClick={(e) => e.stopPropagation()}>
          <input
            type="checkbox"
            class={styles.checkbox}
            aria-label={`Select ${i.type}: ${i.message.slice(0, 80)}`}
            checked={props.selected.has(i.id)}
            onChange={(e) => props.onToggle(i.id, e.currentTarget.checked)}
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
            <Show when={i.status === "active" && i.timeRegressed}>
              <Badge tone="warning" title="Resolved, then it happened again">
                Regressed
              </Badge>
            </Show>
            <span>{kindLabel(i.kind)}</span>
            <Show when={props.workspaceWide}>
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
          {props.functionLabel(i)}
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
          quiet={props.quiet}
          label={`${plural(i.last24h.reduce((a, b) => a + b, 0), "event")} in the last 24 hours`}
        />
      ),
    },
    { key: "last", header: "Last seen", width: "sm", cell: (i) => <RelativeTime time={i.timeLastSeen} class={styles.time} /> },
    { key: "first", header: "First seen", width: "sm", cell: (i) => <RelativeTime time={i.timeFirstSeen} class={styles.time} /> },
  ];

  return (
    <>
      <div
        ref={(el) => {
          host = el;
          props.ref?.(el);
        }}
        onKeyDown={onKeyDown}
      >
        <Table
          label={props.label}
          columns={columns}
          rows={props.issues}
          rowKey={(i) => i.id}
          loading={props.issues === undefined}
          skeletonRows={6}
          rowClass={(i) => props.selected.has(i.id) && styles.selectedRow}
          onOpen={(i) => props.onOpen(i)}
          footer={
            props.hasMore ? (
              <Button size="sm" loading={props.loadingMore} onClick={() => props.onLoadMore()}>
                Load more
              </Button>
            ) : undefined
          }
        />
      </div>
      <p class={styles.keys} aria-hidden="true" hidden={props.issues === undefined}>
        <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> open · <kbd>x</kbd> select
      </p>
    </>
  );
}
