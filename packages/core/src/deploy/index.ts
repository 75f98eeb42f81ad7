/**
 * Deploys: every stage's history of SST updates (deploy, remove, refresh, ...), newest
 * first, read from the state bucket (./parse.ts, ./sync.ts) by the same scans and bucket
 * events as discovery. A deploy that is seen to fail announces `deploy.failed` (the
 * alert rules route it), once: only when the stage was already known, so the first scan
 * of an account with old failures in its history stays quiet.
 */
import { and, asc, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { App } from "../app";
import { Database } from "../db";
import { NotFoundError } from "../error";
import { Bus, defineEvent } from "../event";
import { createId } from "../id";
import { deployTable } from "./deploy.sql";
import type { DeployChange, DeployError, DeployRecord, DeploySource, DeployStatus } from "./parse";

export * from "./deploy.sql";
export { buildDeploy, parseEventLog, parseUpdateRecord, MAX_CHANGES, MAX_MESSAGE } from "./parse";
export type { DeployAction, DeployChange, DeployError, DeployRecord, DeploySource, DeployStatus, ParsedEventLog, ParsedUpdate } from "./parse";

export interface DeploySummary {
  id: string;
  stageId: string;
  updateId: string;
  runId: string | null;
  source: DeploySource;
  command: string;
  version: string | null;
  status: DeployStatus;
  timeStarted: Date | null;
  timeCompleted: Date | null;
  /** Milliseconds from start to completion, when both are known. */
  duration: number | null;
  counts: { created: number; updated: number; deleted: number; replaced: number };
  /** Errors in all: the deploy's own and its resources'. */
  errorCount: number;
  /** The first error message, for a list to show. */
  firstError: string | null;
}

export interface DeployDetail extends DeploySummary {
  errors: DeployError[];
  changes: DeployChange[];
  changesTruncated: boolean;
  hasEventLog: boolean;
}

export interface StoredDeploy {
  id: string;
  updateId: string;
  sourceTag: string;
  status: DeployStatus;
}

const LIST_LIMIT = 100;

function summary(row: typeof deployTable.$inferSelect): DeploySummary {
  const failedChanges = row.changes.filter((c) => c.error);
  return {
    id: row.id,
    stageId: row.stageId,
    updateId: row.updateId,
    runId: row.runId,
    source: row.source,
    command: row.command,
    version: row.version,
    status: row.status,
    timeStarted: row.timeStarted,
    timeCompleted: row.timeCompleted,
    duration: row.timeStarted && row.timeCompleted ? Math.max(0, row.timeCompleted.getTime() - row.timeStarted.getTime()) : null,
    counts: { created: row.created, updated: row.updated, deleted: row.deleted, replaced: row.replaced },
    errorCount: row.errors.length + failedChanges.length,
    firstError: failedChanges[0]?.error ?? row.errors[0]?.message ?? null,
  };
}

export namespace Deploy {
  export const Events = {
    Failed: defineEvent("deploy.failed", z.object({ deployId: z.string(), stageId: z.string() })),
  };

  export const listSchema = z.object({
    limit: z.coerce.number().int().min(1).max(LIST_LIMIT).default(50),
    /** A deploy id: the page after it (older deploys). */
    after: z.string().length(26).optional(),
  });

  /** A stage's deploys, newest first (the stage must be the workspace's). */
  export async function list(stageId: string, input: z.input<typeof listSchema> = {}): Promise<{ deploys: DeploySummary[]; next: string | null }> {
    const { limit, after } = listSchema.parse(input);
    const workspaceId = Actor.workspaceId();
    await App.stage(stageId);
    let cursor: { time: Date | null; updateId: string } | undefined;
    if (after) {
      const [row] = await Database.use((db) =>
        db
          .select({ time: deployTable.timeStarted, updateId: deployTable.updateId })
          .from(deployTable)
          .where(and(eq(deployTable.workspaceId, workspaceId), eq(deployTable.stageId, stageId), eq(deployTable.id, after))),
      );
      if (!row) throw new NotFoundError("Deploy");
      cursor = row;
    }
    // Newest first by start time; deploys whose start is unknown (`sst unlock` rewrote them) come last.
    const started = sql`coalesce(${deployTable.timeStarted}, '1970-01-01')`;
    const rows = await Database.use((db) =>
      db
        .select()
        .from(deployTable)
        .where(
          and(
            eq(deployTable.workspaceId, workspaceId),
            eq(deployTable.stageId, stageId),
            cursor
              ? or(
                  lt(started, cursor.time ?? new Date(0)),
                  and(eq(started, cursor.time ?? new Date(0)), sql`${deployTable.updateId} > ${cursor.updateId}`),
                )
              : undefined,
          ),
        )
        .orderBy(desc(started), asc(deployTable.updateId))
        .limit(limit + 1),
    );
    const page = rows.slice(0, limit).map(summary);
    return { deploys: page, next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  }

  /** One deploy of a stage, with its resource changes and errors. */
  export async function get(stageId: string, deployId: string): Promise<DeployDetail> {
    const workspaceId = Actor.workspaceId();
    await App.stage(stageId);
    const [row] = await Database.use((db) =>
      db
        .select()
        .from(deployTable)
        .where(and(eq(deployTable.workspaceId, workspaceId), eq(deployTable.stageId, stageId), eq(deployTable.id, deployId))),
    );
    if (!row) throw new NotFoundError("Deploy");
    return { ...summary(row), errors: row.errors, changes: row.changes, changesTruncated: row.changesTruncated, hasEventLog: row.hasEventLog };
  }

  /** What is stored of these stages' deploys (system: the sync compares ETags with it). */
  export async function stored(stageIds: string[]): Promise<Map<string, Map<string, StoredDeploy>>> {
    const out = new Map<string, Map<string, StoredDeploy>>();
    if (!stageIds.length) return out;
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db
        .select({ id: deployTable.id, stageId: deployTable.stageId, updateId: deployTable.updateId, sourceTag: deployTable.sourceTag, status: deployTable.status })
        .from(deployTable)
        .where(and(eq(deployTable.workspaceId, workspaceId), inArray(deployTable.stageId, stageIds))),
    );
    for (const r of rows) {
      let m = out.get(r.stageId);
      if (!m) out.set(r.stageId, (m = new Map()));
      m.set(r.updateId, r);
    }
    return out;
  }

  /**
   * Stores one deploy read from the bucket (system). With `alert`, a deploy that is now
   * failed and was not before announces `deploy.failed`, in the same transaction.
   */
  export async function save(input: { stageId: string; record: DeployRecord; sourceTag: string; before?: StoredDeploy; alert: boolean }) {
    const workspaceId = Actor.workspaceId();
    const r = input.record;
    const values = {
      runId: r.runId,
      source: r.source,
      command: r.command.slice(0, 32),
      version: r.version?.slice(0, 32) ?? null,
      status: r.status,
      timeCompleted: r.timeCompleted,
      created: r.counts.create,
      updated: r.counts.update,
      deleted: r.counts.delete,
      replaced: r.counts.replace,
      errors: r.errors,
      changes: r.changes,
      changesTruncated: r.changesTruncated,
      hasEventLog: r.hasEventLog,
      sourceTag: input.sourceTag,
    };
    await Database.transaction(async (tx) => {
      let deployId = input.before?.id;
      if (deployId) {
        await tx
          .update(deployTable)
          // `sst unlock` rewrites the record without its start: keep the one read before.
          .set({ ...values, ...(r.timeStarted ? { timeStarted: r.timeStarted } : {}) })
          .where(and(eq(deployTable.workspaceId, workspaceId), eq(deployTable.id, deployId)));
      } else {
        deployId = createId();
        await tx
          .insert(deployTable)
          .values({ workspaceId, id: deployId, stageId: input.stageId, updateId: r.updateId, timeStarted: r.timeStarted, ...values })
          .onDuplicateKeyUpdate({ set: { ...values, ...(r.timeStarted ? { timeStarted: r.timeStarted } : {}) } });
      }
      if (input.alert && r.status === "failed" && input.before?.status !== "failed") {
        await Bus.publish(Events.Failed, { deployId, stageId: input.stageId });
      }
    });
  }
}
