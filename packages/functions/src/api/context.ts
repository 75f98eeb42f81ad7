import { isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { Actor } from "@console/core/actor";
import { Auth } from "@console/core/auth";
import { env } from "@console/core/env";
import { VisibleError, UnauthorizedError } from "@console/core/error";
import { Workspace } from "@console/core/workspace";

export const SESSION_COOKIE = "console_session";

export type AppEnv = {
  Variables: { ip?: string; sessionId?: string };
};

/** An IP address as written in a header, normalized (no brackets, no IPv4-mapped prefix, lower case), or undefined. */
function address(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ip = value.trim().replace(/^\[|\]$/g, "").replace(/^::ffff:(?=\d+\.)/i, "").toLowerCase();
  return isIP(ip) ? ip : undefined;
}

/** `CloudFront-Viewer-Address` is `IP:port` (IPv6 without brackets, e.g. `2001:db8::1:443`). */
function viewerAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(value.trim());
  if (bracketed) return address(bracketed[1]);
  const cut = value.trim().lastIndexOf(":");
  return cut > 0 ? address(value.trim().slice(0, cut)) : undefined;
}

/**
 * The client's address. Behind CloudFront (`TRUST_PROXY=cloudfront`), the address
 * CloudFront adds: the left-most X-Forwarded-For entry is whatever the caller wrote,
 * and a Lambda function URL keeps only that one. Behind another proxy
 * (`TRUST_PROXY=true`), the right-most X-Forwarded-For hop, the one the proxy added.
 * Otherwise the connection's own address.
 */
export function clientIp(c: Context): string | undefined {
  if (env.TRUST_PROXY === "cloudfront") {
    const viewer = viewerAddress(c.req.header("cloudfront-viewer-address"));
    if (viewer) return viewer;
  } else if (env.TRUST_PROXY === "forwarded") {
    const hops = c.req.header("x-forwarded-for")?.split(",") ?? [];
    const last = address(hops[hops.length - 1]);
    if (last) return last;
  }
  const e = c.env as
    | { incoming?: { socket?: { remoteAddress?: string } }; requestContext?: { http?: { sourceIp?: string } } }
    | undefined;
  const ip = e?.requestContext?.http?.sourceIp ?? e?.incoming?.socket?.remoteAddress;
  return address(ip) ?? ip?.slice(0, 64);
}

export function bearerToken(c: Context): string | undefined {
  const header = c.req.header("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return getCookie(c, SESSION_COOKIE);
}

/** Routes that anyone may call run as the public actor. */
export const publicActor: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = clientIp(c);
  c.set("ip", ip);
  await Actor.provide({ type: "public", properties: { ip } }, () => next());
};

/** Everything else needs a live session. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const fromHeader = !!c.req.header("authorization");
  const token = bearerToken(c);
  if (!token) throw new UnauthorizedError();
  // A cookie-authenticated write must be JSON: a cross-site form cannot send that.
  if (!fromHeader && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
    const type = c.req.header("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/json")) {
      throw new VisibleError("unsupported_media_type", "Send requests with Content-Type: application/json");
    }
  }
  const session = await Auth.authenticate(token);
  if (!session) throw new UnauthorizedError("Your session has ended. Sign in again");
  const ip = clientIp(c);
  c.set("ip", ip);
  c.set("sessionId", session.id);
  await Actor.provide(
    { type: "user", properties: { userId: session.userId, email: session.email, sessionId: session.id, ip } },
    () => next(),
  );
};

/** `:workspace` routes: 404 unless the user is a member; the rest runs inside that workspace. */
export const inWorkspace: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.param("workspace");
  if (!key) throw new VisibleError("not_found", "Workspace not found");
  const ws = await Workspace.resolve(key);
  await Actor.withWorkspace(Workspace.scope(ws), () => next());
};
