/**
 * Pulumi writes special values in state as objects tagged with a signature key. Secrets
 * are `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 * "ciphertext": "v1:…"}`; we cannot (and must not) decrypt them, so they are dropped.
 * Keys that start with `__` (`__provider`, `__meta`, `__defaults`) are Pulumi/bridge
 * bookkeeping and are dropped at the top level.
 */
export const PULUMI_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const PULUMI_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isPulumiSecret(value: unknown): boolean {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    (value as Record<string, unknown>)[PULUMI_SIG_KEY] === PULUMI_SECRET_SIG
  );
}

/** Returns a copy of `value` with every Pulumi secret removed (from objects and arrays). */
export function dropSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (isPulumiSecret(item)) continue;
      out.push(dropSecrets(item, depth + 1));
    }
    return out;
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isPulumiSecret(v)) continue;
      out[k] = dropSecrets(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Plain outputs of a resource: secrets and top-level `__` keys dropped; never throws. */
export function plainOutputs(outputs: unknown): Record<string, unknown> {
  if (!outputs || typeof outputs !== "object" || Array.isArray(outputs) || isPulumiSecret(outputs)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs as Record<string, unknown>)) {
    if (k.startsWith("__") || isPulumiSecret(v)) continue;
    out[k] = dropSecrets(v);
  }
  return out;
}
