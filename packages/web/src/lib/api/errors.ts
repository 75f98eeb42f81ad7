/** What failed API calls mean to people: sentences per code, and the fields a `validation` error names. */
import { toApiError, type FieldIssue } from "./client";

/** A sentence for people, from an error code. Falls back to the server's message. */
export function describeError(err: unknown): string {
  const e = toApiError(err);
  switch (e.code) {
    case "network":
      return e.message;
    case "rate_limited":
      return e.retryAfter
        ? `Too many requests. Try again in ${formatWait(e.retryAfter)}.`
        : "Too many requests. Wait a moment and try again.";
    case "too_many_attempts":
      return "Too many wrong tries for this code. Send a new code.";
    case "invalid_code":
      return "That code is not right. Check it and try again.";
    case "code_expired":
      return "This code has expired or was already used. Send a new code.";
    case "slug_taken":
      return "This URL is already taken by another workspace.";
    case "already_member":
      return "This person is already a member of the workspace.";
    case "last_owner":
      return "A workspace needs at least one owner. Make someone else an owner first.";
    case "forbidden":
      return "You do not have permission to do this.";
    case "not_found":
      return e.message || "Not found.";
    case "unauthorized":
      return "Your session has ended. Sign in again.";
    case "unavailable":
      return "The service is unavailable right now. Try again shortly.";
    case "internal":
      return "Something went wrong on our side. Try again.";
    default:
      return e.message || "Something went wrong.";
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} min`;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return (
    !!value &&
    typeof value === "object" &&
    typeof (value as FieldIssue).path === "string" &&
    typeof (value as FieldIssue).message === "string"
  );
}

/**
 * The first message per field of a `validation` error. The server sends
 * `details: [{ path, message }]` (`path` dotted, empty for the whole input).
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const e = toApiError(err);
  const out: Record<string, string> = {};
  if (e.code !== "validation" || !Array.isArray(e.details)) return out;
  for (const item of e.details) {
    if (isFieldIssue(item) && item.path && !out[item.path]) out[item.path] = item.message;
  }
  return out;
}
