/**
 * Storing what a scan read: stages through the app domain (which writes only what
 * differs), tombstones for removed ones, and the region's record (`aws_region`:
 * bootstrap buckets, and what ../watch.ts turned on) when it changed.
 */
import { and, eq } from "drizzle-orm";
import { Actor } from "../../actor";
import { App } from "../../app";
import type { StageReadResult } from "../../app/sst";
import { Database } from "../../db";
import { awsRegionTable } from "../account.sql";
import { storedByName, type RegionContext, type StageVisitor } from "./read";

export interface RegionRecord {
  region: string;
  stateBucket: string | null;
  assetBucket: string | null;
  v2Bucket: string | null;
  notificationsEnabled: string[] | null;
  ruleName: string | null;
  ruleManaged: boolean;
}

/** Stores one stage read from its state objects; every stage it concerns is added to `seen`. */
export async function storeStage(ctx: RegionContext, read: StageReadResult, sourceTag: string, seen: Set<string>) {
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
  const outcome = await App.applyStage({ connectionId: ctx.connectionId, region: ctx.region, model: read.model, hash: read.hash, sourceTag, stored });
  ctx.result[outcome]++;
}

/** A visitor for ./read.ts walks that stores what they read and collects the stages seen. */
export function storingVisitor(ctx: RegionContext, seen: Set<string>): StageVisitor {
  return {
    unchanged(stored) {
      seen.add(stored.id);
      if (!stored.timeDeleted) ctx.result.unchanged++;
    },
    read: (read, sourceTag) => storeStage(ctx, read, sourceTag, seen),
  };
}

/** Writes the region's record when it differs from the one read before the scan. */
export async function saveRegion(connectionId: string, before: RegionRecord | undefined, after: RegionRecord) {
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

/** The region records of a connection, by region. */
export async function regionRecords(connectionId: string): Promise<Map<string, RegionRecord>> {
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
