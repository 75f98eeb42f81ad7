/**
 * Discovery: finds every SST app and stage in a connected account.
 *
 * Every enabled region is scanned with bounded concurrency. In each region the scan
 * reads the v3 bootstrap parameter and the v2 bootstrap stack, lists the state
 * objects (every page), and fetches only the objects whose ETag changed since the
 * last scan; parsing is pure (../app/sst). So the AWS calls grow with regions,
 * listing pages and changed stages, never with resources, and a rescan that finds
 * nothing changed fetches no state object and writes no app, stage or resource row.
 *
 * Along the way it turns on EventBridge notifications for the watched buckets and
 * creates the forwarding rule outside the stack's region, recording both so that
 * disconnect can undo exactly that.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { DescribeRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { TEMPLATE_REGION, bootstrapRuleInputs, bootstrapRuleName, bootstrapEventPattern } from "@console/workspace-template";
import { Actor } from "../actor";
import { App, type StoredStage } from "../app";
import {
  V2_APP_METADATA_PREFIX,
  V2_BOOTSTRAP_STACK,
  V2_STACK_METADATA_PREFIX,
  V3_BOOTSTRAP_PARAMETER,
  V3_STAGE_PREFIX,
  groupV2Keys,
  parseV2BootstrapOutputs,
  parseV2StackMetadataKey,
  parseV2AppMetadataKey,
  parseV3Bootstrap,
  parseV3StageKey,
  readV2Stage,
  readV3Stage,
  type StageReadResult,
} from "../app/sst";
import { Customer, type Credentials } from "../aws/customer";
import { Database } from "../db";
import { env } from "../env";
import { sha256 } from "../id";
import { log } from "../util/log";
import { mapLimit } from "../util/pool";
import { Account } from "./index";
import { awsAccountTable, awsRegionTable, type ScanProgress } from "./account.sql";
import { ConsoleIdentity } from "./config";
import { setEventBridgeNotifications } from "./notifications";

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

interface RegionContext {
  connectionId: string;
  accountId: string;
  credentials: Credentials;
  region: string;
  stored: StoredStage[];
  result: ScanResult;
}

interface RegionRecord {
  region: string;
  stateBucket: string | null;
  assetBucket: string | null;
  v2Bucket: string | null;
  notificationsEnabled: string[] | null;
  ruleName: string | null;
  ruleManaged: boolean;
}

const OBJECT_CONCURRENCY = 8;

function errorName(err: unknown) {
  return (err as { name?: string })?.name ?? "Error";
}

function describe(err: unknown) {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}

function clients(ctx: Pick<RegionContext, "credentials" | "region" | "accountId" | "connectionId">) {
  const opts = { region: ctx.region, credentials: ctx.credentials, accountId: ctx.accountId, connectionId: ctx.connectionId };
  return {
    s3: Customer.client(S3Client, opts),
    ssm: Customer.client(SSMClient, opts),
    cfn: Customer.client(CloudFormationClient, opts),
    events: Customer.client(EventBridgeClient, opts),
  };
}

async function listKeys(s3: S3Client, bucket: string, prefix: string) {
  const objects: { key: string; etag: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) objects.push({ key: o.Key, etag: o.ETag ?? "", size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

async function getObject(s3: S3Client, bucket: string, key: string): Promise<Uint8Array | null> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (err) {
    if (errorName(err) === "NoSuchKey" || errorName(err) === "NotFound") return null;
    throw err;
  }
}

async function readBootstrap(ctx: RegionContext) {
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

function storedByName(stored: StoredStage[], app: string, stage: string) {
  return stored.find((s) => s.app === app && s.name === stage);
}

async function apply(ctx: RegionContext, read: StageReadResult, sourceTag: string, seen: Set<string>) {
  if (read.status === "skipped") {
    ctx.result.skipped++;
    ctx.result.warnings.push(`${ctx.region}: skipped ${read.app ?? "?"}/${read.stage ?? "?"} (${read.reason}: ${read.message})`);
    // Keep a stage we already know rather than dropping it over one unreadable object.
    const known = read.app && read.stage ? storedByName(ctx.stored, read.app, read.stage) : undefined;
    if (known) seen.add(known.id);
    return;
  }
  const stored = storedByName(ctx.stored, read.app, read.stage);
  if (read.status === "removed") {
    // Remember the removed object's tag, so the next scan does not fetch it again.
    await App.tombstone({ connectionId: ctx.connectionId, region: ctx.region, app: read.app, stage: read.stage, sourceTag, stored });
    if (stored) seen.add(stored.id);
    if (stored && !stored.timeDeleted) ctx.result.removed++;
    return;
  }
  if (stored) seen.add(stored.id);
  if (stored) seen.add(stored.id);
  const outcome = await App.applyStage({ connectionId: ctx.connectionId, region: ctx.region, model: read.model, hash: read.hash, sourceTag, stored });
  ctx.result[outcome]++;
}

async function scanV3(ctx: RegionContext, bucket: string, seen: Set<string>) {
  const { s3 } = clients(ctx);
  const objects = (await listKeys(s3, bucket, V3_STAGE_PREFIX)).filter((o) => parseV3StageKey(o.key));
  await mapLimit(objects, OBJECT_CONCURRENCY, async (o) => {
    const at = parseV3StageKey(o.key)!;
    const stored = storedByName(ctx.stored, at.app, at.stage);
    if (stored && stored.sourceTag === o.etag) {
      seen.add(stored.id);
      if (!stored.timeDeleted) ctx.result.unchanged++;
      return;
    }
    // `sst remove` leaves an empty state file: removed, no need to fetch it.
    if (o.size === 0) {
      await apply(ctx, { status: "removed", app: at.app, stage: at.stage, reason: "empty_file" }, o.etag, seen);
      return;
    }
    const body = await getObject(s3, bucket, o.key);
    ctx.result.objectsFetched++;
    if (body === null) return;
    await apply(ctx, readV3Stage({ key: o.key, body }), o.etag, seen);
  });
}

async function readV2(s3: S3Client, bucket: string, region: string, stage: { app: string; stage: string; stackKeys: string[]; appMetadataKey?: string }) {
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

async function scanV2(ctx: RegionContext, bucket: string, seen: Set<string>) {
  const { s3 } = clients(ctx);
  const objects = [...(await listKeys(s3, bucket, V2_STACK_METADATA_PREFIX)), ...(await listKeys(s3, bucket, V2_APP_METADATA_PREFIX))];
  const etags = new Map(objects.map((o) => [o.key, o.etag]));
  const stages = groupV2Keys(objects.map((o) => o.key));
  await mapLimit(stages, OBJECT_CONCURRENCY, async (stage) => {
    const keys = [...stage.stackKeys, ...(stage.appMetadataKey ? [stage.appMetadataKey] : [])];
    const sourceTag = sha256(keys.map((k) => `${k}=${etags.get(k)}`).join("\n"));
    const stored = storedByName(ctx.stored, stage.app, stage.stage);
    if (stored && stored.sourceTag === sourceTag) {
      seen.add(stored.id);
      if (!stored.timeDeleted) ctx.result.unchanged++;
      return;
    }
    const { fetched, read } = await readV2(s3, bucket, ctx.region, stage);
    ctx.result.objectsFetched += fetched;
    await apply(ctx, read, sourceTag, seen);
  });
}

/** Turns on EventBridge notifications for `bucket` when they are off; true when this call turned them on. */
function ensureNotifications(ctx: RegionContext, bucket: string): Promise<boolean> {
  return setEventBridgeNotifications(clients(ctx).s3, bucket, true);
}

/** Outside the stack's region, the console creates the forwarding rule itself. */
async function ensureRule(ctx: RegionContext): Promise<boolean> {
  if (ctx.region === TEMPLATE_REGION) return false;
  const { events } = clients(ctx);
  const name = bootstrapRuleName(ctx.connectionId);
  try {
    const rule = await events.send(new DescribeRuleCommand({ Name: name }));
    if (rule.EventPattern && JSON.stringify(JSON.parse(rule.EventPattern)) === JSON.stringify(bootstrapEventPattern())) return true;
  } catch (err) {
    if (errorName(err) !== "ResourceNotFoundException") throw err;
  }
  const inputs = bootstrapRuleInputs({ connectionId: ctx.connectionId, accountId: ctx.accountId, busArn: await ConsoleIdentity.busArn() });
  await events.send(new PutRuleCommand(inputs.putRule));
  await events.send(new PutTargetsCommand(inputs.putTargets));
  return true;
}

async function saveRegion(connectionId: string, before: RegionRecord | undefined, after: RegionRecord) {
  const same =
    before &&
    before.stateBucket === after.stateBucket &&
    before.assetBucket === after.assetBucket &&
    before.v2Bucket === after.v2Bucket &&
    before.ruleManaged === after.ruleManaged &&
    before.ruleName === after.ruleName &&
    JSON.stringify(before.notificationsEnabled ?? []) === JSON.stringify(after.notificationsEnabled ?? []);
  if (same) return;
  const workspaceId = Actor.workspaceId();
  await Database.use((db) =>
    db
      .insert(awsRegionTable)
      .values({ workspaceId, connectionId, ...after })
      .onDuplicateKeyUpdate({
        set: {
          stateBucket: after.stateBucket,
          assetBucket: after.assetBucket,
          v2Bucket: after.v2Bucket,
          notificationsEnabled: after.notificationsEnabled,
          ruleName: after.ruleName,
          ruleManaged: after.ruleManaged,
        },
      }),
  );
}

async function regionRecords(connectionId: string): Promise<Map<string, RegionRecord>> {
  const workspaceId = Actor.workspaceId();
  const rows = await Database.use((db) =>
    db
      .select({
        region: awsRegionTable.region,
        stateBucket: awsRegionTable.stateBucket,
        assetBucket: awsRegionTable.assetBucket,
        v2Bucket: awsRegionTable.v2Bucket,
        notificationsEnabled: awsRegionTable.notificationsEnabled,
        ruleName: awsRegionTable.ruleName,
        ruleManaged: awsRegionTable.ruleManaged,
      })
      .from(awsRegionTable)
      .where(and(eq(awsRegionTable.workspaceId, workspaceId), eq(awsRegionTable.connectionId, connectionId))),
  );
  return new Map(rows.map((r) => [r.region, r]));
}

async function scanRegion(ctx: RegionContext, before: RegionRecord | undefined) {
  const { v3, v2 } = await readBootstrap(ctx);
  const seen = new Set<string>();
  const record: RegionRecord = {
    region: ctx.region,
    stateBucket: v3?.state ?? null,
    assetBucket: v3?.asset || null,
    v2Bucket: v2?.bucket ?? null,
    notificationsEnabled: [...(before?.notificationsEnabled ?? [])],
    ruleName: before?.ruleName ?? null,
    ruleManaged: before?.ruleManaged ?? false,
  };
  let failedListing = false;
  for (const [bucket, scan] of [
    [v3?.state, scanV3],
    [v2?.bucket, scanV2],
  ] as const) {
    if (!bucket) continue;
    try {
      await scan(ctx, bucket, seen);
    } catch (err) {
      failedListing = true;
      ctx.result.warnings.push(`${ctx.region}: could not read bucket ${bucket} (${describe(err)})`);
    }
    try {
      if ((await ensureNotifications(ctx, bucket)) && !record.notificationsEnabled!.includes(bucket)) record.notificationsEnabled!.push(bucket);
    } catch (err) {
      ctx.result.warnings.push(`${ctx.region}: could not turn on EventBridge notifications for ${bucket} (${describe(err)})`);
    }
  }
  if (v3?.state || v2?.bucket) {
    ctx.result.regionsWithSst++;
    try {
      if (await ensureRule(ctx)) {
        record.ruleName = bootstrapRuleName(ctx.connectionId);
        record.ruleManaged = true;
      }
    } catch (err) {
      ctx.result.warnings.push(`${ctx.region}: could not create the forwarding rule (${describe(err)})`);
    }
  }
  if (before || v3 || v2) await saveRegion(ctx.connectionId, before, record);
  // Stages we stored for this region that the listing no longer has are gone from AWS.
  if (!failedListing) {
    const gone = ctx.stored.filter((s) => !s.timeDeleted && !seen.has(s.id)).map((s) => s.id);
    if (gone.length) {
      await App.removeStages(ctx.connectionId, gone);
      ctx.result.removed += gone.length;
    }
  }
}

export namespace Scan {
  /** Scans connection `connectionId` of the current workspace (system). */
  export async function run(connectionId: string, options: { onProgress?: (p: ScanProgress) => void } = {}): Promise<ScanResult> {
    const result: ScanResult = { regions: 0, regionsWithSst: 0, created: 0, updated: 0, unchanged: 0, removed: 0, skipped: 0, objectsFetched: 0, warnings: [] };
    const account = await Account.get(connectionId);
    if (!account.accountId || account.status === "disconnecting") return result;
    let credentials: Credentials;
    let access;
    try {
      access = await Account.access(connectionId);
      credentials = await Customer.credentials(access);
    } catch (err) {
      await Account.markScanned(connectionId, { failed: true, reason: (err as Error).message });
      throw err;
    }
    const progress: ScanProgress = { regionsTotal: 0, regionsDone: 0, current: [], stagesFound: 0, startedAt: new Date().toISOString() };
    await Account.markScanning(connectionId, progress);
    let lastWrite = Date.now();
    const report = async (force = false) => {
      options.onProgress?.({ ...progress });
      if (force || Date.now() - lastWrite > 1500) {
        lastWrite = Date.now();
        await Account.updateProgress(connectionId, progress);
      }
    };
    try {
      const ec2 = Customer.client(EC2Client, { region: TEMPLATE_REGION, credentials, accountId: access.accountId, connectionId });
      const described = await ec2.send(new DescribeRegionsCommand({}));
      const regions = (described.Regions ?? [])
        .filter((r) => r.RegionName && r.OptInStatus !== "not-opted-in")
        .map((r) => r.RegionName!)
        .sort();
      result.regions = regions.length;
      progress.regionsTotal = regions.length;
      await report(true);
      const [stored, records] = await Promise.all([App.storedStages(connectionId), regionRecords(connectionId)]);
      await mapLimit(regions, env.SCAN_CONCURRENCY, async (region) => {
        progress.current = [...(progress.current ?? []), region];
        const ctx: RegionContext = {
          connectionId,
          accountId: access.accountId,
          credentials,
          region,
          stored: stored.filter((s) => s.region === region),
          result,
        };
        try {
          await scanRegion(ctx, records.get(region));
        } catch (err) {
          result.warnings.push(`${region}: ${describe(err)}`);
        }
        progress.current = (progress.current ?? []).filter((r) => r !== region);
        progress.regionsDone++;
        progress.stagesFound = result.created + result.updated + result.unchanged;
        await report();
      });
      await Account.markScanned(connectionId, { reason: result.warnings.length ? result.warnings.slice(0, 5).join("; ") : null });
    } catch (err) {
      await Account.markScanned(connectionId, { failed: true, reason: `Scan failed: ${describe(err)}` });
      throw err;
    }
    log.info("scan finished", { connectionId, ...result, warnings: result.warnings.length });
    return result;
  }

  /**
   * Re-reads the one stage an S3 object belongs to (from a bootstrap bucket event).
   * Keys that are not stage state (updates, snapshots, locks) change nothing.
   */
  export async function syncObject(connectionId: string, region: string, bucket: string, key: string): Promise<"synced" | "ignored"> {
    const access = await Account.access(connectionId);
    const credentials = await Customer.credentials(access);
    const result: ScanResult = { regions: 1, regionsWithSst: 1, created: 0, updated: 0, unchanged: 0, removed: 0, skipped: 0, objectsFetched: 0, warnings: [] };
    const stored = (await App.storedStages(connectionId, region));
    const ctx: RegionContext = { connectionId, accountId: access.accountId, credentials, region, stored, result };
    const { s3 } = clients(ctx);
    const seen = new Set<string>();
    const v3 = parseV3StageKey(key);
    const v2 = parseV2StackMetadataKey(key) ?? parseV2AppMetadataKey(key);
    if (!v3 && !v2) return "ignored";
    const at = (v3 ?? v2)!;
    let read: StageReadResult;
    let sourceTag: string;
    if (v3) {
      const listed = await listKeys(s3, bucket, key);
      const object = listed.find((o) => o.key === key);
      const body = object ? await getObject(s3, bucket, key) : null;
      read = body === null ? { status: "removed", app: at.app, stage: at.stage, reason: "empty_file" } : readV3Stage({ key, body });
      sourceTag = object?.etag ?? "";
    } else {
      const prefix = `${V2_STACK_METADATA_PREFIX}app.${at.app}/stage.${at.stage}/`;
      const objects = [...(await listKeys(s3, bucket, prefix)), ...(await listKeys(s3, bucket, `${V2_APP_METADATA_PREFIX}app.${at.app}/stage.${at.stage}.json`))];
      const stage = groupV2Keys(objects.map((o) => o.key))[0] ?? { app: at.app, stage: at.stage, stackKeys: [] };
      const etags = new Map(objects.map((o) => [o.key, o.etag]));
      const keys = [...stage.stackKeys, ...(stage.appMetadataKey ? [stage.appMetadataKey] : [])];
      sourceTag = sha256(keys.map((k) => `${k}=${etags.get(k)}`).join("\n"));
      read = (await readV2(s3, bucket, region, stage)).read;
    }
    await apply(ctx, read, sourceTag, seen);
    return "synced";
  }

  /**
   * A bootstrap bucket event forwarded from a customer account. Trusted for nothing
   * but its source account (set by EventBridge) and bucket: the stage is re-read from
   * AWS through each connection of that account that recorded that bucket. Returns
   * how many connections it synced; 0 means the event was refused.
   */
  export async function fromBucketEvent(event: {
    source?: string;
    account?: string;
    region?: string;
    "detail-type"?: string;
    detail?: { bucket?: { name?: string }; object?: { key?: string } };
  }): Promise<number> {
    const account = event.account;
    const bucket = event.detail?.bucket?.name;
    const rawKey = event.detail?.object?.key;
    if (event.source !== "aws.s3" || !account || !/^\d{12}$/.test(account) || !bucket || !rawKey) return 0;
    const key = parseV3StageKey(rawKey) || parseV2StackMetadataKey(rawKey) || parseV2AppMetadataKey(rawKey) ? rawKey : safeDecode(rawKey);
    const targets = await Database.use((db) =>
      db
        .select({ workspaceId: awsAccountTable.workspaceId, connectionId: awsAccountTable.id, region: awsRegionTable.region })
        .from(awsAccountTable)
        .innerJoin(
          awsRegionTable,
          and(eq(awsRegionTable.workspaceId, awsAccountTable.workspaceId), eq(awsRegionTable.connectionId, awsAccountTable.id)),
        )
        .where(
          and(
            eq(awsAccountTable.accountId, account),
            inArray(awsAccountTable.status, ["connected", "scanning"]),
            or(eq(awsRegionTable.stateBucket, bucket), eq(awsRegionTable.v2Bucket, bucket)),
          ),
        ),
    );
    let synced = 0;
    for (const t of targets) {
      await Actor.system("bucket-event", { id: t.workspaceId, slug: "" }, async () => {
        try {
          if ((await syncObject(t.connectionId, t.region, bucket, key)) === "synced") synced++;
        } catch (err) {
          log.warn("bucket event sync failed", { connectionId: t.connectionId, err });
        }
      });
    }
    if (!targets.length) log.warn("bucket event refused: no connection has this account and bucket", { account });
    return synced;
  }
}

function safeDecode(key: string) {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}
