/**
 * Maps every failure to `{ error: { code, message, details? } }` with a fitting
 * status, once, for the whole API.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { VisibleError } from "@console/core/error";
import { RateLimitedError } from "@console/core/auth";
import { log } from "@console/core/util/log";

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}

export function onError(err: Error, c: Context) {
  if (err instanceof RateLimitedError) {
    c.header("Retry-After", String(Math.max(1, err.retryAfter)));
    return c.json(errorBody(err.code, err.message), 429);
  }
  if (err instanceof VisibleError) {
    return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : status === 404 ? "not_found" : "bad_request";
    return c.json(errorBody(code, err.message || "Bad request"), status);
  }
  log.error("unhandled API error", { path: c.req.path, method: c.req.method, err });
  return c.json(errorBody("internal", "Something went wrong on our side. Try again."), 500);
}

export function notFound(c: Context) {
  return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}`), 404);
}
