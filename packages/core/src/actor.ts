/**
 * Who is acting, and in which workspace, for the current async call chain.
 * Domain functions read it instead of taking user or workspace ids as arguments,
 * so a handler cannot forget to scope a query.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ForbiddenError, UnauthorizedError, VisibleError } from "./error";

export type Role = "owner" | "admin" | "member";

export type Actor =
  | { type: "public"; properties: { ip?: string } }
  | { type: "user"; properties: { userId: string; email: string; sessionId?: string; ip?: string } }
  | { type: "system"; properties: { reason: string } };

export interface WorkspaceScope {
  id: string;
  slug: string;
  /** The acting user's role; "system" for background work. */
  role: Role | "system";
}

interface Context {
  actor: Actor;
  workspace?: WorkspaceScope;
}

const storage = new AsyncLocalStorage<Context>();

const rank: Record<Role | "system", number> = { member: 1, admin: 2, owner: 3, system: 4 };

export namespace Actor {
  export function provide<T>(actor: Actor, fn: () => T): T {
    return storage.run({ actor }, fn);
  }

  export function withWorkspace<T>(workspace: WorkspaceScope, fn: () => T): T {
    const current = storage.getStore();
    if (!current) throw new Error("No actor in context");
    return storage.run({ ...current, workspace }, fn);
  }

  /** Run as the system inside one workspace (event subscribers, pollers). */
  export function system<T>(reason: string, workspace: Omit<WorkspaceScope, "role"> | undefined, fn: () => T): T {
    return storage.run(
      { actor: { type: "system", properties: { reason } }, workspace: workspace && { ...workspace, role: "system" } },
      fn,
    );
  }

  export function use(): Actor {
    const ctx = storage.getStore();
    if (!ctx) throw new Error("No actor in context");
    return ctx.actor;
  }

  export function maybeWorkspace(): WorkspaceScope | undefined {
    return storage.getStore()?.workspace;
  }

  export function user() {
    const actor = use();
    if (actor.type !== "user") throw new UnauthorizedError();
    return actor.properties;
  }

  export function userId(): string {
    return user().userId;
  }

  export function workspace(): WorkspaceScope {
    const ws = storage.getStore()?.workspace;
    if (!ws) throw new VisibleError("internal", "No workspace in context");
    return ws;
  }

  export function workspaceId(): string {
    return workspace().id;
  }

  /** Throws 403 unless the actor holds at least `role` in the current workspace. */
  export function assertRole(role: Role) {
    const ws = workspace();
    if (rank[ws.role] < rank[role]) {
      throw new ForbiddenError(`This needs the ${role} role or higher`);
    }
  }

  export function hasRole(role: Role): boolean {
    const ws = maybeWorkspace();
    return !!ws && rank[ws.role] >= rank[role];
  }

  /** A short description for audit rows and logs. */
  export function describe(): { type: Actor["type"]; id?: string; email?: string } {
    const actor = storage.getStore()?.actor;
    if (!actor) return { type: "system" };
    if (actor.type === "user") return { type: "user", id: actor.properties.userId, email: actor.properties.email };
    return { type: actor.type };
  }
}
