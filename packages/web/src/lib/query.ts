/**
 * A small data-loading primitive: loads when its key is set or changes, keeps the last
 * data while it reloads, and never suspends (pages draw their own skeletons).
 */
import { createEffect, createMemo, createSignal, on, untrack, type Accessor } from "solid-js";
import { toApiError, type ApiError } from "./api";

export interface Query<T> {
  data: Accessor<T | undefined>;
  error: Accessor<ApiError | undefined>;
  loading: Accessor<boolean>;
  /** Reloads with the current key; resolves when done (never rejects). */
  refetch: () => Promise<void>;
  /** Replaces the data locally (optimistic updates). */
  mutate: (update: T | undefined | ((prev: T | undefined) => T | undefined)) => void;
}

export function createQuery<K, T>(
  key: Accessor<K | false | null | undefined>,
  fetcher: (key: K) => Promise<T>,
): Query<T> {
  const [data, setData] = createSignal<T | undefined>(undefined);
  const [error, setError] = createSignal<ApiError | undefined>(undefined);
  const [loading, setLoading] = createSignal(false);
  let run = 0;

  async function load(k: K): Promise<void> {
    const id = ++run;
    setLoading(true);
    try {
      const value = await fetcher(k);
      if (id !== run) return;
      setError(undefined);
      setData(() => value);
    } catch (err) {
      if (id !== run) return;
      setError(toApiError(err));
    } finally {
      if (id === run) setLoading(false);
    }
  }

  // Memoised: a key read from objects that get replaced (the workspace, the stage list)
  // re-evaluates to the same value; only a different value is a new thing to load.
  const current = createMemo(key);

  createEffect(
    on(current, (k) => {
      // A new key is a different thing: forget what was shown for the old one.
      setData(undefined);
      setError(undefined);
      if (k === false || k === null || k === undefined) {
        run++;
        setLoading(false);
        return;
      }
      void load(k);
    }),
  );

  return {
    data,
    error,
    loading,
    refetch: () => {
      const k = untrack(current);
      if (k === false || k === null || k === undefined) return Promise.resolve();
      return load(k);
    },
    mutate: (update) => {
      if (typeof update === "function") {
        setData((prev) => (update as (prev: T | undefined) => T | undefined)(prev));
      } else {
        setData(() => update);
      }
    },
  };
}
