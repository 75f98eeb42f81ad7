import { For, Show, createSignal, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import { Skeleton } from "./Skeleton";
import styles from "./Table.module.css";

export interface Column<T> {
  key: string;
  header: JSX.Element;
  cell: (row: T) => JSX.Element;
  width?: "xs" | "sm" | "md" | "lg";
  align?: "start" | "end";
  /** Header text for screen readers when the visible header is empty. */
  label?: string;
}

export interface TableProps<T> {
  /** Names the table for assistive technology. */
  label: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  /** Shows skeleton rows in place of rows. */
  loading?: boolean;
  skeletonRows?: number;
  /** Enter (or a click) on a row opens it. */
  onOpen?: (row: T) => void;
  /** Shown inside the table when there are no rows. */
  empty?: JSX.Element;
  /** Under the rows (for example "Load more"). */
  footer?: JSX.Element;
  /** Extra class on a row (for example to quiet it). */
  rowClass?: (row: T) => string | false | undefined;
  /** The row shown elsewhere on the page (marked with aria-current). */
  rowCurrent?: (row: T) => boolean;
}

const EDITABLE = "input, select, textarea, [contenteditable='true']";
const skeletonWidths = ["lg", "md", "sm"] as const;

/** Put around several tables that read as one list: j/k and the arrows then move across them. */
export const ROW_GROUP_ATTRIBUTE = "data-row-group";

/**
 * A list as a table: sticky header, rows reachable with Tab (one stop), then j/k or the
 * arrow keys move between rows, Home/End jump, Enter opens. Inside an element with
 * `data-row-group`, the keys move across all the tables of that element.
 */
export function Table<T>(props: TableProps<T>) {
  /** On narrow screens rows stack: the first wide column leads the row, the others follow with their header. */
  const primaryKey = () => props.columns.find((c) => c.width !== "xs")?.key;
  const [active, setActive] = createSignal(0);
  let body!: HTMLTableSectionElement;

  const rowElements = () => Array.from(body.querySelectorAll<HTMLTableRowElement>(":scope > tr[data-row]"));
  /** The rows the keys move across: this table's, or every table's of the group. */
  const navRows = () => {
    const group = body.closest(`[${ROW_GROUP_ATTRIBUTE}]`);
    return group ? Array.from(group.querySelectorAll<HTMLTableRowElement>("tbody > tr[data-row]")) : rowElements();
  };

  const focusRow = (index: number) => {
    const rows = navRows();
    if (rows.length === 0) return;
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    // The row's focus handler makes it the table's tab stop.
    rows[clamped]?.focus();
    rows[clamped]?.scrollIntoView({ block: "nearest" });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (target.closest(EDITABLE)) return;
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    const row = target.closest<HTMLTableRowElement>("tr[data-row]");
    if (!row) return;
    const index = navRows().indexOf(row);
    switch (e.key) {
      case "ArrowDown":
      case "j":
        e.preventDefault();
        focusRow(index + 1);
        break;
      case "ArrowUp":
      case "k":
        e.preventDefault();
        focusRow(index - 1);
        break;
      case "Home":
        e.preventDefault();
        focusRow(0);
        break;
      case "End":
        e.preventDefault();
        focusRow(navRows().length - 1);
        break;
      case "Enter":
        if (target === row && props.onOpen) {
          e.preventDefault();
          const item = props.rows?.[rowElements().indexOf(row)];
          if (item !== undefined) props.onOpen(item);
        }
        break;
    }
  };

  const rowCount = () => props.rows?.length ?? 0;

  return (
    <div class={styles.wrap}>
      <table class={styles.table} aria-label={props.label} aria-busy={props.loading ? true : undefined}>
        <thead>
          <tr>
            <For each={props.columns}>
              {(column) => (
                <th
                  scope="col"
                  class={cx(column.width && styles[column.width], column.align === "end" && styles.end)}
                >
                  <Show when={column.label} fallback={column.header}>
                    <span class="visually-hidden">{column.label}</span>
                    {column.header}
                  </Show>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody ref={body} onKeyDown={onKeyDown}>
          <Show
            when={!props.loading || rowCount() > 0}
            fallback={
              <For each={Array.from({ length: props.skeletonRows ?? 5 }, (_, i) => i)}>
                {(i) => (
                  <tr aria-hidden="true">
                    <For each={props.columns}>
                      {(column, c) => (
                        <td class={cx(column.align === "end" && styles.end)}>
                          <Skeleton width={skeletonWidths[(i + c()) % skeletonWidths.length]} />
                        </td>
                      )}
                    </For>
                  </tr>
                )}
              </For>
            }
          >
            <Show
              when={rowCount() > 0}
              fallback={
                <tr>
                  <td class={styles.empty} colSpan={props.columns.length}>
                    {props.empty ?? "Nothing here yet."}
                  </td>
                </tr>
              }
            >
              <For each={props.rows}>
                {(row, index) => (
                  <tr
                    data-row
                    class={cx(
                      styles.row,
                      props.onOpen && styles.clickable,
                      props.rowCurrent?.(row) && styles.current,
                      props.rowClass?.(row),
                    )}
                    aria-current={props.rowCurrent?.(row) ? "true" : undefined}
                    tabIndex={active() === index() || (index() === 0 && active() >= rowCount()) ? 0 : -1}
                    onFocus={(e) => {
                      if (e.target === e.currentTarget) setActive(index());
                    }}
                    onClick={(e) => {
                      if (!props.onOpen) return;
                      if ((e.target as HTMLElement).closest("a, button, input, select, textarea")) return;
                      props.onOpen(row);
                    }}
                  >
                    <For each={props.columns}>
                      {(column) => (
                        <td
                          class={cx(column.align === "end" && styles.end)}
                          data-label={typeof column.header === "string" && column.header ? column.header : undefined}
                          data-primary={column.key === primaryKey() ? "" : undefined}
                        >
                          {column.cell(row)}
                        </td>
                      )}
                    </For>
                  </tr>
                )}
              </For>
            </Show>
          </Show>
        </tbody>
      </table>
      <Show when={props.footer}>
        <div class={styles.footer}>{props.footer}</div>
      </Show>
    </div>
  );
}
