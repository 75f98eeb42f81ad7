/**
 * Issues: lists (paged, polled), counts per status, one issue (polled), the logs of an
 * occurrence, warnings, and the triage mutations.
 *
 * Triage (resolve, ignore, reopen and their undo) is optimistic: every list, count and
 * detail in the cache moves at once, and goes back as it was if the server says no. While
 * a triage call runs, the issue queries do not poll (a poll started before the change
 * would bring the old state back); when the last one settles, they reload.
 */
import {
  infiniteQueryOptions,
  queryOptions,
  useIsMutating,
  useMutation,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from "@tanstack/solid-query";
import { createMemo, type Accessor } from "solid-js";
import { api, type IssueCounts, type IssueDetail, type IssuePage, type IssueStatus, type IssueSummary } from "../lib/api";
import { keys, type IssueFilter } from "./keys";
import { useInfiniteQuery, useQuery } from "./query";

export const PAGE = 50;
export const LIST_POLL_MS = 5000;
export const DETAIL_POLL_MS = 10_000;
export const COUNTS_POLL_MS = 30_000;
export const WARNINGS_POLL_MS = 15_000;

type Pages = InfiniteData<IssuePage, string | null>;

export const issueListQuery = (ws: string, filter: IssueFilter) =>
  infiniteQueryOptions({
    queryKey: keys.issues.list(ws, filter),
    queryFn: ({ pageParam, signal }) => api.issues.list(ws, { ...filter, limit: PAGE, before: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    // Rows keep their identity (and focus) as polls come in.
    reconcile: "id",
  });

export const issueCountsQuery = (ws: string, stage?: string | null) =>
  queryOptions({
    queryKey: keys.issues.counts(ws, stage),
    queryFn: ({ signal }) => api.issues.counts(ws, stage ?? undefined, signal),
  });

export const issueQuery = (ws: string, issue: string) =>
  queryOptions({
    queryKey: keys.issues.detail(ws, issue),
    queryFn: ({ signal }) => api.issues.get(ws, issue, signal),
    // What is open or selected on screen stays so as polls come in.
    reconcile: "id",
  });

/** An invocation's logs do not change: read once per occurrence. */
export const occurrenceLogsQuery = (ws: string, issue: string, occurrence: string) =>
  queryOptions({
    queryKey: keys.logs.occurrence(ws, issue, occurrence),
    queryFn: ({ signal }) => api.issues.occurrenceLogs(ws, issue, occurrence, signal),
    staleTime: Infinity,
  });

export const warningsQuery = (ws: string, stage?: string | null) =>
  queryOptions({
    queryKey: keys.warnings.list(ws, stage),
    queryFn: ({ signal }) => api.warnings.list(ws, stage ?? undefined, signal),
  });

/** True while a triage call of this workspace runs: issue queries hold their polls. */
export function useTriaging(ws: Accessor<string>): Accessor<boolean> {
  const count = useIsMutating(() => ({ mutationKey: keys.issues.all(ws()) }));
  return () => count() > 0;
}

/** Polls every `ms` while the tab is visible, unless a triage call runs. */
function polling(triaging: Accessor<boolean>, ms: number) {
  return { refetchInterval: triaging() ? (false as const) : ms, refetchOnWindowFocus: !triaging() };
}

/** The issues of a list, page after page ("Load more"), without duplicates. */
export function useIssueList(ws: Accessor<string>, filter: Accessor<IssueFilter>, enabled: Accessor<boolean> = () => true) {
  const triaging = useTriaging(ws);
  const query = useInfiniteQuery(() => ({ ...issueListQuery(ws(), filter()), ...polling(triaging, LIST_POLL_MS), enabled: enabled() }));
  const issues = createMemo<IssueSummary[] | undefined>(() => {
    const data = query.data;
    if (!data) return undefined;
    const seen = new Set<string>();
    const out: IssueSummary[] = [];
    for (const page of data.pages) {
      for (const issue of page.issues) {
        if (seen.has(issue.id)) continue;
        seen.add(issue.id);
        out.push(issue);
      }
    }
    return out;
  });
  return { query, issues };
}

/** Counts per status of a stage (or of the workspace when `stage` gives undefined). */
export function useIssueCounts(
  ws: Accessor<string>,
  stage: Accessor<string | undefined>,
  options: { pollMs?: number; enabled?: Accessor<boolean> } = {},
) {
  const triaging = useTriaging(ws);
  return useQuery(() => ({
    ...issueCountsQuery(ws(), stage()),
    ...polling(triaging, options.pollMs ?? COUNTS_POLL_MS),
    enabled: options.enabled?.() ?? true,
  }));
}

export function useIssue(ws: Accessor<string>, issue: Accessor<string>) {
  const triaging = useTriaging(ws);
  return useQuery(() => ({ ...issueQuery(ws(), issue()), ...polling(triaging, DETAIL_POLL_MS) }));
}

export function useOccurrenceLogs(ws: Accessor<string>, issue: Accessor<string>, occurrence: Accessor<string>) {
  return useQuery(() => occurrenceLogsQuery(ws(), issue(), occurrence()));
}

export function useWarnings(ws: Accessor<string>, stage: Accessor<string | undefined>) {
  return useQuery(() => ({ ...warningsQuery(ws(), stage()), refetchInterval: WARNINGS_POLL_MS }));
}

// ---------------------------------------------------------------------------------------
// Triage

/** One issue changing status. `summary` (from a list) lets lists of the new status show it at once. */
export interface Move {
  id: string;
  stageId: string;
  from: IssueStatus;
  to: IssueStatus;
  summary?: IssueSummary;
}

/** A move of a listed issue (a plain copy: the cached row may change under us). */
export function moveOf(issue: IssueSummary, to: IssueStatus): Move {
  return { id: issue.id, stageId: issue.stageId, from: issue.status, to, summary: { ...issue, last24h: [...issue.last24h] } };
}

/** The same moves, backwards (the undo). */
export function reverse(moves: Move[]): Move[] {
  return moves.map((m) => ({ ...m, from: m.to, to: m.from, summary: m.summary && { ...m.summary, status: m.to } }));
}

const ORDER: IssueStatus[] = ["active", "ignored", "resolved"];

/** Sets the statuses on the server: one call per target status (reopen first). */
async function applyMoves(ws: string, moves: Move[]): Promise<void> {
  for (const to of ORDER) {
    const ids = moves.filter((m) => m.to === to).map((m) => m.id);
    if (!ids.length) continue;
    if (to === "active") await api.issues.reopen(ws, ids);
    else if (to === "ignored") await api.issues.ignore(ws, ids);
    else await api.issues.resolve(ws, ids);
  }
}

const newestFirst = (a: IssueSummary, b: IssueSummary) => b.timeLastSeen.localeCompare(a.timeLastSeen) || b.id.localeCompare(a.id);
const ORDERS = {
  last: newestFirst,
  first: (a: IssueSummary, b: IssueSummary) => b.timeFirstSeen.localeCompare(a.timeFirstSeen) || b.id.localeCompare(a.id),
  events: (a: IssueSummary, b: IssueSummary) => b.count - a.count || b.id.localeCompare(a.id),
};

interface CachedFilter {
  status: IssueStatus;
  stage: string | null;
  function: string | null;
  q?: string | null;
  sort?: "last" | "first" | "events";
}

function filterOf(key: QueryKey): CachedFilter {
  return key[4] as CachedFilter;
}

/** The server's search: every word in the type or the message, ignoring case. */
export function matchesSearch(issue: Pick<IssueSummary, "type" | "message">, q: string | null | undefined): boolean {
  const words = (q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const text = [issue.type.toLowerCase(), issue.message.toLowerCase()];
  return words.every((w) => text.some((t) => t.includes(w)));
}

/** Moves issues in every cached list, count and detail of the workspace. */
export function applyToCache(client: QueryClient, ws: string, moves: Move[]): void {
  const byId = new Map(moves.map((m) => [m.id, m]));

  for (const [key, data] of client.getQueriesData<Pages>({ queryKey: keys.issues.lists(ws) })) {
    if (!data) continue;
    const filter = filterOf(key);
    const pages = data.pages.map((page) => ({
      ...page,
      issues: page.issues.filter((i) => (byId.get(i.id)?.to ?? filter.status) === filter.status),
    }));
    const present = new Set(pages.flatMap((p) => p.issues.map((i) => i.id)));
    const incoming = moves
      .filter(
        (m) =>
          m.to === filter.status &&
          m.summary &&
          !present.has(m.id) &&
          (!filter.stage || filter.stage === m.stageId) &&
          (!filter.function || filter.function === m.summary.functionName) &&
          matchesSearch(m.summary, filter.q),
      )
      .map((m) => ({ ...m.summary!, status: m.to, timeRegressed: null }));
    if (incoming.length && pages[0]) pages[0] = { ...pages[0], issues: [...pages[0].issues, ...incoming].sort(ORDERS[filter.sort ?? "last"]) };
    client.setQueryData<Pages>(key, { ...data, pages });
  }

  for (const [key, counts] of client.getQueriesData<IssueCounts>({ queryKey: keys.issues.countsAll(ws) })) {
    if (!counts) continue;
    const stage = key[4] as string | null;
    const next = { ...counts };
    for (const m of moves) {
      if (m.from === m.to || (stage !== null && stage !== m.stageId)) continue;
      next[m.from] = Math.max(0, next[m.from] - 1);
      next[m.to] += 1;
    }
    client.setQueryData<IssueCounts>(key, next);
  }

  for (const m of moves) {
    client.setQueryData<IssueDetail>(keys.issues.detail(ws, m.id), (detail) =>
      detail ? { ...detail, issue: { ...detail.issue, status: m.to, timeRegressed: null } } : detail,
    );
  }
}

/** After the last triage call of a burst: lists, counts, details and warnings reload. */
function settle(client: QueryClient, ws: string) {
  if (client.isMutating({ mutationKey: keys.issues.all(ws) }) > 1) return;
  void client.invalidateQueries({ queryKey: keys.issues.all(ws) });
  void client.invalidateQueries({ queryKey: keys.warnings.all(ws) });
}

/** Resolve, ignore, reopen (and undo): optimistic, rolled back when the server fails. */
export function useSetStatus(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationKey: keys.issues.all(ws()),
    mutationFn: (moves: Move[]) => applyMoves(ws(), moves),
    onMutate: async (moves: Move[]) => {
      await client.cancelQueries({ queryKey: keys.issues.all(ws()) });
      const snapshot = client.getQueriesData({ queryKey: keys.issues.all(ws()) });
      applyToCache(client, ws(), moves);
      return { snapshot };
    },
    onError: (_err, _moves, context) => {
      for (const [key, data] of context?.snapshot ?? []) client.setQueryData(key, data);
    },
    onSettled: () => settle(client, ws()),
  }));
}

/** Merges issues of one stage into `target` (not optimistic: the dialog waits for it). */
export function useMerge(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationKey: keys.issues.all(ws()),
    mutationFn: (input: { target: IssueSummary; sources: IssueSummary[] }) =>
      api.issues.merge(
        ws(),
        input.target.id,
        input.sources.map((s) => s.id),
      ),
    onSuccess: (_answer, { target, sources }) => {
      const gone = new Set(sources.map((s) => s.id));
      const total = sources.reduce((sum, s) => sum + s.count, target.count);
      client.setQueriesData<Pages>({ queryKey: keys.issues.lists(ws()) }, (data) =>
        data
          ? {
              ...data,
              pages: data.pages.map((p) => ({
                ...p,
                issues: p.issues.filter((i) => !gone.has(i.id)).map((i) => (i.id === target.id ? { ...i, count: total } : i)),
              })),
            }
          : data,
      );
    },
    onSettled: () => settle(client, ws()),
  }));
}

/** Retries a subscription warning, then reloads the warnings (the answer says whether it still stands). */
export function useRetryWarning(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (warning: string) => api.warnings.retry(ws(), warning),
    onSettled: () => client.invalidateQueries({ queryKey: keys.warnings.all(ws()) }),
  }));
}
