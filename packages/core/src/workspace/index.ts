import { and, asc, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { Actor, type Role, type WorkspaceScope } from "../actor";
import { Alert } from "../alert";
import { Audit } from "../audit";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { defineEvent, Bus } from "../event";
import { createId } from "../id";
import { memberTable } from "../member/member.sql";
import { fn } from "../util/fn";
import { workspaceTable } from "./workspace.sql";

export { workspaceTable } from "./workspace.sql";

/** Paths of the web app that a slug must not shadow. */
const reservedSlugs = new Set(["api", "auth", "workspace", "workspaces", "new", "settings", "local", "admin", "static", "assets", "health", "me", "invitations"]);

export const slugSchema = z
  .string()
  .trim()
  .min(3, "A slug has at least 3 characters")
  .max(48, "A slug has at most 48 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and dashes, not at the start or end")
  .refine((s) => !reservedSlugs.has(s), "This slug is reserved");

export const nameSchema = z.string().trim().min(1, "Give the workspace a name").max(100);

export interface WorkspaceInfo {
  id: string;
  slug: string;
  name: string;
  role: Role;
  timeCreated: Date;
}

export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return s.length >= 3 ? s : `${s || "workspace"}-${createId().slice(-4)}`;
}

/** What WorkspaceInfo is read from (a workspace joined to the caller's membership). */
const infoColumns = {
  id: workspaceTable.id,
  slug: workspaceTable.slug,
  name: workspaceTable.name,
  role: memberTable.role,
  timeCreated: workspaceTable.timeCreated,
};

export namespace Workspace {
  export const Events = {
    Created: defineEvent("workspace.created", z.object({ workspaceId: z.string() })),
    Deleted: defineEvent("workspace.deleted", z.object({ workspaceId: z.string() })),
  };

  /** Workspaces the acting user belongs to. */
  export async function list(): Promise<WorkspaceInfo[]> {
    const userId = Actor.userId();
    return Database.use((db) =>
      db
        .select(infoColumns)
        .from(memberTable)
        .innerJoin(workspaceTable, eq(workspaceTable.id, memberTable.workspaceId))
        .where(and(eq(memberTable.userId, userId), isNull(workspaceTable.timeDeleted)))
        .orderBy(asc(workspaceTable.name)),
    );
  }

  /**
   * The workspace `idOrSlug` if the acting user is a member of it, else a 404:
   * a non-member cannot even learn that it exists.
   */
  export async function resolve(idOrSlug: string): Promise<WorkspaceInfo> {
    const userId = Actor.userId();
    const key = idOrSlug.toLowerCase();
    const [row] = await Database.use((db) =>
      db
        .select(infoColumns)
        .from(workspaceTable)
        .innerJoin(memberTable, and(eq(memberTable.workspaceId, workspaceTable.id), eq(memberTable.userId, userId)))
        .where(and(or(eq(workspaceTable.id, key), eq(workspaceTable.slug, key)), isNull(workspaceTable.timeDeleted)))
        .limit(1),
    );
    if (!row) throw new NotFoundError("Workspace");
    return row;
  }

  export function scope(ws: WorkspaceInfo): WorkspaceScope {
    return { id: ws.id, slug: ws.slug, role: ws.role };
  }

  /** Runs `cb` inside workspace `idOrSlug` as the acting user (404 unless a member). */
  export async function within<T>(idOrSlug: string, cb: (ws: WorkspaceInfo) => Promise<T>): Promise<T> {
    const ws = await resolve(idOrSlug);
    return Actor.withWorkspace(scope(ws), () => cb(ws));
  }

  export const create = fn(
    z.object({ name: nameSchema, slug: slugSchema.optional() }),
    async (input): Promise<WorkspaceInfo> => {
      const userId = Actor.userId();
      const explicit = input.slug !== undefined;
      let slug = input.slug ?? slugify(input.name);
      for (let attempt = 0; ; attempt++) {
        const id = createId();
        try {
          return await Database.transaction(async (tx) => {
            const now = new Date();
            await tx.insert(workspaceTable).values({ id, slug, name: input.name, timeCreated: now, timeUpdated: now });
            await tx.insert(memberTable).values({ workspaceId: id, id: createId(), userId, role: "owner" });
            // Alerts start with one rule: email to all members for new issues and regressions.
            await Alert.createDefaults(tx, id);
            await Actor.withWorkspace({ id, slug, role: "owner" }, async () => {
              await Audit.record("workspace.create", { type: "workspace", id, label: input.name }, { slug });
              await Bus.publish(Events.Created, { workspaceId: id });
            });
            return { id, slug, name: input.name, role: "owner" as const, timeCreated: now };
          });
        } catch (err) {
          if (!Database.isDuplicate(err)) throw err;
          if (explicit || attempt >= 3) throw new VisibleError("slug_taken", `The slug "${slug}" is taken`);
          slug = `${slugify(input.name).slice(0, 40)}-${createId().slice(-5)}`;
        }
      }
    },
  );

  /** Rename or change the slug of the current workspace (admin). */
  export const update = fn(
    z.object({ name: nameSchema.optional(), slug: slugSchema.optional() }).refine((v) => v.name || v.slug, "Nothing to change"),
    async (input): Promise<WorkspaceInfo> => {
      Actor.assertRole("admin");
      const ws = Actor.workspace();
      try {
        await Database.transaction(async (tx) => {
          await tx
            .update(workspaceTable)
            .set({ ...(input.name ? { name: input.name } : {}), ...(input.slug ? { slug: input.slug } : {}) })
            .where(and(eq(workspaceTable.id, ws.id), isNull(workspaceTable.timeDeleted)));
          await Audit.record("workspace.update", { type: "workspace", id: ws.id, label: input.name ?? ws.slug }, input);
        });
      } catch (err) {
        if (Database.isDuplicate(err)) throw new VisibleError("slug_taken", `The slug "${input.slug}" is taken`);
        throw err;
      }
      return resolve(ws.id);
    },
  );

  export const InvokeRole = z.enum(["member", "admin"], { error: "must be member or admin" });

  export interface Settings {
    /** The least role that may invoke functions of non-personal stages (personal stages: everyone). */
    invokeRole: z.infer<typeof InvokeRole>;
  }

  /** The current workspace's settings (any member reads them). */
  export async function settings(): Promise<Settings> {
    const ws = Actor.workspace();
    const [row] = await Database.use((db) =>
      db.select({ invokeRole: workspaceTable.invokeRole }).from(workspaceTable).where(and(eq(workspaceTable.id, ws.id), isNull(workspaceTable.timeDeleted))),
    );
    if (!row) throw new NotFoundError("Workspace");
    return { invokeRole: row.invokeRole === "admin" ? "admin" : "member" };
  }

  /** Changes settings of the current workspace (admin). */
  export const updateSettings = fn(
    z.object({ invokeRole: InvokeRole.optional() }).refine((v) => v.invokeRole !== undefined, "Nothing to change"),
    async (input): Promise<Settings> => {
      Actor.assertRole("admin");
      const ws = Actor.workspace();
      await Database.transaction(async (tx) => {
        await tx.update(workspaceTable).set({ invokeRole: input.invokeRole }).where(and(eq(workspaceTable.id, ws.id), isNull(workspaceTable.timeDeleted)));
        await Audit.record("workspace.settings", { type: "workspace", id: ws.id, label: ws.slug }, input);
      });
      return settings();
    },
  );

  /** Deletes the current workspace (owner). Its slug is freed; its rows stay for the record. */
  export async function remove() {
    Actor.assertRole("owner");
    const ws = Actor.workspace();
    await Database.transaction(async (tx) => {
      await tx
        .update(workspaceTable)
        .set({ timeDeleted: new Date(), slug: `deleted-${ws.id}` })
        .where(and(eq(workspaceTable.id, ws.id), isNull(workspaceTable.timeDeleted)));
      await Audit.record("workspace.delete", { type: "workspace", id: ws.id, label: ws.slug });
      await Bus.publish(Events.Deleted, { workspaceId: ws.id });
    });
  }
}
