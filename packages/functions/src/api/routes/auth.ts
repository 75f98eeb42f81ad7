import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { Actor } from "@console/core/actor";
import { Auth, CODE_TTL_MS, SESSION_TTL_MS } from "@console/core/auth";
import { env } from "@console/core/env";
import { Workspace } from "@console/core/workspace";
import { publicActor, SESSION_COOKIE, type AppEnv } from "../context";
import { json, param } from "../validate";

const verify = Auth.verify.schema.shape;

/** Holds the challenge of the code this browser asked for (see Auth.requestCode). */
const SIGNIN_COOKIE = "console_signin";

/** HttpOnly cookies, Secure when the console is served over https. */
const cookie = (path: string, maxAgeMs: number, sameSite: "Strict" | "Lax") => ({
  httpOnly: true,
  sameSite,
  secure: (env.PUBLIC_URL ?? "").startsWith("https://"),
  path,
  maxAge: Math.floor(maxAgeMs / 1000),
});

/** The challenge from the body (API clients) or the sign-in cookie (the web app). */
function challengeOf(c: Context<AppEnv>, body: { challenge?: string }): string | undefined {
  return body.challenge ?? getCookie(c, SIGNIN_COOKIE);
}

export const authRoutes = new Hono<AppEnv>()
  .post("/auth/code", publicActor, json(Auth.requestCode.schema.pick({ email: true }).extend({ challenge: z.string().max(128).optional() })), async (c) => {
    const body = c.req.valid("json");
    const result = await Auth.requestCode({ email: body.email, ip: c.get("ip"), challenge: challengeOf(c, body) });
    setCookie(c, SIGNIN_COOKIE, result.challenge, cookie("/api/auth", CODE_TTL_MS, "Strict"));
    return c.json({ ok: true as const, email: result.email, challenge: result.challenge }, 202);
  })
  .post(
    "/auth/verify",
    publicActor,
    json(
      z.object({
        email: verify.email,
        // A code typed as a number loses its leading zeros: put them back.
        code: z.union([z.number().transform((n) => String(n).padStart(6, "0")), z.string()]).pipe(verify.code),
        challenge: z.string().max(128).optional(),
      }),
    ),
    async (c) => {
      const body = c.req.valid("json");
      const result = await Auth.verify({
        email: body.email,
        code: body.code,
        challenge: challengeOf(c, body),
        ip: c.get("ip"),
        userAgent: c.req.header("user-agent"),
      });
      deleteCookie(c, SIGNIN_COOKIE, { path: "/api/auth" });
      setCookie(c, SESSION_COOKIE, result.token, cookie("/", SESSION_TTL_MS, "Lax"));
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
    return c.json({ user: { id: user.userId, email: user.email }, workspaces: await Workspace.list() });
  })
  .get("/sessions", async (c) => c.json(await Auth.sessions()))
  .delete("/sessions/:id", param(z.object({ id: Auth.revoke.schema })), async (c) => {
    await Auth.revoke(c.req.valid("param").id);
    return c.json({ ok: true as const });
  });
