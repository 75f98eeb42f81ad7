/**
 * Rows that stay put while a person works in the list. The list polls every few
 * seconds; while the pointer or the focus is in it (or rows are selected), the rows
 * keep the order they had: their numbers update in place, issues that left the list
 * (triaged) leave at once, rows of a newly loaded page are added at the end, and what
 * would move or appear is counted instead ("3 updated: refresh"). Once the person
 * leaves the list, or presses refresh, the list takes the server's order again.
 */
import { createMemo, createSignal, type Accessor } from "solid-js";
import type { IssueSummary } from "../../../lib/api";

const signature = (i: IssueSummary) => `${i.count}|${i.timeLastSeen}|${i.status}`;

export function useSteadyRows(live: Accessor<IssueSummary[] | undefined>) {
  /** The order and state the rows had when the person started working in the list. */
  const [frozen, setFrozen] = createSignal<{ ids: string[]; seen: Map<string, string> } | null>(null);

  const freeze = () => {
    const rows = live();
    setFrozen(rows ? { ids: rows.map((i) => i.id), seen: new Map(rows.map((i) => [i.id, signature(i)])) } : null);
  };

  const view = createMemo(() => {
    const rows = live();
    const f = frozen();
    if (!rows || !f) return { rows, pending: 0 };
    const byId = new Map(rows.map((i) => [i.id, i]));
    const kept = f.ids.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
    const known = new Set(f.ids);
    // Rows after the last kept one (a page loaded with "Load more") join at the end.
    const last = kept.length ? rows.findIndex((i) => i.id === kept[kept.length - 1]!.id) : -1;
    const tail = rows.slice(last + 1).filter((i) => !known.has(i.id));
    const shown = [...kept, ...tail];
    const shownIds = new Set(shown.map((i) => i.id));
    const hidden = rows.filter((i) => !shownIds.has(i.id)).length;
    const liveOrder = rows.filter((i) => shownIds.has(i.id));
    const moved = liveOrder.some((i, n) => i.id !== shown[n]?.id);
    if (!hidden && !moved) return { rows: shown, pending: 0 };
    const changed = kept.filter((i) => f.seen.get(i.id) !== signature(i)).length;
    return { rows: shown, pending: Math.max(1, hidden + changed) };
  });

  return {
    /** The rows to show. */
    rows: () => view().rows,
    /** How many issues are new or changed in ways that would move rows (0: the order is the server's). */
    pending: () => view().pending,
    /** Holds the current order (the person works in the list). */
    hold: () => {
      if (!frozen()) freeze();
    },
    /** Follows the server's order again. */
    release: () => setFrozen(null),
    /** Takes the server's order now, and keeps holding it. */
    refresh: freeze,
  };
}
