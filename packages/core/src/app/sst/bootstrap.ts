/**
 * Bootstrap records that tell where an account keeps SST state, per region.
 *
 * v3/v4: SSM parameter `/sst/bootstrap`, a JSON string `{version, asset, state,
 * assetEcrRegistryId, assetEcrUrl, appsyncHttp?, appsyncRealtime?}` (SST
 * `pkg/project/provider/aws.go`, type `AwsBootstrapData`). Early v3 components wrote
 * `/sst/bootstrap/asset` = `{bucket}` (an asset bucket only, no state); SST migrates and
 * deletes it, so finding only that parameter means there is no state to read.
 *
 * v2: CloudFormation stack `SSTBootstrap` with outputs `BucketName` and `Version`
 * (SST v2 `packages/sst/src/bootstrap.ts`).
 */
import { SstStateError } from "./error";

export const V3_BOOTSTRAP_PARAMETER = "/sst/bootstrap";
export const V3_LEGACY_ASSET_PARAMETER = "/sst/bootstrap/asset";
export const V2_BOOTSTRAP_STACK = "SSTBootstrap";

export interface V3Bootstrap {
  /** Number of bootstrap steps applied (5 in current SST). */
  version: number;
  /** Bucket of function code and source maps (`sst-asset-…`). */
  asset: string;
  /** Versioned bucket of state files (`sst-state-…`). */
  state: string;
  assetEcrRegistryId?: string;
  assetEcrUrl?: string;
  appsyncHttp?: string;
  appsyncRealtime?: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function parseObject(value: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new SstStateError("invalid_bootstrap", `${what} is not JSON`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new SstStateError("invalid_bootstrap", `${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Parses the value of `/sst/bootstrap`. Throws `SstStateError("invalid_bootstrap")`. */
export function parseV3Bootstrap(value: string): V3Bootstrap {
  const data = parseObject(value, V3_BOOTSTRAP_PARAMETER);
  const state = optionalString(data.state);
  const asset = optionalString(data.asset);
  if (!state || !BUCKET.test(state)) {
    throw new SstStateError("invalid_bootstrap", `${V3_BOOTSTRAP_PARAMETER} has no valid state bucket`);
  }
  if (asset !== undefined && !BUCKET.test(asset)) {
    throw new SstStateError("invalid_bootstrap", `${V3_BOOTSTRAP_PARAMETER} has an invalid asset bucket`);
  }
  const version = typeof data.version === "number" && Number.isInteger(data.version) ? data.version : 0;
  const result: V3Bootstrap = { version, asset: asset ?? "", state };
  for (const key of ["assetEcrRegistryId", "assetEcrUrl", "appsyncHttp", "appsyncRealtime"] as const) {
    const v = optionalString(data[key]);
    if (v !== undefined) result[key] = v;
  }
  return result;
}

/** Parses the legacy `/sst/bootstrap/asset` value `{bucket}`. */
export function parseV3LegacyAssetParameter(value: string): { asset: string } {
  const data = parseObject(value, V3_LEGACY_ASSET_PARAMETER);
  const bucket = optionalString(data.bucket);
  if (!bucket || !BUCKET.test(bucket)) {
    throw new SstStateError("invalid_bootstrap", `${V3_LEGACY_ASSET_PARAMETER} has no valid bucket`);
  }
  return { asset: bucket };
}

export interface V2Bootstrap {
  bucket: string;
  /** e.g. "7.3" at SST 2.44.0; undefined when the output is missing. */
  version?: string;
}

/**
 * Reads the outputs of an `SSTBootstrap` stack (as returned by DescribeStacks). Returns
 * undefined when there is no usable `BucketName`, e.g. a stack still being created.
 */
export function parseV2BootstrapOutputs(
  outputs: ReadonlyArray<{ OutputKey?: string; OutputValue?: string }> | undefined,
): V2Bootstrap | undefined {
  const get = (k: string) => outputs?.find((o) => o.OutputKey === k)?.OutputValue;
  const bucket = get("BucketName");
  if (!bucket || !BUCKET.test(bucket)) return undefined;
  const version = get("Version");
  return version ? { bucket, version } : { bucket };
}
