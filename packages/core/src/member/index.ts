import { and, asc, desc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/mysql-core";
import { z } from "zod";
import { Actor, type Role } from "../actor";
import { Audit } from "../audit";
import { Database, type Tx } from "../db";
import { RateLimit } from "../auth/rate-limit";
import { Email } from "../email";
import { inlineText } from "../email/text";
import { env } from "../env";
import { ForbiddenError, NotFoundError, VisibleError } from "../error";
import { Bus, defineEvent } from "../event";
import { createId } from "../id";
import { emailSchema } from "../user";
import { userTable } from "../user/user.sql";
import { fn } from "../util/fn";
import { workspaceTable } from "../workspace/workspace.sql";
import type { WorkspaceInfo } from "../workspace";
import { invitationTable, memberTable, roles } from "./member.sql";

export { invitationTable, memberTable, roles } from "./member.sql";

const INVITATION_DAYS = 14;

/** How many invitation emails a workspace, an invitee of one workspace, and an inviter may cause. */
export const inviteLimits = {
  perWorkspace: { limit: 20, window: 3600 },
  perWorkspaceEmail: { limit: 3, window: 86_400 },
  perInviter: { limit: 50, window: 3600 },
};

export const roleSchema = z.enum(roles);

export interface MemberInfo {
  id: string;
  userId: string;
  email: string;
  role: Role;
  timeJoined: Date;
}

export interface InvitationInfo {
  id: string;
  email: string;
  role: Role;
  invitedBy: { id: string; email: string | null };
  timeCreated: Date;
  timeExpires: Date;
}

/** An invitation as its invitee sees it (`GET /api/invitations`). */
export interface PendingInvitation {
  id: string;
  role: Role;
  workspace: { id: string; slug: string; name: string };
  invitedBy: { email: string | null };
  timeCreated: Date;
  timeExpires: Date;
}

export function publicUrl() {
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}

async function countOwnersForUpdate(tx: Tx, workspaceId: string) {
  const rows = await tx
    .select({ id: memberTable.id })
    .from(memberTable)
    .where(and(eq(memberTable.workspaceId, workspaceId), eq(memberTable.role, "owner")))
    .for("update");
  return rows.length;
}

async function memberForUpdate(tx: Tx, workspaceId: string, memberId: string) {
  const [row] = await tx
    .select({ id: memberTable.id, userId: memberTable.userId, role: memberTable.role, email: userTable.email })
    .from(memberTable)
    .innerJoin(userTable, eq(userTable.id, memberTable.userId))
    .where(and(eq(memberTable.workspaceId, workspaceId), eq(memberTable.id, memberId)))
    .for("update");
  if (!row) throw new NotFoundError("Member");
  return row;
}

export namespace Member {
  export const Events = {
    Removed: defineEvent("member.removed", z.object({ memberId: z.string(), userId: z.string() })),
  };

  export async function list(): Promise<MemberInfo[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({
          id: memberTable.id,
          userId: memberTable.userId,
          email: userTable.email,
          role: memberTable.role,
          timeJoined: memberTable.timeCreated,
        })
        .from(memberTable)
        .innerJoin(userTable, eq(userTable.id, memberTable.userId))
        .where(eq(memberTable.workspaceId, workspaceId))
        .orderBy(asc(userTable.email)),
    );
  }

  export async function invitations(): Promise<InvitationInfo[]> {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db
        .select({
          id: invitationTable.id,
          email: invitationTable.email,
          role: invitationTable.role,
          invitedById: invitationTable.invitedBy,
          invitedByEmail: userTable.email,
          timeCreated: invitationTable.timeCreated,
          timeExpires: invitationTable.timeExpires,
        })
        .from(invitationTable)
        .leftJoin(userTable, eq(userTable.id, invitationTable.invitedBy))
        .where(and(eq(invitationTable.workspaceId, workspaceId), gt(invitationTable.timeExpires, new Date())))
        .orderBy(asc(invitationTable.email)),
    );
    return rows.map(({ invitedById, invitedByEmail, ...r }) => ({ ...r, invitedBy: { id: invitedById, email: invitedByEmail } }));
  }

  /** Invites `email` to the current workspace (admin; owner to invite an owner). */
  export const invite = fn(
    z.object({ email: emailSchema, role: roleSchema.default("member") }),
    async (input): Promise<InvitationInfo> => {
      Actor.assertRole("admin");
      if (input.role === "owner") Actor.assertRole("owner");
      const ws = Actor.workspace();
      const inviter = Actor.user();
      await RateLimit.hit(`invite:ws:${ws.id}`, inviteLimits.perWorkspace, "Too many invitations from this workspace; wait a while");
      await RateLimit.hit(`invite:ws-email:${ws.id}:${input.email}`, inviteLimits.perWorkspaceEmail, `${input.email} was invited several times today; wait until tomorrow`);
      await RateLimit.hit(`invite:user:${inviter.userId}`, inviteLimits.perInviter, "Too many invitations sent; wait a while");
      const now = new Date();
      const expires = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
      const result = await Database.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: memberTable.id })
          .from(memberTable)
          .innerJoin(userTable, eq(userTable.id, memberTable.userId))
          .where(and(eq(memberTable.workspaceId, ws.id), eq(userTable.email, input.email)));
        if (existing) throw new VisibleError("already_member", `${input.email} is already a member`);
        const id = createId();
        await tx
          .insert(invitationTable)
          .values({ workspaceId: ws.id, id, email: input.email, role: input.role, invitedBy: inviter.userId, timeExpires: expires })
          .onDuplicateKeyUpdate({
            set: { role: input.role, invitedBy: inviter.userId, timeExpires: expires, timeUpdated: now },
          });
        const [row] = await tx
          .select({ id: invitationTable.id, timeCreated: invitationTable.timeCreated })
          .from(invitationTable)
          .where(and(eq(invitationTable.workspaceId, ws.id), eq(invitationTable.email, input.email)));
        const [workspace] = await tx.select({ name: workspaceTable.name }).from(workspaceTable).where(eq(workspaceTable.id, ws.id));
        await Audit.record("member.invite", { type: "invitation", id: row!.id, label: input.email }, { role: input.role });
        // Names people chose are one capped line with no clickable link (email/text.ts).
        const name = inlineText(workspace?.name ?? ws.slug, 60);
        const from = inlineText(inviter.email, 100);
        const page = `${publicUrl()}/invitations`;
        const signIn = `${publicUrl()}/auth?email=${encodeURIComponent(input.email)}&next=${encodeURIComponent("/invitations")}`;
        await Database.afterCommit(() =>
          Email.send({
            to: input.email,
            subject: `Join ${name} on Console`,
            text: [
              `${from} invited you to the workspace "${name}" on Console as ${input.role === "member" ? "a member" : `an ${input.role}`}.`,
              "",
              `Sign in with this email address to accept or decline: ${signIn}`,
              `Already signed in? Your invitations: ${page}`,
              "",
              `The invitation expires on ${expires.toUTCString()}. If you do not know this workspace, ignore this email: nothing happens until you accept.`,
            ].join("\n"),
          }),
        );
        return { id: row!.id, timeCreated: row!.timeCreated };
      });
      return {
        id: result.id,
        email: input.email,
        role: input.role,
        invitedBy: { id: inviter.userId, email: inviter.email },
        timeCreated: result.timeCreated,
        timeExpires: expires,
      };
    },
  );

  export const revokeInvitation = fn(z.string().min(1).max(64), async (invitationId) => {
    Actor.assertRole("admin");
    const workspaceId = Actor.workspaceId();
    await Database.transaction(async (tx) => {
      const [row] = await tx
        .select({ email: invitationTable.email })
        .from(invitationTable)
        .where(and(eq(invitationTable.workspaceId, workspaceId), eq(invitationTable.id, invitationId)));
      if (!row) throw new NotFoundError("Invitation");
      await tx.delete(invitationTable).where(and(eq(invitationTable.workspaceId, workspaceId), eq(invitationTable.id, invitationId)));
      await Audit.record("member.invite.revoke", { type: "invitation", id: invitationId, label: row.email });
    });
  });

  export const changeRole = fn(
    z.object({ memberId: z.string().min(1).max(64), role: roleSchema }),
    async (input): Promise<MemberInfo> => {
      Actor.assertRole("admin");
      const workspaceId = Actor.workspaceId();
      return Database.transaction(async (tx) => {
        const member = await memberForUpdate(tx, workspaceId, input.memberId);
        if ((member.role === "owner" || input.role === "owner") && member.role !== input.role) Actor.assertRole("owner");
        if (member.role === "owner" && input.role !== "owner" && (await countOwnersForUpdate(tx, workspaceId)) <= 1) {
          throw new VisibleError("last_owner", "A workspace needs at least one owner; make someone else owner first");
        }
        if (member.role !== input.role) {
          await tx
            .update(memberTable)
            .set({ role: input.role })
            .where(and(eq(memberTable.workspaceId, workspaceId), eq(memberTable.id, input.memberId)));
          await Audit.record("member.role", { type: "member", id: member.id, label: member.email }, { from: member.role, to: input.role });
        }
        const [row] = await tx
          .select({ timeJoined: memberTable.timeCreated })
          .from(memberTable)
          .where(and(eq(memberTable.workspaceId, workspaceId), eq(memberTable.id, input.memberId)));
        return { id: member.id, userId: member.userId, email: member.email, role: input.role, timeJoined: row!.timeJoined };
      });
    },
  );

  /** Removes a member (admin; owner to remove an owner); anyone may remove themselves. */
  export const remove = fn(z.string().min(1).max(64), async (memberId) => {
    const workspaceId = Actor.workspaceId();
    const userId = Actor.userId();
    await Database.transaction(async (tx) => {
      const member = await memberForUpdate(tx, workspaceId, memberId);
      const self = member.userId === userId;
      if (!self) {
        Actor.assertRole("admin");
        if (member.role === "owner") Actor.assertRole("owner");
      }
      if (member.role === "owner" && (await countOwnersForUpdate(tx, workspaceId)) <= 1) {
        throw new VisibleError("last_owner", "A workspace needs at least one owner; make someone else owner first");
      }
      await tx.delete(memberTable).where(and(eq(memberTable.workspaceId, workspaceId), eq(memberTable.id, memberId)));
      await Audit.record(self ? "member.leave" : "member.remove", { type: "member", id: member.id, label: member.email }, { role: member.role });
      await Bus.publish(Events.Removed, { memberId, userId: member.userId });
    });
  });

  /** The signed-in user's pending invitations (addressed to their email, unexpired, of live workspaces). */
  export async function pending(): Promise<PendingInvitation[]> {
    const user = Actor.user();
    const inviter = alias(userTable, "inviter");
    const rows = await Database.use((db) =>
      db
        .select({
          id: invitationTable.id,
          role: invitationTable.role,
          workspaceId: workspaceTable.id,
          workspaceSlug: workspaceTable.slug,
          workspaceName: workspaceTable.name,
          inviterEmail: inviter.email,
          timeCreated: invitationTable.timeCreated,
          timeExpires: invitationTable.timeExpires,
        })
        .from(invitationTable)
        .innerJoin(workspaceTable, eq(workspaceTable.id, invitationTable.workspaceId))
        .leftJoin(inviter, eq(inviter.id, invitationTable.invitedBy))
        .where(and(eq(invitationTable.email, user.email), gt(invitationTable.timeExpires, new Date()), isNull(workspaceTable.timeDeleted)))
        .orderBy(desc(invitationTable.timeCreated)),
    );
    return rows.map((r) => ({
      id: r.id,
      role: r.role,
      workspace: { id: r.workspaceId, slug: r.workspaceSlug, name: r.workspaceName },
      invitedBy: { email: r.inviterEmail },
      timeCreated: r.timeCreated,
      timeExpires: r.timeExpires,
    }));
  }

  /** The signed-in user's invitation `id`, locked for the answer; 404 when it is not theirs, expired, or its workspace is gone. */
  async function ownInvitationForUpdate(tx: Tx, invitationId: string) {
    const user = Actor.user();
    const [row] = await tx
      .select({ workspaceId: invitationTable.workspaceId, id: invitationTable.id, role: invitationTable.role, email: invitationTable.email })
      .from(invitationTable)
      .innerJoin(workspaceTable, eq(workspaceTable.id, invitationTable.workspaceId))
      .where(
        and(
          eq(invitationTable.id, invitationId),
          eq(invitationTable.email, user.email),
          gt(invitationTable.timeExpires, new Date()),
          isNull(workspaceTable.timeDeleted),
        ),
      )
      .for("update");
    if (!row) throw new NotFoundError("Invitation");
    return row;
  }

  /** The invitee joins the workspace with the invited role (keeping their role if they are a member already). */
  export const acceptInvitation = fn(z.string().min(1).max(64), async (invitationId): Promise<WorkspaceInfo> => {
    const user = Actor.user();
    return Database.transaction(async (tx) => {
      const inv = await ownInvitationForUpdate(tx, invitationId);
      await tx.delete(invitationTable).where(and(eq(invitationTable.workspaceId, inv.workspaceId), eq(invitationTable.id, inv.id)));
      const id = createId();
      await tx
        .insert(memberTable)
        .values({ workspaceId: inv.workspaceId, id, userId: user.userId, role: inv.role })
        .onDuplicateKeyUpdate({ set: { userId: sql`${memberTable.userId}` } });
      const [joined] = await tx
        .select({
          memberId: memberTable.id,
          id: workspaceTable.id,
          slug: workspaceTable.slug,
          name: workspaceTable.name,
          role: memberTable.role,
          timeCreated: workspaceTable.timeCreated,
        })
        .from(memberTable)
        .innerJoin(workspaceTable, eq(workspaceTable.id, memberTable.workspaceId))
        .where(and(eq(memberTable.workspaceId, inv.workspaceId), eq(memberTable.userId, user.userId)));
      await Audit.record("member.join", { type: "member", id: joined!.memberId, label: user.email }, { role: joined!.role, invitation: inv.id }, inv.workspaceId);
      const { memberId: _, ...workspace } = joined!;
      return workspace;
    });
  });

  /** The invitee says no: the invitation goes away (the workspace's audit log keeps the answer). */
  export const declineInvitation = fn(z.string().min(1).max(64), async (invitationId): Promise<void> => {
    const user = Actor.user();
    await Database.transaction(async (tx) => {
      const inv = await ownInvitationForUpdate(tx, invitationId);
      await tx.delete(invitationTable).where(and(eq(invitationTable.workspaceId, inv.workspaceId), eq(invitationTable.id, inv.id)));
      await Audit.record("member.invite.decline", { type: "invitation", id: inv.id, label: user.email }, { role: inv.role }, inv.workspaceId);
    });
  });

  /** Drops expired invitations. */
  export async function pruneInvitations() {
    await Database.use((db) => db.delete(invitationTable).where(lte(invitationTable.timeExpires, new Date())));
  }

  export function assertCanManage() {
    if (!Actor.hasRole("admin")) throw new ForbiddenError("Only owners and admins can manage members");
  }
}
