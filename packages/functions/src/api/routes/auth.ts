import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { Actor } from "@console/core/actor";
import { Auth, SESSION_TTL_MS } from "@console/core/auth";
import { env } from "@console/core/env";
import { Member } from "@console/core/member";
import { Workspace } from "@console/core/workspace";
import { publicActor, SESSION_COOKIE, type AppEnv } from "../context";
import { json, param } from "../validate";

const verify = Auth.verify.schema.shape;

export const authRoutes = new Hono<AppEnv>()
  .post("/auth/code", publicActor, json(Auth.requestCode.schema.pick({ email: true })), async (c) => {
    const result = await Auth.requestCode({ email: c.req.valid("json").email, ip: c.get("ip") });
    return c.json({ ok: true as const, email: result.email }, 202);
  })
  .post(
    "/auth/verify",
    publicActor,
    json(
      z.object({
        email: verify.email,
        // A code typed as a number loses its leading zeros: put them back.
        code: z.union([z.number().transform((n) => String(n).padStart(6, "0")), z.string()]).pipe(verify.code),
      }),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const result = await Auth.verify({ email: body.email, code: body.code, ip: c.get("ip"), userAgent: c.req.header("user-agent") });
      setCookie(c, SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: "Lax",
        secure: (env.PUBLIC_URL ?? "").startsWith("https://"),
        path: "/",
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
      });
      return c.json(result);
    },
  );

/** Needs a session (applied by the API before these routes). */
export const accountRoutes = new Hono<AppEnv>()
  .post("/auth/logout", async (c) => {
    await Auth.revoke(c.get("sessionId")!);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ ok: true as const });
  })
  .get("/me", async (c) => {
    const user = Actor.user();
    await Member.acceptInvitations({ id: user.userId, email: user.email });
    return c.json({ user: { id: user.userId, email: user.email }, workspaces: await Workspace.list() });
  })
  .get("/sessions", async (c) => c.json(await Auth.sessions()))
  .delete("/sessions/:id", param(z.object({ id: Auth.revoke.schema })), async (c) => {
    await Auth.revoke(c.req.valid("param").id);
    return c.json({ ok: true as const });
  });
