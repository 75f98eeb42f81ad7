/**
 * Warnings the user can act on (and retry). Written by the system as it works;
 * read and retried by members.
 */
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { Actor } from "../actor";
import { Database } from "../db";
import { NotFoundError } from "../error";
import { createId } from "../id";
import { warningTable } from "./warning.sql";

export { warningTable } from "./warning.sql";

export type WarningType =
  | "subscription_limit"
  | "subscription_permission"
  | "subscription_missing_log_group"
  | "subscription_failed"
  | "issues_rate_limited"
  | "issues_dead_lettered"
  | "usage_permission";

export interface WarningInfo {
  id: string;
  type: WarningType;
  target: string;
  stageId: string | null;
  message: string;
  data: Record<string, unknown> | null;
  timeCreated: Date;
  timeUpdated: Date;
  timeExpires: Date | null;
}

export namespace Warning {
  /** Creates or refreshes the warning of (type, target) in the current workspace. */
  export async function set(input: {
    type: WarningType;
    target: string;
    stageId?: string | null;
    message: string;
    data?: Record<string, unknown>;
    expires?: Date;
  }) {
    const workspaceId = Actor.workspaceId();
    await Database.use((db) =>
      db
        .insert(warningTable)
        .values({
          workspaceId,
          id: createId(),
          type: input.type,
          target: input.target,
          stageId: input.stageId ?? null,
          message: input.message,
          data: input.data ?? null,
          timeExpires: input.expires ?? null,
        })
        .onDuplicateKeyUpdate({
          set: {
            message: input.message,
            data: input.data ?? null,
            stageId: input.stageId ?? null,
            timeExpires: input.expires ?? null,
            timeUpdated: new Date(),
          },
        }),
    );
  }

  /** Clears warnings of these types for `target` (it works now). */
  export async function clear(target: string | string[], types?: WarningType[]) {
    const workspaceId = Actor.workspaceId();
    const targets = Array.isArray(target) ? target : [target];
    if (!targets.length) return;
    await Database.use((db) =>
      db
        .delete(warningTable)
        .where(
          and(
            eq(warningTable.workspaceId, workspaceId),
            inArray(warningTable.target, targets),
            types?.length ? inArray(warningTable.type, types) : undefined,
          ),
        ),
    );
  }

  export async function clearStage(stageId: string) {
    const workspaceId = Actor.workspaceId();
    await Database.use((db) => db.delete(warningTable).where(and(eq(warningTable.workspaceId, workspaceId), eq(warningTable.stageId, stageId))));
  }

  /** Live warnings of the workspace (or of one stage). */
  export async function list(filter: { stageId?: string } = {}): Promise<WarningInfo[]> {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db
        .select()
        .from(warningTable)
        .where(
          and(
            eq(warningTable.workspaceId, workspaceId),
            filter.stageId ? or(eq(warningTable.stageId, filter.stageId), isNull(warningTable.stageId)) : undefined,
            or(isNull(warningTable.timeExpires), sql`${warningTable.timeExpires} > ${new Date()}`),
          ),
        )
        .orderBy(asc(warningTable.timeCreated)),
    );
    return rows.map(({ workspaceId: _, ...r }) => ({ ...r, type: r.type as WarningType }));
  }

  export async function get(id: string): Promise<WarningInfo> {
    const found = (await list()).find((w) => w.id === id);
    if (!found) throw new NotFoundError("Warning");
    return found;
  }

  export async function pruneExpired() {
    await Database.use((db) => db.delete(warningTable).where(lt(warningTable.timeExpires, new Date())));
  }
}
