import type { Context } from "hono";
import { VisibleError } from "@console/core/error";

/** Reads a JSON object body: 415 when it is not JSON, 400 when it does not parse. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) {
    throw new VisibleError("unsupported_media_type", "Send a JSON body with Content-Type: application/json");
  }
  const text = await c.req.text();
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new VisibleError("bad_request", "The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new VisibleError("bad_request", "The request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}
