/**
 * Usage: what each workspace consumes, counted where it happens. Today that is the
 * Issues ingestion quota (a soft limit of issue events per workspace and hour);
 * metering for billing belongs here too.
 *
 * The quota is taken inside the ingesting transaction (the hour's row is locked, so
 * concurrent consumers of one workspace count exactly), and crossing it is announced
 * after commit: a warning the user sees, and an event.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { Database, type Tx } from "../db";
import { Bus, defineEvent } from "../event";
import { hourOf } from "../util/time";
import { Warning } from "../warning";
import { ingestUsageTable } from "./usage.sql";

export { ingestUsageTable } from "./usage.sql";

/** Issue events a workspace may ingest per hour. */
export const HOURLY_LIMIT = 10_000;
/** Usage rows are kept this long (the quota reads only the current hour). */
const KEEP_MS = 2 * 86_400_000;

export interface Admission {
  hour: Date;
  /** How many of the requested events fit in the hour's quota. */
  accepted: number;
  dropped: number;
  /** This admission is the one that reached the limit (announce it once). */
  crossed: boolean;
}

export namespace Usage {
  export const Events = {
    /** A workspace passed the hourly limit: ingestion pauses until the next hour. */
    RateLimited: defineEvent("issue.rate_limited", z.object({ hour: z.string(), limit: z.number() })),
  };

  /**
   * Takes up to `requested` issue events from the workspace's quota for the hour of
   * `now`, in transaction `tx`, and records what was accepted and dropped.
   */
  export async function admitIssueEvents(tx: Tx, workspaceId: string, requested: number, now: Date): Promise<Admission> {
    const hour = hourOf(now.getTime());
    const [usage] = await tx
      .select({ count: ingestUsageTable.count })
      .from(ingestUsageTable)
      .where(and(eq(ingestUsageTable.workspaceId, workspaceId), eq(ingestUsageTable.hour, hour)))
      .for("update");
    const used = usage?.count ?? 0;
    const accepted = Math.min(requested, Math.max(0, HOURLY_LIMIT - used));
    const dropped = requested - accepted;
    await tx
      .insert(ingestUsageTable)
      .values({ workspaceId, hour, count: accepted, dropped })
      .onDuplicateKeyUpdate({
        set: { count: sql`${ingestUsageTable.count} + ${accepted}`, dropped: sql`${ingestUsageTable.dropped} + ${dropped}` },
      });
    return { hour, accepted, dropped, crossed: dropped > 0 && used + accepted >= HOURLY_LIMIT && used < HOURLY_LIMIT };
  }

  /** Tells the workspace that ingestion is paused until the next hour (a warning and an event). */
  export async function announceLimited(workspaceId: string, hour: Date) {
    const resume = new Date(hour.getTime() + 3_600_000);
    await Actor.system("rate-limit", { id: workspaceId, slug: "" }, async () => {
      await Warning.set({
        type: "issues_rate_limited",
        target: "workspace",
        message: `More than ${HOURLY_LIMIT.toLocaleString("en-US")} issue events arrived this hour: new ones are paused until ${resume.toISOString().slice(11, 16)} UTC, when ingestion resumes on its own.`,
        data: { hour: hour.toISOString(), limit: HOURLY_LIMIT },
        expires: resume,
      });
      await Bus.publish(Events.RateLimited, { hour: hour.toISOString(), limit: HOURLY_LIMIT });
    });
  }

  /** Housekeeping (system, daily): usage rows older than two days go. */
  export async function prune(now = new Date()) {
    await Database.use((db) => db.delete(ingestUsageTable).where(lt(ingestUsageTable.hour, new Date(now.getTime() - KEEP_MS))));
  }
}
