import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor, type Role } from "../actor";
import { Audit } from "../audit";
import { Database, type Tx } from "../db";
import { Email } from "../email";
import { env } from "../env";
import { ForbiddenError, NotFoundError, VisibleError } from "../error";
import { Bus, defineEvent } from "../event";
import { createId } from "../id";
import { emailSchema } from "../user";
import { userTable } from "../user/user.sql";
import { fn } from "../util/fn";
import { workspaceTable } from "../workspace/workspace.sql";
import { invitationTable, memberTable, roles } from "./member.sql";

export { invitationTable, memberTable, roles } from "./member.sql";

const INVITATION_DAYS = 14;

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
        const name = workspace?.name ?? ws.slug;
        await Database.afterCommit(() =>
          Email.send({
            to: input.email,
            subject: `Join ${name} on Console`,
            text: [
              `${inviter.email} invited you to the workspace "${name}" on Console as ${input.role === "member" ? "a member" : `an ${input.role}`}.`,
              "",
              `Sign in with this email address to join: ${publicUrl()}/auth?email=${encodeURIComponent(input.email)}`,
              "",
              `The invitation expires on ${expires.toUTCString()}.`,
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

  /**
   * Turns the pending invitations for this user's email into memberships. Runs at
   * sign-in (and when the user loads /api/me), so an invitee joins by signing in.
   */
  export async function acceptInvitations(user: { id: string; email: string }): Promise<number> {
    const now = new Date();
    const pending = await Database.use((db) =>
      db
        .select({ workspaceId: invitationTable.workspaceId, id: invitationTable.id, role: invitationTable.role })
        .from(invitationTable)
        .innerJoin(workspaceTable, eq(workspaceTable.id, invitationTable.workspaceId))
        .where(and(eq(invitationTable.email, user.email), gt(invitationTable.timeExpires, now), sql`${workspaceTable.timeDeleted} is null`)),
    );
    let joined = 0;
    for (const inv of pending) {
      await Database.transaction(async (tx) => {
        const deleted = await tx
          .delete(invitationTable)
          .where(and(eq(invitationTable.workspaceId, inv.workspaceId), eq(invitationTable.id, inv.id)));
        if (Database.affected(deleted) === 0) return;
        const id = createId();
        await tx
          .insert(memberTable)
          .values({ workspaceId: inv.workspaceId, id, userId: user.id, role: inv.role })
          .onDuplicateKeyUpdate({ set: { userId: sql`${memberTable.userId}` } });
        await Audit.record("member.join", { type: "member", id, label: user.email }, { role: inv.role, invitation: inv.id }, inv.workspaceId);
        joined++;
      });
    }
    return joined;
  }

  /** Drops expired invitations. */
  export async function pruneInvitations() {
    await Database.use((db) => db.delete(invitationTable).where(lte(invitationTable.timeExpires, new Date())));
  }

  export function assertCanManage() {
    if (!Actor.hasRole("admin")) throw new ForbiddenError("Only owners and admins can manage members");
  }
}
