/**
 * S3 key layouts of SST's bootstrap buckets.
 *
 * v3/v4 state bucket: `<kind>/<app>/<stage>.json` for per-stage kinds, and
 * `<kind>/<app>/<stage>/<updateID>.json` for per-update kinds (SST `pkg/project/provider/aws.go`
 * `pathForData`). Only `app/` objects describe a stage's current resources.
 *
 * v2 bootstrap bucket: `stackMetadata/app.<app>/stage.<stage>/stack.<cfnStackName>.json`
 * (written by the SSTBootstrap metadata function) and `appMetadata/app.<app>/stage.<stage>.json`
 * (written by the CLI: `{mode: "deploy" | "dev"}`).
 */

/** Kinds of objects in a v3 state bucket. */
const V3_STAGE_KINDS = ["app", "lock", "secret"] as const;
const V3_UPDATE_KINDS = ["update", "summary", "snapshot", "eventlog", "history"] as const;
export type V3StateKind = (typeof V3_STAGE_KINDS)[number] | (typeof V3_UPDATE_KINDS)[number];

export interface V3StateKey {
  kind: V3StateKind;
  app: string;
  stage: string;
  /** For per-update kinds: the update ID (for `history/`, the `<time>-<id>` file name). */
  updateId?: string;
}

/** The prefix that lists every stage state file of a v3 state bucket. */
export const V3_STAGE_PREFIX = "app/";
export const V2_STACK_METADATA_PREFIX = "stackMetadata/";
export const V2_APP_METADATA_PREFIX = "appMetadata/";

const SEGMENT = /^[^/]+$/;

function stripJson(name: string | undefined): string | undefined {
  if (!name || !name.endsWith(".json")) return undefined;
  const base = name.slice(0, -".json".length);
  return base.length > 0 && SEGMENT.test(base) ? base : undefined;
}

/**
 * Parses any key of a v3 state bucket, or returns undefined for keys that are not one of
 * SST's layouts (so callers can ignore them).
 */
export function parseV3StateKey(key: string): V3StateKey | undefined {
  const parts = key.split("/");
  const kind = parts[0] as V3StateKind;
  const app = parts[1];
  if (!app || !SEGMENT.test(app)) return undefined;
  if ((V3_STAGE_KINDS as readonly string[]).includes(kind)) {
    if (parts.length !== 3) return undefined;
    const stage = stripJson(parts[2]);
    return stage ? { kind, app, stage } : undefined;
  }
  if ((V3_UPDATE_KINDS as readonly string[]).includes(kind)) {
    if (parts.length !== 4) return undefined;
    const stage = parts[2];
    const updateId = stripJson(parts[3]);
    if (!stage || !updateId) return undefined;
    return { kind, app, stage, updateId };
  }
  return undefined;
}

/** Parses `app/<app>/<stage>.json`, the current checkpoint of a stage; anything else gives undefined. */
export function parseV3StageKey(key: string): { app: string; stage: string } | undefined {
  const parsed = parseV3StateKey(key);
  if (!parsed || parsed.kind !== "app") return undefined;
  return { app: parsed.app, stage: parsed.stage };
}

export function v3StageKey(app: string, stage: string): string {
  return `app/${app}/${stage}.json`;
}

export function v3UpdateKey(kind: (typeof V3_UPDATE_KINDS)[number], app: string, stage: string, updateId: string) {
  return `${kind}/${app}/${stage}/${updateId}.json`;
}

export interface V2StackMetadataKey {
  app: string;
  stage: string;
  /** The CloudFormation stack name, e.g. `production-myapp-Api`. */
  stack: string;
}

function prefixed(segment: string | undefined, prefix: string): string | undefined {
  if (!segment || !segment.startsWith(prefix)) return undefined;
  const rest = segment.slice(prefix.length);
  return rest.length > 0 ? rest : undefined;
}

/** Parses `stackMetadata/app.<app>/stage.<stage>/stack.<stack>.json`. */
export function parseV2StackMetadataKey(key: string): V2StackMetadataKey | undefined {
  const parts = key.split("/");
  if (parts.length !== 4 || parts[0] !== "stackMetadata") return undefined;
  const app = prefixed(parts[1], "app.");
  const stage = prefixed(parts[2], "stage.");
  const stack = stripJson(prefixed(parts[3], "stack."));
  if (!app || !stage || !stack) return undefined;
  return { app, stage, stack };
}

/** Parses `appMetadata/app.<app>/stage.<stage>.json`. */
export function parseV2AppMetadataKey(key: string): { app: string; stage: string } | undefined {
  const parts = key.split("/");
  if (parts.length !== 3 || parts[0] !== "appMetadata") return undefined;
  const app = prefixed(parts[1], "app.");
  const stage = stripJson(prefixed(parts[2], "stage."));
  if (!app || !stage) return undefined;
  return { app, stage };
}

export function v2StackMetadataKey(app: string, stage: string, stack: string): string {
  return `stackMetadata/app.${app}/stage.${stage}/stack.${stack}.json`;
}

export function v2AppMetadataKey(app: string, stage: string): string {
  return `appMetadata/app.${app}/stage.${stage}.json`;
}

export interface V2StageKeys {
  app: string;
  stage: string;
  stackKeys: string[];
  appMetadataKey?: string;
}

/**
 * Groups the keys of a v2 bootstrap bucket listing into stages. A stage exists when at
 * least one of its stacks has a metadata object; an `appMetadata` object alone (left by a
 * failed deploy) does not make a stage.
 */
export function groupV2Keys(keys: Iterable<string>): V2StageKeys[] {
  const stages = new Map<string, V2StageKeys>();
  const appMeta = new Map<string, string>();
  for (const key of keys) {
    const stack = parseV2StackMetadataKey(key);
    if (stack) {
      const id = `${stack.app}\u0000${stack.stage}`;
      let entry = stages.get(id);
      if (!entry) stages.set(id, (entry = { app: stack.app, stage: stack.stage, stackKeys: [] }));
      entry.stackKeys.push(key);
      continue;
    }
    const meta = parseV2AppMetadataKey(key);
    if (meta) appMeta.set(`${meta.app}\u0000${meta.stage}`, key);
  }
  for (const [id, entry] of stages) {
    const meta = appMeta.get(id);
    if (meta) entry.appMetadataKey = meta;
    entry.stackKeys.sort();
  }
  return [...stages.values()].sort((a, b) => (a.app + "/" + a.stage).localeCompare(b.app + "/" + b.stage));
}

/**
 * v3 source map key (SST v3.3.18+): `sourcemap/<logGroupArn>/<hex>.<map file name>` in the
 * asset bucket of the function's region. `hex` is the SHA-256 SST computed over its code zip.
 */
export function v3SourcemapKey(logGroupArn: string, hex: string, mapFile: string): string {
  return `sourcemap/${logGroupArn}/${hex}.${mapFile}`;
}

/** The prefix of every v3 source map of one log group; ends with `/` so `…/fn` does not match `…/fn-2`. */
export function v3SourcemapPrefix(logGroupArn: string): string {
  return `sourcemap/${logGroupArn}/`;
}
