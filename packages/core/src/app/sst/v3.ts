/**
 * SST v3/v4 stage state: `app/<app>/<stage>.json` in the state bucket is Pulumi's versioned
 * checkpoint `{version: 3, checkpoint: {stack: "organization/<app>/<stage>", latest:
 * {manifest: {time, magic, version}, secrets_providers, resources: [...]}}}`. SST counts a
 * stage as existing when `latest.resources` is not empty (`pkg/project/provider/aws.go`
 * `listStages`, `pkg/state` `HasResources`).
 */
import { SstStateError } from "./error";
import { lambdaLiveSignals } from "./live";
import { plainOutputs, isPulumiSecret } from "./secret";
import { parseUrn, urnName } from "./urn";
import type { LiveSignal, StageFunction, StageModel, StageResource } from "./types";

export const LAMBDA_TYPE = "aws:lambda/function:Function";
export const FUNCTION_COMPONENT_TYPE = "sst:aws:Function";
const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** Components whose functions are SSR servers or helpers of a site: listed as internal. */
export const SSR_SITE_TYPES: ReadonlySet<string> = new Set([
  "sst:aws:Nextjs",
  "sst:aws:Remix",
  "sst:aws:Astro",
  "sst:aws:SolidStart",
  "sst:aws:SvelteKit",
  "sst:aws:Nuxt",
  // SST's own spelling (platform/src/components/aws/tanstack-start.ts `__pulumiType`).
  "sst:aws:TanstackStart",
  "sst:aws:TanStackStart",
  "sst:aws:React",
  "sst:aws:Analog",
  "sst:aws:SsrSite",
]);

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}
function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export interface LambdaArn {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

/** Parses `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
export function parseLambdaArn(arn: unknown): LambdaArn | undefined {
  if (typeof arn !== "string") return undefined;
  const m = /^arn:([a-z-]+):lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9$_-]+)?$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! };
}

interface RawResource {
  urn: string;
  type: string;
  custom: boolean;
  id?: string;
  parent?: string;
  outputs: unknown;
  created?: unknown;
  modified?: unknown;
}

export type CheckpointParse =
  | { status: "ok"; model: StageModel }
  | { status: "removed"; reason: "no_resources" };

/**
 * Turns a parsed state document into a stage model. `at` is the app and stage from the S3
 * key (authoritative; a mismatching `checkpoint.stack` only adds a warning).
 * Throws `SstStateError("unexpected_shape")` when the document is not a checkpoint.
 */
/**
 * A site component deployed by `sst dev`: SST's SSR sites and StaticSite write
 * `_metadata.mode: "placeholder"` then (and `"deployed"` otherwise). A stage holding one is
 * a personal stage even when none of its functions runs live (an Astro site in dev mode
 * runs its dev server locally; its only Lambda is the placeholder server).
 */
function isDevPlaceholder(r: RawResource): boolean {
  if (!r.type.startsWith("sst:")) return false;
  return obj(obj(r.outputs)?._metadata)?.mode === "placeholder";
}

export function parseV3Checkpoint(doc: unknown, at: { app: string; stage: string }): CheckpointParse {
  const root = obj(doc);
  if (!root) throw new SstStateError("unexpected_shape", "state is not a JSON object");
  const checkpoint = obj(root.checkpoint);
  if (!checkpoint) throw new SstStateError("unexpected_shape", "state has no checkpoint");
  const warnings: string[] = [];
  if (typeof root.version === "number" && root.version > 3) {
    warnings.push(`checkpoint version ${root.version} is newer than 3; read as version 3`);
  }
  const stack = str(checkpoint.stack);
  if (stack && !stack.endsWith(`/${at.app}/${at.stage}`)) {
    warnings.push(`checkpoint stack "${stack}" does not match ${at.app}/${at.stage}`);
  }
  if (checkpoint.latest === undefined || checkpoint.latest === null) return { status: "removed", reason: "no_resources" };
  const latest = obj(checkpoint.latest);
  if (!latest) throw new SstStateError("unexpected_shape", "checkpoint.latest is not an object");
  const rawResources = latest.resources;
  if (rawResources === undefined || rawResources === null) return { status: "removed", reason: "no_resources" };
  if (!Array.isArray(rawResources)) throw new SstStateError("unexpected_shape", "checkpoint.latest.resources is not a list");
  if (rawResources.length === 0) return { status: "removed", reason: "no_resources" };

  const deployedAt = isoTime(obj(latest.manifest)?.time);

  const raws: RawResource[] = [];
  const seen = new Set<string>();
  rawResources.forEach((entry, index) => {
    const r = obj(entry);
    const urn = r && str(r.urn);
    const type = r && str(r.type);
    if (!r || !urn || !type) {
      warnings.push(`resource #${index} has no urn or type; skipped`);
      return;
    }
    // A replaced resource's old copy, kept until Pulumi deletes it: not part of the stage.
    if (r.delete === true) return;
    if (seen.has(urn)) {
      warnings.push(`resource ${urn} appears twice; kept the first`);
      return;
    }
    seen.add(urn);
    raws.push({
      urn,
      type,
      custom: r.custom === true,
      id: str(r.id),
      parent: str(r.parent),
      outputs: r.outputs,
      created: r.created,
      modified: r.modified,
    });
  });
  if (raws.length === 0) {
    throw new SstStateError("unexpected_shape", "checkpoint has resources but none is readable");
  }

  const byUrn = new Map(raws.map((r) => [r.urn, r]));
  const resources: StageResource[] = raws.map((r) => {
    const res: StageResource = { key: r.urn, type: r.type, name: urnName(r.urn), outputs: plainOutputs(r.outputs) };
    if (r.parent) res.parent = r.parent;
    res.custom = r.custom;
    if (r.id) res.physicalId = r.id;
    const created = isoTime(r.created);
    const modified = isoTime(r.modified);
    if (created) res.createdAt = created;
    if (modified) res.modifiedAt = modified;
    return res;
  });

  const functions: StageFunction[] = [];
  for (const r of raws) {
    if (r.type !== LAMBDA_TYPE) continue;
    const fn = lambdaFunction(r, byUrn, deployedAt, warnings);
    if (fn) functions.push(fn);
  }

  const region = providerRegion(raws);
  const model: StageModel = {
    sst: "v3",
    app: at.app,
    stage: at.stage,
    personal: functions.some((f) => f.live) || raws.some(isDevPlaceholder),
    resources,
    functions,
    warnings,
  };
  if (region) model.region = region;
  if (deployedAt) model.deployedAt = deployedAt;
  return { status: "ok", model };
}

function providerRegion(raws: RawResource[]): string | undefined {
  // SST registers its configured AWS provider as Pulumi's default provider (`default_<version>`).
  const providers = raws.filter((r) => r.type === AWS_PROVIDER_TYPE);
  const pick = providers.find((p) => urnName(p.urn).startsWith("default")) ?? providers[0];
  if (!pick) return undefined;
  return str(obj(pick.outputs)?.region);
}

function lambdaFunction(
  r: RawResource,
  byUrn: Map<string, RawResource>,
  deployedAt: string | undefined,
  warnings: string[],
): StageFunction | undefined {
  const out = obj(r.outputs) ?? {};
  const arnValue = isPulumiSecret(out.arn) ? undefined : out.arn;
  const arn = parseLambdaArn(arnValue);
  if (!arn) {
    warnings.push(`function ${r.urn} has no readable ARN; skipped`);
    return undefined;
  }
  const parent = r.parent ? byUrn.get(r.parent) : undefined;
  const component = parent && parent.type === FUNCTION_COMPONENT_TYPE ? parent : undefined;
  const componentOut = component ? (obj(component.outputs) ?? {}) : {};
  const metadata = obj(componentOut._metadata);
  const liveOut = obj(componentOut._live);

  const plain = plainOutputs(out);
  const name = str(plain.name) ?? arn.name;
  const runtime = str(plain.runtime);
  const handler = str(plain.handler);
  const description = typeof plain.description === "string" ? plain.description : undefined;
  const environment = obj(obj(plain.environment)?.variables);

  const liveSignals: LiveSignal[] = [];
  if (liveOut) liveSignals.push("component_live");
  if (metadata?.dev === true) liveSignals.push("component_dev");
  const fromLambda = lambdaLiveSignals(
    { runtime, handler, description, environment },
    // SST always writes a description, and `_metadata.dev` (when present) settles the question.
    { descriptionKnown: description !== undefined || typeof metadata?.dev === "boolean" || liveSignals.length > 0 },
  );
  for (const s of fromLambda) if (!liveSignals.includes(s)) liveSignals.push(s);

  const urn = parseUrn(r.urn);
  const ancestors = urn?.ancestorTypes ?? [];
  const internal = metadata?.internal === true || ancestors.some((t) => SSR_SITE_TYPES.has(t));

  const logGroup = str(obj(plain.loggingConfig)?.logGroup) ?? `/aws/lambda/${name}`;
  const architectures = plain.architectures;
  const architecture = Array.isArray(architectures) && typeof architectures[0] === "string" ? architectures[0] : undefined;

  const fn: StageFunction = {
    key: r.urn,
    component: component ? urnName(component.urn) : urnName(r.urn),
    name,
    arn: arnValue as string,
    region: arn.region,
    accountId: arn.accountId,
    logGroup,
    live: liveSignals.length > 0,
    liveSignals,
    internal,
  };
  if (component) fn.componentKey = component.urn;
  if (runtime) fn.runtime = runtime;
  if (handler) fn.handler = handler;
  const sourceHandler = str(metadata?.handler) ?? str(liveOut?.handler);
  if (sourceHandler) fn.sourceHandler = sourceHandler;
  if (description !== undefined) fn.description = description;
  const memorySize = num(plain.memorySize);
  const timeout = num(plain.timeout);
  const codeSize = num(plain.sourceCodeSize);
  if (memorySize !== undefined) fn.memorySize = memorySize;
  if (timeout !== undefined) fn.timeout = timeout;
  if (codeSize !== undefined) fn.codeSize = codeSize;
  if (architecture) fn.architecture = architecture;
  if (deployedAt) fn.deployedAt = deployedAt;
  const modified = isoTime(r.modified) ?? isoTime(r.created);
  if (modified) fn.modifiedAt = modified;
  return fn;
}

