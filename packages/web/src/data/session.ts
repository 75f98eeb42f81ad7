/**
 * Who is signed in and which workspaces they belong to (`GET /api/me`), and what this
 * console can do (`GET /api/config`). Also remembers the last workspace per user.
 */
import { queryOptions, useQueryClient, type QueryClient } from "@tanstack/solid-query";
import { api, clearToken, type Me, type Workspace } from "../lib/api";
import { storage } from "../lib/storage";
import { keys } from "./keys";
import { useQuery } from "./query";

export const meQuery = () =>
  queryOptions({
    queryKey: keys.me(),
    queryFn: ({ signal }) => api.me(signal),
    staleTime: 10_000,
  });

export const configQuery = () =>
  queryOptions({
    queryKey: keys.config(),
    queryFn: ({ signal }) => api.config(signal),
    staleTime: Infinity,
  });

/** The signed-in user and their workspaces. */
export function useMe() {
  return useQuery(meQuery);
}

/** What this console can do; the pages work without it while it loads (or if it fails). */
export function useConfig() {
  return useQuery(configQuery);
}

/** Whether this console offers the emulated demo account. */
export function useDemoAvailable() {
  const config = useConfig();
  return () => config.data?.demo === true;
}

/** Loads `/api/me` again (after joining, leaving or renaming a workspace); undefined when it fails. */
export function refreshMe(client: QueryClient): Promise<Me | undefined> {
  return client.fetchQuery({ ...meQuery(), staleTime: 0 }).catch(() => undefined);
}

/** `/api/me`, loaded once; undefined when it fails. */
export function ensureMe(client: QueryClient): Promise<Me | undefined> {
  return client.ensureQueryData(meQuery()).catch(() => undefined);
}

/** Updates one workspace in the cached `/api/me` (after a rename), without a round trip. */
export function patchWorkspace(client: QueryClient, id: string, update: Partial<Workspace>): void {
  client.setQueryData(meQuery().queryKey, (current) =>
    current ? { ...current, workspaces: current.workspaces.map((w) => (w.id === id ? { ...w, ...update } : w)) } : current,
  );
}

/** Forgets the signed-in user locally (after sign-out or a 401): the token and everything loaded. */
export function clearSession(client: QueryClient): void {
  clearToken();
  client.clear();
}

/** The session functions bound to the app's query client. */
export function useSession() {
  const client = useQueryClient();
  return {
    refresh: () => refreshMe(client),
    ensure: () => ensureMe(client),
    patchWorkspace: (id: string, update: Partial<Workspace>) => patchWorkspace(client, id, update),
    clear: () => clearSession(client),
  };
}

const lastKey = (userId: string) => `console.lastWorkspace.${userId}`;

export function getLastWorkspace(userId: string): string | null {
  return storage.get(lastKey(userId));
}

export function setLastWorkspace(userId: string, slug: string): void {
  storage.set(lastKey(userId), slug);
}

export function forgetLastWorkspace(userId: string, slug?: string): void {
  if (slug === undefined || storage.get(lastKey(userId)) === slug) storage.remove(lastKey(userId));
}

/** The workspace to open for this user: the last one used if still theirs, else the only one. */
export function pickWorkspace(value: Me): Workspace | "new" | "choose" {
  if (value.workspaces.length === 0) return "new";
  const last = getLastWorkspace(value.user.id);
  const found = last ? value.workspaces.find((w) => w.slug === last || w.id === last) : undefined;
  if (found) return found;
  if (value.workspaces.length === 1 && value.workspaces[0]) return value.workspaces[0];
  return "choose";
}
