/**
 * Slack: the OAuth v2 install (a `state` bound to the workspace and the admin who
 * started it, stored hashed, single use, 10 minutes), the bot token kept encrypted,
 * the channel list, and messages as blocks. `@slack/web-api` talks to SLACK_API_URL.
 */
import { createHash, randomBytes } from "node:crypto";
import { WebClient } from "@slack/web-api";
import { eq, lt } from "drizzle-orm";
import { Actor } from "../actor";
import { Database } from "../db";
import { env } from "../env";
import { VisibleError } from "../error";
import { decrypt, encrypt } from "../util/crypto";
import { alertSlackStateTable, alertSlackTable } from "./alert.sql";

export const SLACK_SCOPES = ["chat:write", "chat:write.public", "channels:read", "groups:read"];
export const STATE_TTL_MS = 10 * 60_000;
const TOKEN_PURPOSE = "alert.slack";

const hash = (state: string) => createHash("sha256").update(state).digest("hex");

export function slackConfigured(): boolean {
  return !!env.SLACK_CLIENT_ID && !!env.SLACK_CLIENT_SECRET;
}

export function client(token?: string) {
  return new WebClient(token, {
    slackApiUrl: env.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  });
}

/** Slack errors that mean the destination is broken until someone fixes it. */
export const BROKEN_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "missing_scope",
  "no_permission",
  "ekm_access_denied",
]);

/** Slack's error string of a failed call (`token_revoked`…), or a transport code. */
export function slackError(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string } };
  if (e.data?.error) return e.data.error;
  if (e.code === "slack_webapi_rate_limited_error") return "rate_limited";
  return e.code ?? "request_failed";
}

export function redirectUri(publicApiBase: string) {
  return `${publicApiBase}/api/alerts/slack/callback`;
}

/** Starts an install: the authorize URL with a fresh state bound to this workspace and user. */
export async function startInstall(redirect: string, now = new Date()): Promise<string> {
  if (!slackConfigured()) throw new VisibleError("bad_request", "Slack is not configured on this console (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)");
  Actor.assertRole("admin");
  const state = randomBytes(32).toString("base64url");
  await Database.use((db) =>
    db.insert(alertSlackStateTable).values({
      hash: hash(state),
      workspaceId: Actor.workspaceId(),
      userId: Actor.userId(),
      timeCreated: now,
      timeExpires: new Date(now.getTime() + STATE_TTL_MS),
    }),
  );
  const url = new URL(env.SLACK_AUTHORIZE_URL);
  url.searchParams.set("client_id", env.SLACK_CLIENT_ID!);
  url.searchParams.set("scope", SLACK_SCOPES.join(","));
  url.searchParams.set("redirect_uri", redirect);
  url.searchParams.set("state", state);
  return url.toString();
}

/**
 * Takes the state of a callback: exists, unexpired, of the signed-in user, used once
 * (deleted as it is read). Returns the workspace it was started in.
 */
export async function consumeState(state: string, now = new Date()): Promise<{ workspaceId: string }> {
  const userId = Actor.userId();
  const refused = () => new VisibleError("bad_request", "This Slack authorization is not valid (expired, already used, or started by someone else). Start again from Settings → Alerts");
  if (!state || state.length > 256) throw refused();
  return Database.transaction(async (tx) => {
    const [row] = await tx.select().from(alertSlackStateTable).where(eq(alertSlackStateTable.hash, hash(state))).for("update");
    if (!row) throw refused();
    await tx.delete(alertSlackStateTable).where(eq(alertSlackStateTable.hash, row.hash));
    if (row.userId !== userId || row.timeExpires.getTime() <= now.getTime()) return { workspaceId: "" };
    return { workspaceId: row.workspaceId };
  }).then((r) => {
    if (!r.workspaceId) throw refused();
    return r;
  });
}

/** Exchanges the code and stores the installation (current workspace). */
export async function finishInstall(code: string, redirect: string) {
  const workspaceId = Actor.workspaceId();
  let res;
  try {
    res = await client().oauth.v2.access({ client_id: env.SLACK_CLIENT_ID!, client_secret: env.SLACK_CLIENT_SECRET!, code, redirect_uri: redirect });
  } catch (err) {
    throw new VisibleError("bad_request", `Slack refused the authorization (${slackError(err)})`);
  }
  if (!res.access_token || !res.team?.id) throw new VisibleError("bad_request", "Slack answered without a bot token");
  const values = {
    teamId: res.team.id,
    teamName: res.team.name ?? res.team.id,
    botUserId: res.bot_user_id ?? null,
    token: encrypt(res.access_token, TOKEN_PURPOSE),
    installedBy: Actor.userId(),
  };
  await Database.use((db) =>
    db
      .insert(alertSlackTable)
      .values({ workspaceId, ...values })
      .onDuplicateKeyUpdate({ set: { ...values, timeUpdated: new Date() } }),
  );
  return { teamId: values.teamId, teamName: values.teamName };
}

export async function installation() {
  const workspaceId = Actor.workspaceId();
  const [row] = await Database.use((db) => db.select().from(alertSlackTable).where(eq(alertSlackTable.workspaceId, workspaceId)));
  return row;
}

export async function token(): Promise<string | undefined> {
  const row = await installation();
  return row ? decrypt(row.token, TOKEN_PURPOSE) : undefined;
}

export async function removeInstallation() {
  const workspaceId = Actor.workspaceId();
  const t = await token();
  if (t) await client(t).auth.revoke().catch(() => undefined);
  await Database.use((db) => db.delete(alertSlackTable).where(eq(alertSlackTable.workspaceId, workspaceId)));
}

export async function channels(): Promise<{ id: string; name: string; private: boolean }[]> {
  const t = await token();
  if (!t) throw new VisibleError("bad_request", "Connect Slack first");
  const out: { id: string; name: string; private: boolean }[] = [];
  try {
    for await (const page of client(t).paginate("conversations.list", { types: "public_channel,private_channel", exclude_archived: true, limit: 200 })) {
      for (const c of (page as { channels?: { id?: string; name?: string; is_private?: boolean }[] }).channels ?? []) {
        if (c.id && c.name) out.push({ id: c.id, name: c.name, private: !!c.is_private });
      }
      if (out.length >= 2000) break;
    }
  } catch (err) {
    throw new VisibleError("bad_request", `Slack could not list channels (${slackError(err)})`);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function pruneStates(now = new Date()) {
  await Database.use((db) => db.delete(alertSlackStateTable).where(lt(alertSlackStateTable.timeExpires, now)));
}

