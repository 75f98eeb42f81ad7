/**
 * The audit log: one row per action that changes a workspace, written in the
 * same transaction as the change.
 */
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { Database } from "../db";
import { createId } from "../id";
import { fn } from "../util/fn";
import { auditTable } from "./audit.sql";

export { auditTable } from "./audit.sql";

export interface AuditTarget {
  type: string;
  id?: string;
  label?: string;
}

export interface AuditEntry {
  id: string;
  action: string;
  actor: { type: string; id?: string; email?: string };
  target: AuditTarget;
  data: Record<string, unknown> | null;
  ip: string | null;
  timeCreated: Date;
}

export namespace Audit {
  /** Records `action` in the current workspace (or `workspaceId` when given). */
  export async function record(action: string, target: AuditTarget, data?: Record<string, unknown>, workspaceId?: string) {
    const actor = Actor.use();
    const who = Actor.describe();
    await Database.use((db) =>
      db.insert(auditTable).values({
        workspaceId: workspaceId ?? Actor.workspaceId(),
        id: createId(),
        action,
        actorType: who.type,
        actorId: who.id ?? null,
        actorEmail: who.email ?? null,
        targetType: target.type,
        targetId: target.id ?? null,
        targetLabel: target.label?.slice(0, 255) ?? null,
        data: data ?? null,
        ip: actor.type === "user" ? (actor.properties.ip ?? null) : null,
        timeCreated: new Date(),
      }),
    );
  }

  export const list = fn(
    z.object({
      before: z.string().length(26).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    async (input): Promise<{ entries: AuditEntry[]; next: string | null }> => {
      const workspaceId = Actor.workspaceId();
      const rows = await Database.use((db) =>
        db
          .select()
          .from(auditTable)
          .where(
            and(eq(auditTable.workspaceId, workspaceId), input.before ? lt(auditTable.id, input.before) : undefined),
          )
          .orderBy(desc(auditTable.id))
          .limit(input.limit + 1),
      );
      const page = rows.slice(0, input.limit);
      return {
        entries: page.map((r) => ({
          id: r.id,
          action: r.action,
          actor: { type: r.actorType, id: r.actorId ?? undefined, email: r.actorEmail ?? undefined },
          target: { type: r.targetType, id: r.targetId ?? undefined, label: r.targetLabel ?? undefined },
          data: r.data,
          ip: r.ip,
          timeCreated: r.timeCreated,
        })),
        next: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );
}
