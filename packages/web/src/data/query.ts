/**
 * The query client of the app and the two primitives pages load data with.
 *
 * `useQuery` / `useInfiniteQuery` are `@tanstack/solid-query`'s, with one difference:
 * reading `data` while the first load runs gives `undefined` instead of suspending.
 * Solid-query reads `data` through a resource, and a resource read under the app's root
 * `<Suspense>` (there for the lazy page chunks) would swap the whole page for its fallback;
 * pages draw their own skeletons instead (loading, empty and error states: packages/web/README.md).
 */
import { QueryClient, useInfiniteQuery as useSolidInfiniteQuery, useQuery as useSolidQuery } from "@tanstack/solid-query";
import { toApiError, type ApiError } from "../lib/api";

declare module "@tanstack/solid-query" {
  interface Register {
    /** Every failure of `src/lib/api` is an `ApiError` (`toApiError` for the rest). */
    defaultError: ApiError;
  }
}

/** Defaults: no automatic retry (errors show with a Retry button), refetch when the tab comes back. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}

/** The app's client (`<QueryClientProvider client={queryClient}>` in App.tsx). */
export const queryClient = createQueryClient();

function settled<T extends { isLoading: boolean; data: unknown }>(result: T): T {
  return new Proxy(result, {
    get(target, key, receiver) {
      if (key === "data" && target.isLoading) return undefined;
      return Reflect.get(target, key, receiver);
    },
  });
}

/** `useQuery` of solid-query; `data` is undefined (not suspending) while the first load runs. */
export const useQuery: typeof useSolidQuery = ((options: Parameters<typeof useSolidQuery>[0], client?: Parameters<typeof useSolidQuery>[1]) =>
  settled(useSolidQuery(options, client))) as typeof useSolidQuery;

/** `useInfiniteQuery` of solid-query; `data` is undefined (not suspending) while the first load runs. */
export const useInfiniteQuery: typeof useSolidInfiniteQuery = ((
  options: Parameters<typeof useSolidInfiniteQuery>[0],
  client?: Parameters<typeof useSolidInfiniteQuery>[1],
) => settled(useSolidInfiniteQuery(options, client))) as typeof useSolidInfiniteQuery;

export { toApiError };
