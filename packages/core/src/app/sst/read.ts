/**
 * One call per v3 state object: key + body in, a stage result out. Never throws for bad
 * input: a malformed object becomes `{status: "skipped", reason}` so one broken stage does
 * not stop the scan of an account.
 */
import { parseJsonBody, type Body } from "./body";
import { isSstStateError } from "./error";
import { stageHash } from "./hash";
import { parseV3StageKey } from "./keys";
import { parseV3Checkpoint } from "./v3";
import type { StageReadResult } from "./types";

export interface V3StageObject {
  /** `app/<app>/<stage>.json`; or pass `app` and `stage` directly. */
  key?: string;
  app?: string;
  stage?: string;
  body: Body;
  options?: { maxBytes?: number };
}

export function readV3Stage(input: V3StageObject): StageReadResult {
  const at = input.key !== undefined ? parseV3StageKey(input.key) : input.app && input.stage ? { app: input.app, stage: input.stage } : undefined;
  if (!at) {
    return { status: "skipped", reason: "invalid_key", message: `not a stage state key: ${input.key ?? "(none)"}` };
  }
  const { app, stage } = at;
  try {
    const doc = parseJsonBody(input.body, input.options);
    if (doc === undefined) return { status: "removed", app, stage, reason: "empty_file" };
    const parsed = parseV3Checkpoint(doc, at);
    if (parsed.status === "removed") return { status: "removed", app, stage, reason: parsed.reason };
    return { status: "ok", app, stage, model: parsed.model, hash: stageHash(parsed.model) };
  } catch (err) {
    if (isSstStateError(err)) return { status: "skipped", app, stage, reason: err.code, message: err.message };
    // Anything else is a bug in this module, but a scan must go on: report it as a bad shape.
    return { status: "skipped", app, stage, reason: "unexpected_shape", message: (err as Error).message };
  }
}
