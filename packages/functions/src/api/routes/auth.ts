import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { Actor } from "@console/core/actor";
import { Auth, SESSION_TTL_MS } from "@console/core/auth";
import { env } from "@console/core/env";
import { Member } from "@console/core/member";
import { Workspace } from "@console/core/workspace";
import { jsonBody } from "../body";
import { publicActor, SESSION_COOKIE, type AppEnv } from "../context";

export const authRoutes = new Hono<AppEnv>()
  .post("/auth/code", publicActor, async (c) => {
    const body = await jsonBody(c);
    const result = await Auth.requestCode({ email: body.email as string, ip: c.get("ip") });
    return c.json({ ok: true, email: result.email }, 202);
  })
  .post("/auth/verify", publicActor, async (c) => {
    const body = await jsonBody(c);
    const result = await Auth.verify({
      email: body.email as string,
      code: typeof body.code === "number" ? String(body.code).padStart(6, "0") : (body.code as string),
      ip: c.get("ip"),
      userAgent: c.req.header("user-agent"),
    });
    setCookie(c, SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: "Lax",
      secure: (env.PUBLIC_URL ?? "").startsWith("https://"),
      path: "/",
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
    return c.json(result);
  });

/** Needs a session (applied by the API before these routes). */
export const accountRoutes = new Hono<AppEnv>()
  .post("/auth/logout", async (c) => {
    await Auth.revoke(c.get("sessionId")!);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.json({ ok: true });
  })
  .get("/me", async (c) => {
    const user = Actor.user();
    await Member.acceptInvitations({ id: user.userId, email: user.email });
    return c.json({ user: { id: user.userId, email: user.email }, workspaces: await Workspace.list() });
  })
  .get("/sessions", async (c) => c.json(await Auth.sessions()))
  .delete("/sessions/:id", async (c) => {
    await Auth.revoke(c.req.param("id"));
    return c.json({ ok: true });
  });
