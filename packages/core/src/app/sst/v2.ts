/**
 * SST v2 stage state, read from the `SSTBootstrap` bucket:
 * - `stackMetadata/app.<app>/stage.<stage>/stack.<cfnStackName>.json`: the `metadata` array
 *   of the stack's `SSTMetadata` output, elements `{id, addr, stack, type, data}` (SST v2
 *   `support/bootstrap-metadata-function/index.ts`, `constructs/App.ts`). A `Function`'s data
 *   is `{arn, runtime?, handler?, missingSourcemap?, localId, secrets[], prefetchSecrets?}`
 *   (`constructs/Function.ts` `getConstructMetadata`); `handler` and `runtime` are the ones
 *   of the source (`packages/functions/src/lambda.handler`), not the live stub's.
 * - `appMetadata/app.<app>/stage.<stage>.json`: `{mode: "deploy" | "dev"}`; `dev` means the
 *   stage runs under `sst dev`, so its functions are live stubs.
 */
import { parseJsonBody, type Body } from "./body";
import { isSstStateError, SstStateError } from "./error";
import { stageHash } from "./hash";
import { parseLambdaArn } from "./v3";
import type { StageFunction, StageModel, StageReadResult, StageResource } from "./types";

export interface V2MetadataEntry {
  id: string;
  addr: string;
  stack: string;
  type: string;
  data: Record<string, unknown>;
}

type Json = Record<string, unknown>;
function obj(value: unknown): Json | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
function toIso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Parses one stack metadata document. Malformed entries are skipped with a warning; a
 * document that is not a list throws `SstStateError("unexpected_shape")`.
 */
export function parseV2StackMetadata(doc: unknown, stack: string): { entries: V2MetadataEntry[]; warnings: string[] } {
  // The bootstrap function stores only the `metadata` array; accept the whole output too.
  const list = Array.isArray(doc) ? doc : obj(doc) && Array.isArray((doc as Json).metadata) ? ((doc as Json).metadata as unknown[]) : undefined;
  if (!list) throw new SstStateError("unexpected_shape", `stack metadata of ${stack} is not a list`);
  const warnings: string[] = [];
  const entries: V2MetadataEntry[] = [];
  list.forEach((item, index) => {
    const e = obj(item);
    const type = e && str(e.type);
    const addr = e && (str(e.addr) ?? str(e.id));
    if (!e || !type || !addr) {
      warnings.push(`stack ${stack}: metadata entry #${index} has no type or addr; skipped`);
      return;
    }
    entries.push({ id: str(e.id) ?? addr, addr, stack: str(e.stack) ?? stack, type, data: obj(e.data) ?? {} });
  });
  return { entries, warnings };
}

/** Parses an `appMetadata` document; anything unexpected gives undefined (the mode is only a hint). */
export function parseV2AppMetadata(doc: unknown): { mode: "deploy" | "dev" } | undefined {
  const mode = obj(doc)?.mode;
  return mode === "deploy" || mode === "dev" ? { mode } : undefined;
}

const SITE_TYPES = new Set(["NextjsSite", "AstroSite", "RemixSite", "SolidStartSite", "SvelteKitSite", "SsrSite"]);

export interface V2StackInput {
  stack: string;
  entries: V2MetadataEntry[];
  lastModified?: Date | string;
}

/** Combines the stacks of one v2 stage into a stage model. */
export function buildV2Stage(input: {
  app: string;
  stage: string;
  region?: string;
  stacks: V2StackInput[];
  mode?: "deploy" | "dev";
  warnings?: string[];
}): StageModel {
  const warnings = [...(input.warnings ?? [])];
  const stacks = [...input.stacks].sort((a, b) => a.stack.localeCompare(b.stack));
  const live = input.mode === "dev";
  const resources: StageResource[] = [];
  const functions: StageFunction[] = [];
  const seen = new Set<string>();
  let deployedAt: string | undefined;

  // v2's SsrFunction reports itself as a `Function` whose ARN is the site's server: that
  // function is the site's (internal, never a live stub), listed once, from the site entry.
  const siteServers = new Set<string>();
  for (const s of stacks) for (const e of s.entries) if (SITE_TYPES.has(e.type) && typeof e.data.server === "string") siteServers.add(e.data.server);

  for (const s of stacks) {
    const stackTime = toIso(s.lastModified);
    if (stackTime && (!deployedAt || stackTime > deployedAt)) deployedAt = stackTime;
    if (!seen.has(s.stack)) {
      seen.add(s.stack);
      resources.push({ key: s.stack, type: "Stack", name: s.stack, outputs: {} });
    }
    for (const e of s.entries) {
      if (seen.has(e.addr)) {
        warnings.push(`construct ${e.addr} appears twice; kept the first`);
        continue;
      }
      seen.add(e.addr);
      resources.push({ key: e.addr, type: e.type, name: e.id, parent: s.stack, outputs: e.data });

      if (e.type === "Function" && typeof e.data.arn === "string" && siteServers.has(e.data.arn)) continue;
      if (e.type === "Function") {
        const arn = parseLambdaArn(e.data.arn);
        if (!arn) {
          warnings.push(`function ${e.id} in ${s.stack} has no readable ARN; skipped`);
          continue;
        }
        const fn: StageFunction = {
          key: e.addr,
          component: e.id,
          name: arn.name,
          arn: e.data.arn as string,
          region: arn.region,
          accountId: arn.accountId,
          logGroup: `/aws/lambda/${arn.name}`,
          live,
          liveSignals: live ? ["app_mode_dev"] : [],
          internal: false,
          stack: s.stack,
        };
        const runtime = str(e.data.runtime);
        const handler = str(e.data.handler);
        if (runtime) fn.runtime = runtime;
        if (handler) fn.sourceHandler = handler;
        if (e.data.missingSourcemap === true) fn.missingSourcemap = true;
        if (Array.isArray(e.data.secrets)) fn.secrets = e.data.secrets.filter((x): x is string => typeof x === "string");
        if (stackTime) fn.deployedAt = stackTime;
        functions.push(fn);
      } else if (SITE_TYPES.has(e.type)) {
        // SSR sites record their server function's ARN; list it as an internal function.
        const arn = parseLambdaArn(e.data.server);
        if (!arn) continue;
        const fn: StageFunction = {
          key: `${e.addr}/server`,
          component: e.id,
          name: arn.name,
          arn: e.data.server as string,
          region: arn.region,
          accountId: arn.accountId,
          logGroup: `/aws/lambda/${arn.name}`,
          live: false,
          liveSignals: [],
          internal: true,
          stack: s.stack,
        };
        const runtime = str(e.data.runtime);
        if (runtime) fn.runtime = runtime;
        if (stackTime) fn.deployedAt = stackTime;
        functions.push(fn);
      }
    }
  }

  const model: StageModel = {
    sst: "v2",
    app: input.app,
    stage: input.stage,
    personal: live,
    stacks: stacks.map((s) => s.stack),
    resources,
    functions,
    warnings,
  };
  if (input.region) model.region = input.region;
  if (deployedAt) model.deployedAt = deployedAt;
  if (input.mode) model.mode = input.mode;
  return model;
}

export interface V2StackObject {
  /** The S3 key `stackMetadata/app.<app>/stage.<stage>/stack.<stack>.json`, or just the stack name. */
  stack: string;
  body: Body;
  lastModified?: Date | string;
}

/**
 * Reads one v2 stage from its S3 objects. A malformed stack file is skipped with a warning;
 * the stage is skipped only when every stack file is unreadable. `appMetadata` is the body
 * of `appMetadata/app.<app>/stage.<stage>.json` when it exists.
 */
export function readV2Stage(input: {
  app: string;
  stage: string;
  region?: string;
  stacks: V2StackObject[];
  appMetadata?: Body | null;
}): StageReadResult {
  const { app, stage } = input;
  if (input.stacks.length === 0) return { status: "removed", app, stage, reason: "no_stacks" };
  const warnings: string[] = [];
  const stacks: V2StackInput[] = [];
  let firstError: SstStateError | undefined;
  for (const s of input.stacks) {
    const name = stackNameOf(s.stack);
    try {
      const doc = parseJsonBody(s.body);
      if (doc === undefined) throw new SstStateError("unexpected_shape", `stack metadata of ${name} is empty`);
      const parsed = parseV2StackMetadata(doc, name);
      warnings.push(...parsed.warnings);
      stacks.push({ stack: name, entries: parsed.entries, lastModified: s.lastModified });
    } catch (err) {
      if (!isSstStateError(err)) throw err;
      firstError ??= err;
      warnings.push(`stack ${name} skipped: ${err.code}: ${err.message}`);
    }
  }
  if (stacks.length === 0 && firstError) {
    return { status: "skipped", app, stage, reason: firstError.code, message: firstError.message };
  }
  let mode: "deploy" | "dev" | undefined;
  if (input.appMetadata !== undefined && input.appMetadata !== null) {
    try {
      mode = parseV2AppMetadata(parseJsonBody(input.appMetadata))?.mode;
      if (!mode) warnings.push("appMetadata has no known mode; ignored");
    } catch (err) {
      if (!isSstStateError(err)) throw err;
      warnings.push(`appMetadata ignored: ${err.code}`);
    }
  }
  const model = buildV2Stage({ app, stage, region: input.region, stacks, mode, warnings });
  return { status: "ok", app, stage, model, hash: stageHash(model) };
}

function stackNameOf(keyOrName: string): string {
  const m = /(?:^|\/)stack\.([^/]+)\.json$/.exec(keyOrName);
  return m ? m[1]! : keyOrName;
}
