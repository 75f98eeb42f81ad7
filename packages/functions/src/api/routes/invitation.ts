/**
 * The signed-in user's own invitations: a workspace invitation is joined only when its
 * invitee accepts it (needs a session; applied by the API before these routes).
 */
import { Hono } from "hono";
import { z } from "zod";
import { Member } from "@console/core/member";
import type { AppEnv } from "../context";
import { param } from "../validate";

const invitation = param(z.object({ invitation: z.string().min(1).max(64) }));

export const invitationRoutes = new Hono<AppEnv>()
  .get("/invitations", async (c) => c.json(await Member.pending()))
  .post("/invitations/:invitation/accept", invitation, async (c) => {
    const workspace = await Member.acceptInvitation(c.req.valid("param").invitation);
    return c.json({ workspace });
  })
  .post("/invitations/:invitation/decline", invitation, async (c) => {
    await Member.declineInvitation(c.req.valid("param").invitation);
    return c.json({ ok: true as const });
  });
