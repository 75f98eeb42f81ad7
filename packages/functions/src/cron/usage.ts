/**
 * Daily usage metering (a cron on AWS): every live workspace's invocations are read
 * from CloudWatch, stored per day, and finished days are sent to Stripe as meter events.
 * One workspace failing does not stop the others.
 */
import { isNull } from "drizzle-orm";
import { Actor } from "@console/core/actor";
import { meterAndReport } from "@console/core/billing";
import { Database } from "@console/core/db";
import { workspaceTable } from "@console/core/workspace";
import { log } from "@console/core/util/log";

export async function meterAll(now = Date.now()) {
  const workspaces = await Database.use((db) =>
    db.select({ id: workspaceTable.id, slug: workspaceTable.slug }).from(workspaceTable).where(isNull(workspaceTable.timeDeleted)),
  );
  let failed = 0;
  for (const ws of workspaces) {
    try {
      const r = await Actor.system("usage metering", ws, () => meterAndReport(now));
      log.info("usage metered", { workspaceId: ws.id, ...r });
    } catch (err) {
      failed++;
      log.error("usage metering failed", { workspaceId: ws.id, err });
    }
  }
  return { workspaces: workspaces.length, failed };
}

export async function handler() {
  const { setupRuntime } = await import("../runtime");
  await setupRuntime();
  return meterAll();
}
