/**
 * Who is signed in and which workspaces they belong to (`GET /api/me`), shared by the top
 * bar, the command bar and the pages. Also remembers the last workspace per user.
 */
import { createSignal } from "solid-js";
import { api, clearToken, toApiError, type ApiError, type Me, type Workspace } from "./api";
import { storage } from "./storage";

const [me, setMe] = createSignal<Me | undefined>(undefined);
const [meError, setMeError] = createSignal<ApiError | undefined>(undefined);
const [meLoading, setMeLoading] = createSignal(false);

export { me, meError, meLoading };

let inflight: Promise<Me | undefined> | null = null;

/** Loads (or reloads) `/api/me`. Concurrent calls share one request. */
export function refreshMe(): Promise<Me | undefined> {
  if (inflight) return inflight;
  setMeLoading(true);
  inflight = api
    .me()
    .then((value) => {
      setMe(value);
      setMeError(undefined);
      return value;
    })
    .catch((err: unknown) => {
      setMeError(toApiError(err));
      return undefined;
    })
    .finally(() => {
      inflight = null;
      setMeLoading(false);
    });
  return inflight;
}

/** Loads `/api/me` once; later calls reuse what is known. */
export function ensureMe(): Promise<Me | undefined> {
  const known = me();
  return known ? Promise.resolve(known) : refreshMe();
}

/** Updates one workspace in the cached list (after a rename), without a round trip. */
export function patchWorkspace(id: string, update: Partial<Workspace>): void {
  const current = me();
  if (!current) return;
  setMe({
    ...current,
    workspaces: current.workspaces.map((w) => (w.id === id ? { ...w, ...update } : w)),
  });
}

/** Forgets the signed-in user locally (after sign-out or a 401). */
export function clearSession(): void {
  clearToken();
  setMe(undefined);
  setMeError(undefined);
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

export { toApiError };
