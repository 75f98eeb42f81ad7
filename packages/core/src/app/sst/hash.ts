/**
 * A content hash of a stage model, stable across runs and processes: keys are sorted,
 * resources and functions ordered by key, `undefined` dropped. Two scans of unchanged
 * state give the same hash, so a rescan can skip writing.
 */
import { createHash } from "node:crypto";
import type { StageModel } from "./types";

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortDeep(v)));
  if (value && typeof value === "object") {
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortDeep(v);
    }
    return out;
  }
  return value;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** SHA-256 (hex) of the canonical form of a stage model. */
export function stageHash(model: StageModel): string {
  const normalized = {
    ...model,
    resources: [...model.resources].sort(byKey),
    functions: [...model.functions].sort(byKey),
  };
  return createHash("sha256").update(canonicalJson(normalized)).digest("hex");
}
