/**
 * The HTTP client of the API (contract: docs/api.md), typed by the server's own routes.
 *
 * `client` is Hono's `hc<Api>`: its paths, path parameters, query strings, JSON bodies and
 * answers are the types of `packages/functions/src/api` (a type-only import: nothing of the
 * server is bundled; the app talks to it over HTTP). A route whose answer changes shape
 * fails `npm run typecheck` here, wherever the web app reads it.
 *
 * Every call goes through `apiFetch`:
 * - sends `Authorization: Bearer <token>` when a token is stored (the server also sets a
 *   session cookie, so a missing token still works);
 * - requests that change something carry `Content-Type: application/json`, which the
 *   server asks of cookie-authenticated calls, even without a body;
 * - a failure becomes an `ApiError` with the stable `code` of `{ error: { code, message, details } }`;
 * - a 401 outside the sign-in endpoints clears the token and hands over to the
 *   unauthorized handler (the app sends the user to /auth);
 * - a 403/404 on a workspace path is announced (`onWorkspaceDenied`) so the workspace
 *   layout can check whether the caller still belongs to that workspace.
 */
import { hc, type ClientResponse } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { validationDetails } from "@console/core/util/fn";
import type { Api } from "@console/functions/api/index";
import { storage } from "../storage";

const TOKEN_KEY = "console.token";

export function getToken(): string | null {
  return storage.get(TOKEN_KEY);
}

export function setToken(token: string): void {
  storage.set(TOKEN_KEY, token);
}

export function clearToken(): void {
  storage.remove(TOKEN_KEY);
}

/**
 * One entry of `details` in a `validation` error: `{ path, message }`, `path` dotted for
 * nested fields (`match.type`) and empty for the whole input. The server's own type
 * (core's util/fn.ts, type-only).
 */
export type FieldIssue = ReturnType<typeof validationDetails>[number];

/** A failed API call. `code` is the server's stable code, or `network` when no answer came. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait, from `Retry-After`, on 429 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** The caller is not (or no longer) allowed to see what it asked for. */
  get isNoAccess(): boolean {
    return this.status === 404 || this.status === 403;
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof Error) return new ApiError(0, "client", err.message);
  return new ApiError(0, "client", String(err));
}

type Listener<T> = (value: T) => void;

let unauthorizedHandler: () => void = () => {
  window.location.assign("/auth");
};
const deniedListeners = new Set<Listener<string>>();

/** Called once by the app: what to do when the session is gone. */
export function setUnauthorizedHandler(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** Subscribe to 403/404 answers on `/api/workspaces/:workspace/...`; returns the unsubscribe. */
export function onWorkspaceDenied(listener: Listener<string>): () => void {
  deniedListeners.add(listener);
  return () => deniedListeners.delete(listener);
}

const WORKSPACE_PATH = /^\/api\/workspaces\/([^/?#]+)/;

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function pathOf(input: RequestInfo | URL): string {
  const raw = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(raw, "http://x").pathname;
  } catch {
    return raw;
  }
}

/** The `fetch` of the client: headers in, `ApiError` out (see the file's comment). */
export async function apiFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("Accept", "application/json");
  const token = getToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const method = (init.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD" && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");

  let response: Response;
  try {
    response = await fetch(input, { ...init, method, headers, credentials: "same-origin" });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }
  if (response.ok) return response;

  const text = await response.text();
  let payload: { code?: string; message?: string; details?: unknown } | undefined;
  try {
    payload = text ? (JSON.parse(text) as { error?: typeof payload }).error : undefined;
  } catch {
    payload = undefined;
  }
  const error = new ApiError(
    response.status,
    payload?.code ?? (response.status >= 500 ? "internal" : "http_" + response.status),
    payload?.message ?? (response.statusText || "Request failed"),
    payload?.details,
    parseRetryAfter(response.headers.get("Retry-After")),
  );

  const path = pathOf(input);
  if (response.status === 401 && !path.startsWith("/api/auth/")) {
    clearToken();
    unauthorizedHandler();
  }
  if (error.isNoAccess) {
    const match = WORKSPACE_PATH.exec(path);
    if (match?.[1]) {
      const workspace = decodeURIComponent(match[1]);
      for (const listener of deniedListeners) listener(workspace);
    }
  }
  throw error;
}

/** The typed client: `client.api.workspaces[":workspace"].accounts.$get({ param: { workspace } })`. */
export const client = hc<Api>("/", { fetch: apiFetch });

/** The JSON of the successful answers of a response type. */
export type Ok<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatusCode ? T : never) : never;

/** What an endpoint of `client` answers when it succeeds: `Data<typeof client.api.me.$get>`. */
export type Data<F extends (...args: never[]) => Promise<unknown>> = Ok<Awaited<ReturnType<F>>>;

/** Awaits a call of `client` and reads its JSON (failures have already thrown `ApiError`). */
export async function read<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<Ok<R>> {
  const response = await call;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as Ok<R>;
}

/** Path parameters are put in the URL as they are: encode them. */
export function encode<P extends Record<string, string>>(params: P): P {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeURIComponent(v)])) as P;
}
