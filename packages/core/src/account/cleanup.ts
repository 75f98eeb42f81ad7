/**
 * Disconnect: remove what the console put into the customer's account, then the
 * account's stages, then the connection. What to remove comes from the records the
 * scan kept (aws_region), so nothing the console did not create is touched. If the
 * role is already gone (the stack was deleted), AWS-side cleanup is impossible and
 * skipped; the workspace side is still cleared.
 */
import { and, eq, inArray, ne, or } from "drizzle-orm";
import { S3Client } from "@aws-sdk/client-s3";
import { DeleteRuleCommand, EventBridgeClient, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { BUS_TARGET_ID } from "@console/workspace-template";
import { Actor } from "../actor";
import { App } from "../app";
import { Customer, type Credentials } from "../aws/customer";
import { Database } from "../db";
import { log } from "../util/log";
import { Account } from "./index";
import { awsAccountTable, awsRegionTable } from "./account.sql";
import { setEventBridgeNotifications } from "./notifications";

export interface CleanupResult {
  rulesDeleted: number;
  notificationsDisabled: number;
  warnings: string[];
}

type CleanupHook = (input: { connectionId: string; accountId: string; credentials: Credentials; result: CleanupResult }) => Promise<void>;
const hooks: CleanupHook[] = [];

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

export namespace Cleanup {
  /** Other features (issue subscriptions) add what they created in the account. */
  export function register(hook: CleanupHook) {
    hooks.push(hook);
  }

  /** Disconnects `connectionId` of the current workspace (system). */
  export async function run(connectionId: string): Promise<CleanupResult> {
    const workspaceId = Actor.workspaceId();
    const result: CleanupResult = { rulesDeleted: 0, notificationsDisabled: 0, warnings: [] };
    const account = await Account.get(connectionId);
    let credentials: Credentials | undefined;
    let accountId = account.accountId;
    if (accountId) {
      try {
        const access = await Account.access(connectionId);
        credentials = await Customer.credentials(access);
      } catch (err) {
        result.warnings.push(`The role could not be assumed, so nothing was removed from the account (${describe(err)})`);
      }
    }
    if (credentials && accountId) {
      for (const hook of hooks) {
        try {
          await hook({ connectionId, accountId, credentials, result });
        } catch (err) {
          result.warnings.push(describe(err));
        }
      }
      const regions = await Database.use((db) =>
        db
          .select()
          .from(awsRegionTable)
          .where(and(eq(awsRegionTable.workspaceId, workspaceId), eq(awsRegionTable.connectionId, connectionId))),
      );
      for (const r of regions) {
        const opts = { region: r.region, credentials, accountId, connectionId };
        if (r.ruleManaged && r.ruleName) {
          const events = Customer.client(EventBridgeClient, opts);
          try {
            await events.send(new RemoveTargetsCommand({ Rule: r.ruleName, Ids: [BUS_TARGET_ID] }));
            await events.send(new DeleteRuleCommand({ Name: r.ruleName }));
            result.rulesDeleted++;
          } catch (err) {
            if ((err as { name?: string }).name !== "ResourceNotFoundException") {
              result.warnings.push(`${r.region}: could not delete rule ${r.ruleName} (${describe(err)})`);
            }
          }
        }
        const enabled = r.notificationsEnabled ?? [];
        const inUse = await bucketsInUse(accountId, connectionId, enabled);
        const s3 = Customer.client(S3Client, opts);
        for (const bucket of enabled) {
          if (inUse.has(bucket)) continue;
          try {
            if (await setEventBridgeNotifications(s3, bucket, false)) result.notificationsDisabled++;
          } catch (err) {
            result.warnings.push(`${r.region}: could not turn off notifications on ${bucket} (${describe(err)})`);
          }
        }
      }
    }
    await App.removeAccount(connectionId);
    await Account.forget(connectionId);
    log.info("account disconnected", { connectionId, rulesDeleted: result.rulesDeleted, warnings: result.warnings.length });
    return result;
  }
}
