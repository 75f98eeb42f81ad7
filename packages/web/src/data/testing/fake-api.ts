/**
 * A scripted API for the web app's tests: `fetch` answered by routes the test declares
 * (`on("GET", "/api/workspaces/:ws/accounts", handler)`), every request recorded. The
 * answers go through the real client (`src/lib/api`): its headers, error shape and types.
 */
import type { ApiError } from "../../lib/api";

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Answer = { status?: number; body?: unknown } | Promise<{ status?: number; body?: unknown }>;
type Handler = (request: Recorded, params: Record<string, string>) => Answer;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export function fakeApi() {
  const routes: Route[] = [];
  const requests: Recorded[] = [];

  const on = (method: string, path: string, handler: Handler) => {
    const names: string[] = [];
    const pattern = new RegExp(
      "^" +
        path.replace(/:(\w+)/g, (_m, name: string) => {
          names.push(name);
          return "([^/]+)";
        }) +
        "$",
    );
    // Later routes win: a test can replace an answer halfway.
    routes.unshift({ method, pattern, names, handler });
  };

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url, "http://console.test");
    const method = (init.method ?? "GET").toUpperCase();
    const recorded: Recorded = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    requests.push(recorded);
    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
      const answer = await route.handler(recorded, params);
      return new Response(answer.body === undefined ? "" : JSON.stringify(answer.body), {
        status: answer.status ?? 200,
        headers: { "content-type": "application/json" },
      });
    }
    return new Response(JSON.stringify({ error: { code: "not_found", message: `No route for ${method} ${url.pathname}` } }), { status: 404 });
  };

  return {
    fetch,
    on,
    requests,
    /** The requests made so far to `method path` (path without the query). */
    calls: (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path),
  };
}

/** An error answer in the API's shape. */
export function failure(status: number, code: ApiError["code"], message: string) {
  return { status, body: { error: { code, message } } };
}

/** A promise the test settles itself (a request held open). */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
