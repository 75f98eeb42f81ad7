/**
 * Fakes for alerts, bound to 127.0.0.1: a webhook receiver that verifies Standard
 * Webhooks signatures with the `standardwebhooks` verifier, and a small Slack Web API
 * (the methods the console calls) that records every call and can answer errors.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The parsed body when the signature verified, else undefined. */
  payload?: any;
  verified: boolean;
  error?: string;
  time: number;
  path: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Verified deliveries only. */
  verified(): ReceivedWebhook[];
  setSecret(secret: string): void;
  /** Answer this status (default 200) to the next requests; `hang` never answers. */
  respond(status: number | "hang"): void;
  /** Resolves when `count` verified deliveries have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret?: string): Promise<WebhookReceiver> {
  let verifier = secret ? new Webhook(secret) : undefined;
  let answer: number | "hang" = 200;
  const received: ReceivedWebhook[] = [];
  const waiters: (() => void)[] = [];
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const headers = {
      "webhook-id": String(req.headers["webhook-id"] ?? ""),
      "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
      "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
    };
    const entry: ReceivedWebhook = { id: headers["webhook-id"], timestamp: headers["webhook-timestamp"], signature: headers["webhook-signature"], body, verified: false, time: Date.now(), path: req.url ?? "/" };
    try {
      if (!verifier) throw new Error("no secret set");
      entry.payload = verifier.verify(body, headers);
      entry.verified = true;
    } catch (err) {
      entry.error = (err as Error).message;
    }
    received.push(entry);
    for (const w of waiters.splice(0)) w();
    if (answer === "hang") return; // the client times out
    res.writeHead(entry.verified ? answer : 400, { "content-type": "text/plain" }).end(entry.verified ? "ok" : "bad signature");
  });
  const url = await listen(server);
  const verified = () => received.filter((r) => r.verified);
  return {
    url,
    received,
    verified,
    setSecret(s) {
      verifier = new Webhook(s);
    },
    respond(status) {
      answer = status;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (verified().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} verified webhooks, got ${verified().length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return verified();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SlackCall {
  method: string;
  token?: string;
  args: Record<string, any>;
}

export interface FakeSlack {
  /** The Web API base (`slackApiUrl`), ending in `/api/`. */
  apiUrl: string;
  /** An authorize page stand-in (`SLACK_AUTHORIZE_URL`). */
  authorizeUrl: string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Make `method` answer `{ ok: false, error }` until cleared (undefined). */
  fail(method: string, error: string | undefined): void;
  channels: { id: string; name: string; is_private?: boolean }[];
  close(): Promise<void>;
}

export const FAKE_SLACK_TOKEN = "xoxb-fake-bot-token";

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const failures = new Map<string, string>();
  const channels = [
    { id: "C0ALERTS", name: "alerts" },
    { id: "C0GENERAL", name: "general" },
    { id: "G0PRIVATE", name: "oncall", is_private: true },
  ];
  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://x");
    const method = url.pathname.replace(/^\/api\//, "");
    let args: Record<string, any> = {};
    if ((req.headers["content-type"] ?? "").includes("json")) args = raw ? JSON.parse(raw) : {};
    else for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
    for (const k of ["blocks", "attachments"]) if (typeof args[k] === "string") args[k] = JSON.parse(args[k]);
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? args.token;
    calls.push({ method, token, args });
    const send = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    const error = failures.get(method);
    if (error) return send({ ok: false, error });
    switch (method) {
      case "oauth.v2.access":
        if (!args.code || args.code === "bad") return send({ ok: false, error: "invalid_code" });
        return send({ ok: true, access_token: FAKE_SLACK_TOKEN, token_type: "bot", scope: "chat:write,channels:read", bot_user_id: "U0BOT", app_id: "A0APP", team: { id: "T0TEAM", name: "Acme" }, enterprise: null, is_enterprise_install: false, authed_user: { id: "U0ADMIN" } });
      case "conversations.list":
        if (token !== FAKE_SLACK_TOKEN) return send({ ok: false, error: "invalid_auth" });
        return send({ ok: true, channels: channels.map((c) => ({ ...c, is_private: !!c.is_private })), response_metadata: { next_cursor: "" } });
      case "chat.postMessage":
        if (token !== FAKE_SLACK_TOKEN) return send({ ok: false, error: "invalid_auth" });
        if (!channels.some((c) => c.id === args.channel)) return send({ ok: false, error: "channel_not_found" });
        return send({ ok: true, channel: args.channel, ts: `${Date.now() / 1000}`, message: { text: args.text, blocks: args.blocks } });
      case "auth.revoke":
        return send({ ok: true, revoked: true });
      default:
        return send({ ok: false, error: "unknown_method" });
    }
  });
  const base = await listen(server);
  return {
    apiUrl: `${base}/api/`,
    authorizeUrl: `${base}/oauth/v2/authorize`,
    calls,
    callsTo: (m) => calls.filter((c) => c.method === m),
    fail(method, error) {
      if (error) failures.set(method, error);
      else failures.delete(method);
    },
    channels,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
