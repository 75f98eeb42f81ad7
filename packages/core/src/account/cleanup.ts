/**
 * Disconnect, the mirror of the scan: turn off what ./watch.ts turned on in the
 * customer's account, then remove the account's stages, then the connection. What
 * to turn off comes from the records the scan kept (aws_region), so nothing the
 * console did not create is touched. If the role is already gone (the stack was
 * deleted), AWS-side cleanup is impossible and skipped; the workspace side is still
 * cleared.
 *
 * What other domains put in the account (log subscription filters) is removed by
 * them, before this runs: the disconnect subscriber
 * (packages/functions/src/subscribers/index.ts) calls both, in that order.
 */
import { and, eq, inArray, ne, or } from "drizzle-orm";
import { S3Client } from "@aws-sdk/client-s3";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { Actor } from "../actor";
import { App } from "../app";
import { Customer, type Credentials } from "../aws/customer";
import { Database } from "../db";
import { log } from "../util/log";
import { Account } from "./index";
import { awsAccountTable, awsRegionTable } from "./account.sql";
import { ConnectionStatus } from "./status";
import { Watch } from "./watch";

export interface CleanupResult {
  rulesDeleted: number;
  notificationsDisabled: number;
  warnings: string[];
}

function describe(err: unknown) {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}

/** Buckets that another live connection of the same AWS account still relies on. */
async function bucketsInUse(accountId: string, connectionId: string, buckets: string[]) {
  if (!buckets.length) return new Set<string>();
  const rows = await Database.use((db) =>
    db
      .select({ state: awsRegionTable.stateBucket, v2: awsRegionTable.v2Bucket })
      .from(awsRegionTable)
      .innerJoin(awsAccountTable, and(eq(awsAccountTable.workspaceId, awsRegionTable.workspaceId), eq(awsAccountTable.id, awsRegionTable.connectionId)))
      .where(
        and(
          eq(awsAccountTable.accountId, accountId),
          ne(awsAccountTable.id, connectionId),
          inArray(awsAccountTable.status, ["connected", "scanning", "failed"]),
          or(inArray(awsRegionTable.stateBucket, buckets), inArray(awsRegionTable.v2Bucket, buckets)),
        ),
      ),
  );
  return new Set(rows.flatMap((r) => [r.state, r.v2]).filter((b): b is string => !!b));
}

/** Turns off, region by region, what the scan recorded it turned on. */
async function unwatch(connectionId: string, accountId: string, credentials: Credentials, result: CleanupResult) {
  const workspaceId = Actor.workspaceId();
  const regions = await Database.use((db) =>
    db
      .select()
      .from(awsRegionTable)
      .where(and(eq(awsRegionTable.workspaceId, workspaceId), eq(awsRegionTable.connectionId, connectionId))),
  );
  for (const r of regions) {
    const opts = { region: r.region, credentials, accountId, connectionId };
    if (r.ruleManaged && r.ruleName) {
      try {
        if (await Watch.unwatchRule(Customer.client(EventBridgeClient, opts), r.ruleName)) result.rulesDeleted++;
      } catch (err) {
        result.warnings.push(`${r.region}: could not delete rule ${r.ruleName} (${describe(err)})`);
      }
    }
    const enabled = r.notificationsEnabled ?? [];
    const inUse = await bucketsInUse(accountId, connectionId, enabled);
    const s3 = Customer.client(S3Client, opts);
    for (const bucket of enabled) {
      if (inUse.has(bucket)) continue;
      try {
        if (await Watch.unwatchBucket(s3, bucket)) result.notificationsDisabled++;
      } catch (err) {
        result.warnings.push(`${r.region}: could not turn off notifications on ${bucket} (${describe(err)})`);
      }
    }
  }
}

export namespace Cleanup {
  /** Disconnects `connectionId` of the current workspace (system). */
  export async function run(connectionId: string): Promise<CleanupResult> {
    const result: CleanupResult = { rulesDeleted: 0, notificationsDisabled: 0, warnings: [] };
    const account = await Account.get(connectionId);
    const accountId = account.accountId;
    let credentials: Credentials | undefined;
    if (accountId) {
      try {
        credentials = await Customer.credentials(await Account.access(connectionId));
      } catch (err) {
        result.warnings.push(`The role could not be assumed, so nothing was removed from the account (${describe(err)})`);
      }
    }
    if (credentials && accountId) await unwatch(connectionId, accountId, credentials, result);
    await App.removeAccount(connectionId);
    await ConnectionStatus.forget(connectionId);
    log.info("account disconnected", { connectionId, rulesDeleted: result.rulesDeleted, warnings: result.warnings.length });
    return result;
  }
}
