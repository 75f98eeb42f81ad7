/**
 * Discovery: finds every SST app and stage in a connected account.
 *
 * Every enabled region is scanned with bounded concurrency. In each region the scan
 * reads (./read.ts) the v3 bootstrap parameter and the v2 bootstrap stack, lists the
 * state objects (every page) and fetches only the objects whose ETag changed since
 * the last scan, then stores (./store.ts) what changed. So the AWS calls grow with
 * regions, listing pages and changed stages, never with resources, and a rescan that
 * finds nothing changed fetches no state object and writes no app, stage or resource row.
 *
 * Along the way it watches the region for deploys (../watch.ts: EventBridge
 * notifications on the bootstrap buckets, the forwarding rule outside the stack's
 * region), recording both so that disconnect (../cleanup.ts) can undo exactly that.
 * The events that watching brings in are handled by ./bucket.ts.
 */
import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { TEMPLATE_REGION, bootstrapRuleName } from "@console/workspace-template";
import { App } from "../../app";
import { Customer, type Credentials } from "../../aws/customer";
import * as DeploySync from "../../deploy/sync";
import { env } from "../../env";
import { log } from "../../util/log";
import { mapLimit } from "../../util/pool";
import { Account } from "../index";
import type { ScanProgress } from "../account.sql";
import { ConnectionStatus } from "../status";
import { Watch } from "../watch";
import * as Bucket from "./bucket";
import type { BucketEvent } from "./bucket";
import { clients, describe, emptyResult, readBootstrap, readV2Bucket, readV3Bucket, type RegionContext, type ScanResult } from "./read";
import { regionRecords, saveRegion, storingVisitor, type RegionRecord } from "./store";

export type { BucketEvent, ScanResult };

async function scanRegion(ctx: RegionContext, before: RegionRecord | undefined) {
  const { v3, v2 } = await readBootstrap(ctx);
  const seen = new Set<string>();
  const visitor = storingVisitor(ctx, seen);
  const record: RegionRecord = {
    region: ctx.region,
    stateBucket: v3?.state ?? null,
    assetBucket: v3?.asset || null,
    v2Bucket: v2?.bucket ?? null,
    notificationsEnabled: [...(before?.notificationsEnabled ?? [])],
    ruleName: before?.ruleName ?? null,
    ruleManaged: before?.ruleManaged ?? false,
  };
  const { s3, events } = clients(ctx);
  let failedListing = false;
  for (const [bucket, read] of [
    [v3?.state, readV3Bucket],
    [v2?.bucket, readV2Bucket],
  ] as const) {
    if (!bucket) continue;
    try {
      await read(ctx, bucket, visitor);
    } catch (err) {
      failedListing = true;
      ctx.result.warnings.push(`${ctx.region}: could not read bucket ${bucket} (${describe(err)})`);
    }
    try {
      if ((await Watch.bucket(s3, bucket)) && !record.notificationsEnabled!.includes(bucket)) record.notificationsEnabled!.push(bucket);
    } catch (err) {
      ctx.result.warnings.push(`${ctx.region}: could not turn on EventBridge notifications for ${bucket} (${describe(err)})`);
    }
  }
  if (v3?.state) {
    // Each stage's deploys (update/ and eventlog/), now that the stages are stored.
    try {
      const after = await App.storedStages(ctx.connectionId, ctx.region);
      await DeploySync.syncBucket(ctx, s3, v3.state, after, new Set(ctx.stored.map((s) => s.id)));
    } catch (err) {
      ctx.result.warnings.push(`${ctx.region}: could not read the deploys in ${v3.state} (${describe(err)})`);
    }
  }
  if (v3?.state || v2?.bucket) {
    ctx.result.regionsWithSst++;
    try {
      if (await Watch.rule(events, ctx)) {
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
    const result = emptyResult();
    const account = await Account.get(connectionId);
    if (!account.accountId || account.status === "disconnecting") return result;
    let credentials: Credentials;
    let access;
    try {
      access = await Account.access(connectionId);
      credentials = await Customer.credentials(access);
    } catch (err) {
      await ConnectionStatus.scanned(connectionId, { failed: true, reason: (err as Error).message });
      throw err;
    }
    const progress: ScanProgress = { regionsTotal: 0, regionsDone: 0, current: [], stagesFound: 0, startedAt: new Date().toISOString() };
    await ConnectionStatus.scanning(connectionId, progress);
    let lastWrite = Date.now();
    const report = async (force = false) => {
      options.onProgress?.({ ...progress });
      if (force || Date.now() - lastWrite > 1500) {
        lastWrite = Date.now();
        await ConnectionStatus.progress(connectionId, progress);
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
      await ConnectionStatus.scanned(connectionId, { reason: result.warnings.length ? result.warnings.slice(0, 5).join("; ") : null });
    } catch (err) {
      await ConnectionStatus.scanned(connectionId, { failed: true, reason: `Scan failed: ${describe(err)}` });
      throw err;
    }
    log.info("scan finished", { connectionId, ...result, warnings: result.warnings.length });
    return result;
  }

  /** Re-reads the one stage an S3 object of a watched bucket belongs to (see ./bucket.ts). */
  export const syncObject = Bucket.syncObject;

  /** A bootstrap bucket event forwarded from a customer account (see ./bucket.ts). */
  export const fromBucketEvent = Bucket.fromBucketEvent;
}
