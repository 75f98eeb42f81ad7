/**
 * Reading what SST left in one region of a customer account: the v3 bootstrap
 * parameter and the v2 bootstrap stack, the state objects of every stage (every
 * listing page), and the body of only those objects whose ETag changed since the
 * last scan. Parsing is pure (../../app/sst); what was read is stored by ./store.ts.
 */
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { StoredStage } from "../../app";
import {
  V2_APP_METADATA_PREFIX,
  V2_BOOTSTRAP_STACK,
  V2_STACK_METADATA_PREFIX,
  V3_BOOTSTRAP_PARAMETER,
  V3_STAGE_PREFIX,
  groupV2Keys,
  parseV2BootstrapOutputs,
  parseV3Bootstrap,
  parseV3StageKey,
  readV2Stage,
  readV3Stage,
  type StageReadResult,
} from "../../app/sst";
import { Customer, type Credentials } from "../../aws/customer";
import { sha256 } from "../../id";
import { mapLimit } from "../../util/pool";

export interface ScanResult {
  regions: number;
  regionsWithSst: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: number;
  objectsFetched: number;
  warnings: string[];
}

export function emptyResult(regions = 0): ScanResult {
  return { regions, regionsWithSst: regions, created: 0, updated: 0, unchanged: 0, removed: 0, skipped: 0, objectsFetched: 0, warnings: [] };
}

/** One region of one connection, as a scan sees it. */
export interface RegionContext {
  connectionId: string;
  accountId: string;
  credentials: Credentials;
  region: string;
  /** The stages stored for this region before the scan. */
  stored: StoredStage[];
  result: ScanResult;
}

/** What a walk over a bucket reports for each stage it finds. */
export interface StageVisitor {
  /** The stage's objects did not change since the last scan (nothing fetched). */
  unchanged(stored: StoredStage): void;
  /** The stage was read (or found removed) with the tag of the objects it was read from. */
  read(read: StageReadResult, sourceTag: string): Promise<void>;
}

const OBJECT_CONCURRENCY = 8;

export function errorName(err: unknown) {
  return (err as { name?: string })?.name ?? "Error";
}

export function describe(err: unknown) {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}

export function clients(ctx: Pick<RegionContext, "credentials" | "region" | "accountId" | "connectionId">) {
  const opts = { region: ctx.region, credentials: ctx.credentials, accountId: ctx.accountId, connectionId: ctx.connectionId };
  return {
    s3: Customer.client(S3Client, opts),
    ssm: Customer.client(SSMClient, opts),
    cfn: Customer.client(CloudFormationClient, opts),
    events: Customer.client(EventBridgeClient, opts),
  };
}

export function storedByName(stored: StoredStage[], app: string, stage: string) {
  return stored.find((s) => s.app === app && s.name === stage);
}

export async function listKeys(s3: S3Client, bucket: string, prefix: string) {
  const objects: { key: string; etag: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, etag: o.ETag ?? "", size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

export async function getObject(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | null> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (err) {
    if (errorName(err) === "NoSuchKey" || errorName(err) === "NotFound") return null;
    throw err;
  }
}

/** The region's bootstrap: the v3 state and asset buckets, the v2 bucket. Read failures become warnings. */
export async function readBootstrap(ctx: RegionContext) {
  const { ssm, cfn } = clients(ctx);
  let v3: { state: string; asset: string } | undefined;
  let v2: { bucket: string } | undefined;
  try {
    const res = await ssm.send(new GetParameterCommand({ Name: V3_BOOTSTRAP_PARAMETER, WithDecryption: true }));
    if (res.Parameter?.Value) v3 = parseV3Bootstrap(res.Parameter.Value);
  } catch (err) {
    if (errorName(err) !== "ParameterNotFound") ctx.result.warnings.push(`${ctx.region}: could not read ${V3_BOOTSTRAP_PARAMETER} (${describe(err)})`);
  }
  try {
    const res = await cfn.send(new DescribeStacksCommand({ StackName: V2_BOOTSTRAP_STACK }));
    v2 = parseV2BootstrapOutputs(res.Stacks?.[0]?.Outputs);
  } catch (err) {
    const message = (err as Error).message ?? "";
    if (!(errorName(err) === "ValidationError" && /does not exist/i.test(message))) {
      ctx.result.warnings.push(`${ctx.region}: could not read the ${V2_BOOTSTRAP_STACK} stack (${describe(err)})`);
    }
  }
  return { v3, v2 };
}

/** Every v3 stage of a state bucket: unchanged ones by ETag, the others fetched and read. */
export async function readV3Bucket(ctx: RegionContext, bucket: string, visit: StageVisitor) {
  const { s3 } = clients(ctx);
  const objects = (await listKeys(s3, bucket, V3_STAGE_PREFIX)).filter((o) => parseV3StageKey(o.key));
  await mapLimit(objects, OBJECT_CONCURRENCY, async (o) => {
    const at = parseV3StageKey(o.key)!;
    const stored = storedByName(ctx.stored, at.app, at.stage);
    if (stored && stored.sourceTag === o.etag) {
      visit.unchanged(stored);
      return;
    }
    // `sst remove` leaves an empty state file: removed, no need to fetch it.
    if (o.size === 0) {
      await visit.read({ status: "removed", app: at.app, stage: at.stage, reason: "empty_file" }, o.etag);
      return;
    }
    const body = await getObject(s3, bucket, o.key);
    ctx.result.objectsFetched++;
    if (body === null) return;
    await visit.read(readV3Stage({ key: o.key, body }), o.etag);
  });
}

/** The tag of a v2 stage: its objects' keys and ETags. */
export function v2SourceTag(keys: string[], etags: Map<string, string>) {
  return sha256(keys.map((k) => `${k}=${etags.get(k)}`).join("\n"));
}

/** Fetches and reads one v2 stage (its stacks' metadata and the app metadata). */
export async function readV2(s3: S3Client, bucket: string, region: string, stage: { app: string; stage: string; stackKeys: string[]; appMetadataKey?: string }) {
  const stacks = await mapLimit(stage.stackKeys, OBJECT_CONCURRENCY, async (key) => ({ stack: key, body: await getObject(s3, bucket, key) }));
  const appMetadata = stage.appMetadataKey ? await getObject(s3, bucket, stage.appMetadataKey) : null;
  return {
    fetched: stacks.length + (stage.appMetadataKey ? 1 : 0),
    read: readV2Stage({
      app: stage.app,
      stage: stage.stage,
      region,
      stacks: stacks.filter((s): s is { stack: string; body: Uint8Array } => s.body !== null),
      appMetadata,
    }),
  };
}

/** Every v2 stage of an `SSTBootstrap` bucket: unchanged ones by their objects' ETags, the others fetched and read. */
export async function readV2Bucket(ctx: RegionContext, bucket: string, visit: StageVisitor) {
  const { s3 } = clients(ctx);
  const objects = [...(await listKeys(s3, bucket, V2_STACK_METADATA_PREFIX)), ...(await listKeys(s3, bucket, V2_APP_METADATA_PREFIX))];
  const etags = new Map(objects.map((o) => [o.key, o.etag]));
  const stages = groupV2Keys(objects.map((o) => o.key));
  await mapLimit(stages, OBJECT_CONCURRENCY, async (stage) => {
    const keys = [...stage.stackKeys, ...(stage.appMetadataKey ? [stage.appMetadataKey] : [])];
    const sourceTag = v2SourceTag(keys, etags);
    const stored = storedByName(ctx.stored, stage.app, stage.stage);
    if (stored && stored.sourceTag === sourceTag) {
      visit.unchanged(stored);
      return;
    }
    const { fetched, read } = await readV2(s3, bucket, ctx.region, stage);
    ctx.result.objectsFetched += fetched;
    await visit.read(read, sourceTag);
  });
}
