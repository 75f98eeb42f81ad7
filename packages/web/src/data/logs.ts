/**
 * Logs of a function: past invocations (paged backwards by cursor, "Load more") and the
 * live tail (Server-Sent Events; each batch merged by request id, so lines the server
 * sends again after a reconnect or that a past page has too show once).
 */
import { infiniteQueryOptions } from "@tanstack/solid-query";
import { createEffect, createSignal, onCleanup, type Accessor } from "solid-js";
import { api, type Invocation, type LogQuery } from "../lib/api";
import { addInvocations } from "../lib/logs";
import { keys } from "./keys";
import { useInfiniteQuery } from "./query";

export const functionLogsQuery = (ws: string, fn: string, q: Omit<LogQuery, "cursor">) =>
  infiniteQueryOptions({
    queryKey: keys.logs.past(ws, fn, q),
    queryFn: ({ pageParam, signal }) => api.functions.logs(ws, fn, { ...q, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
    // Logs already read do not change; new ones come by the live tail or a reload.
    staleTime: 30_000,
    refetchOnWindowFocus: false,
  });

export function useFunctionLogs(ws: Accessor<string>, fn: Accessor<string>, q: Accessor<Omit<LogQuery, "cursor">>) {
  return useInfiniteQuery(() => functionLogsQuery(ws(), fn(), q()));
}

export type LiveState = "off" | "connecting" | "live" | "reconnecting" | "closed";

/** At most this many invocations are kept from the live tail (the oldest go first). */
export const LIVE_KEEP = 500;

/**
 * Follows a function's logs while `enabled()`: `invocations()` is every invocation the
 * tail sent since it was turned on (merged by key), `state()` whether it is live.
 * Turning it off closes the stream; turning it on again starts from an empty set.
 */
export function useLiveTail(ws: Accessor<string>, fn: Accessor<string>, enabled: Accessor<boolean>) {
  const [invocations, setInvocations] = createSignal<Map<string, Invocation>>(new Map());
  const [state, setState] = createSignal<LiveState>("off");
  const [reason, setReason] = createSignal<string | null>(null);

  createEffect(() => {
    if (!enabled()) {
      setState("off");
      return;
    }
    setInvocations(new Map());
    setReason(null);
    setState("connecting");
    const source = new EventSource(api.functions.liveUrl(ws(), fn()));
    source.addEventListener("ready", () => setState("live"));
    source.addEventListener("invocations", (e) => {
      let batch: Invocation[];
      try {
        batch = (JSON.parse((e as MessageEvent<string>).data) as { invocations: Invocation[] }).invocations;
      } catch {
        return;
      }
      setInvocations((prev) => {
        const next = addInvocations(prev, batch);
        if (next.size <= LIVE_KEEP) return next;
        const oldest = [...next.entries()].sort(([, a], [, b]) => a.start - b.start).slice(0, next.size - LIVE_KEEP);
        for (const [k] of oldest) next.delete(k);
        return next;
      });
      setState("live");
    });
    source.addEventListener("close", (e) => {
      let why = "The server closed the stream.";
      try {
        why = (JSON.parse((e as MessageEvent<string>).data) as { reason?: string }).reason ?? why;
      } catch {
        // keep the default
      }
      setReason(why);
      setState("closed");
      source.close();
    });
    // EventSource reconnects by itself; say so meanwhile.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) setState("closed");
      else setState("reconnecting");
    };
    onCleanup(() => source.close());
  });

  return { invocations, state, reason };
}
