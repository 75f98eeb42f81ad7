/**
 * Bootstrap bucket events: a customer account forwards the S3 events of its SST
 * bootstrap buckets to the console's bus (../watch.ts set that up), and the one
 * stage an object belongs to is read again.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { Actor } from "../../actor";
import { App } from "../../app";
import {
  V2_APP_METADATA_PREFIX,
  V2_STACK_METADATA_PREFIX,
  groupV2Keys,
  parseV2AppMetadataKey,
  parseV2StackMetadataKey,
  parseV3StageKey,
  parseV3StateKey,
  readV3Stage,
  type StageReadResult,
} from "../../app/sst";
import { Customer } from "../../aws/customer";
import { Database } from "../../db";
import * as DeploySync from "../../deploy/sync";
import { log } from "../../util/log";
import { Account } from "../index";
import { awsAccountTable, awsRegionTable } from "../account.sql";
import { clients, emptyResult, getObject, listKeys, readV2, v2SourceTag, type RegionContext } from "./read";
import { storeStage } from "./store";

/** An S3 event as EventBridge delivers it (only the fields read here). */
export interface BucketEvent {
  source?: string;
  account?: string;
  region?: string;
  "detail-type"?: string;
  detail?: { bucket?: { name?: string }; object?: { key?: string } };
}

/**
 * Re-reads the one stage an S3 object belongs to (from a bootstrap bucket event).
 * Keys that are not stage state (updates, snapshots, locks) change nothing.
 */
export async function syncObject(connectionId: string, region: string, bucket: string, key: string): Promise<"synced" | "ignored"> {
  const access = await Account.access(connectionId);
  const credentials = await Customer.credentials(access);
  const stored = await App.storedStages(connectionId, region);
  const ctx: RegionContext = { connectionId, accountId: access.accountId, credentials, region, stored, result: emptyResult(1) };
  const { s3 } = clients(ctx);
  const v3 = parseV3StageKey(key);
  const v2 = parseV2StackMetadataKey(key) ?? parseV2AppMetadataKey(key);
  const deployKey = parseV3StateKey(key);
  if (deployKey?.updateId && (deployKey.kind === "update" || deployKey.kind === "eventlog")) {
    // A deploy's record or event log: re-read that one deploy of a known stage.
    const stage = stored.find((s) => s.app === deployKey.app && s.name === deployKey.stage);
    if (!stage) return "ignored";
    await DeploySync.syncStage(s3, bucket, stage, deployKey.updateId);
    return "synced";
  }
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
    sourceTag = v2SourceTag([...stage.stackKeys, ...(stage.appMetadataKey ? [stage.appMetadataKey] : [])], etags);
    read = (await readV2(s3, bucket, region, stage)).read;
  }
  await storeStage(ctx, read, sourceTag, new Set());
  if (v3 && read.status === "ok") {
    // The stage's deploys: a new stage's first ones arrived before the stage existed.
    const stage = (await App.storedStages(connectionId, region)).find((s) => s.app === at.app && s.name === at.stage);
    if (stage) await DeploySync.syncStage(s3, bucket, stage);
  }
  return "synced";
}

/**
 * A bootstrap bucket event forwarded from a customer account. Trusted for nothing
 * but its source account (set by EventBridge) and bucket: the stage is re-read from
 * AWS through each connection of that account that recorded that bucket. Returns
 * how many connections it synced; 0 means the event was refused.
 */
export async function fromBucketEvent(event: BucketEvent): Promise<number> {
  const account = event.account;
  const bucket = event.detail?.bucket?.name;
  const rawKey = event.detail?.object?.key;
  if (event.source !== "aws.s3" || !account || !/^\d{12}$/.test(account) || !bucket || !rawKey) return 0;
  const key = parseV3StageKey(rawKey) || parseV2StackMetadataKey(rawKey) || parseV2AppMetadataKey(rawKey) ? rawKey : safeDecode(rawKey);
  const targets = await Database.use((db) =>
    db
      .select({ workspaceId: awsAccountTable.workspaceId, connectionId: awsAccountTable.id, region: awsRegionTable.region })
      .from(awsAccountTable)
      .innerJoin(awsRegionTable, and(eq(awsRegionTable.workspaceId, awsAccountTable.workspaceId), eq(awsRegionTable.connectionId, awsAccountTable.id)))
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

/** S3 event keys are URL-encoded (spaces as `+`). */
function safeDecode(key: string) {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}
