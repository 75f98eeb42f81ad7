/**
 * A local fake of the GitHub endpoints the console uses, for tests with the real
 * `@octokit` clients: `POST /app/installations/:id/access_tokens` and
 * `GET /app/installations/:id` (for a request signed by the app: an RS256 JWT whose `iss`
 * is the app id, at most ten minutes long, checked against the app's public key, as GitHub
 * does), `POST /login/oauth/access_token` (a user's one-use code for a user token) and
 * `GET /user/installations` (the installations that user can see). With an installation
 * token: `GET /installation/repositories` and `POST /repos/:owner/:repo/statuses/:sha` (commit
 * statuses, recorded). For `npm run dev`: GitHub's install page (`GET /apps/:slug/installations/new`,
 * which "installs" at once and redirects to the console's callback with a fresh one-use
 * OAuth code), and routes of the caller's own (`extra`, e.g. the demo's `git push`).
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenRequest {
  installationId: number;
  /** The JWT's `iss`, when the JWT verified. */
  iss: string | null;
  status: number;
}

export interface FakeRepository {
  id: number;
  full_name: string;
  default_branch: string;
  private: boolean;
}

export interface CommitStatus {
  repository: string;
  sha: string;
  installationId: number;
  state: string;
  context?: string;
  description?: string;
  target_url?: string;
}

export interface FakeGithub {
  /** The REST API base (GITHUB_API_URL), and the web base (GITHUB_URL) of the install page. */
  url: string;
  tokens: TokenRequest[];
  /** Commit statuses set through the API, oldest first. */
  statuses: CommitStatus[];
  /** Tokens issued, with when they expire. */
  issued: { token: string; installationId: number; expiresAt: string }[];
  close(): Promise<void>;
}

function b64url(s: string) {
  return Buffer.from(s, "base64url");
}

/** Checks an app JWT as GitHub does; returns its `iss` or why it is refused. */
function checkJwt(header: string | undefined, key: KeyObject, appId: string): { iss: string } | { error: string } {
  const jwt = /^bearer /i.test(header ?? "") ? header!.slice(7) : "";
  const [h, p, s] = jwt.split(".");
  if (!h || !p || !s) return { error: "A JSON web token could not be decoded" };
  let head: { alg?: string };
  let claims: { iss?: unknown; iat?: number; exp?: number };
  try {
    head = JSON.parse(b64url(h).toString("utf8"));
    claims = JSON.parse(b64url(p).toString("utf8"));
  } catch {
    return { error: "A JSON web token could not be decoded" };
  }
  if (head.alg !== "RS256" || !verify("RSA-SHA256", Buffer.from(`${h}.${p}`), key, b64url(s))) return { error: "'Issuer' claim ('iss') must be an Integer" };
  const now = Math.floor(Date.now() / 1000);
  if (String(claims.iss) !== appId) return { error: "Integration not found" };
  if (typeof claims.exp !== "number" || typeof claims.iat !== "number" || claims.exp <= now || claims.iat > now + 60 || claims.exp - claims.iat > 600) {
    return { error: "'Expiration time' claim ('exp') is too far in the future" };
  }
  return { iss: String(claims.iss) };
}

export interface FakeGithubOptions {
  appId: string;
  publicKey: string;
  /** Installations of the app, by id: the account each is on. */
  installations: Record<number, { login: string; type: "User" | "Organization" }>;
  /** The app's OAuth client. */
  client?: { id: string; secret: string };
  /** OAuth codes of users (one use each), with the installations each user can see. */
  users?: Record<string, { installations: number[] }>;
  /** Repositories each installation can see. */
  repositories?: Record<number, FakeRepository[]>;
  /** GitHub's install page: installs `installationId` and sends the browser to the console's callback. */
  installPage?: { callbackUrl: string; installationId: number };
  /** Routes of the caller's own, tried first; return undefined to let the fake answer. */
  extra?: (req: http.IncomingMessage, url: URL) => Promise<{ status: number; body: unknown } | undefined>;
}

export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const userTokens = new Map<string, number[]>();
  const usedCodes = new Set<string>();
  const key = createPublicKey(options.publicKey);
  const tokens: TokenRequest[] = [];
  const issued: FakeGithub["issued"] = [];
  const statuses: CommitStatus[] = [];
  const users = { ...options.users };
  const installationOf = (header: string | undefined) => {
    const token = (header ?? "").replace(/^(token|bearer) /i, "");
    const hit = issued.find((t) => t.token === token && Date.parse(t.expiresAt) > Date.now());
    return hit?.installationId;
  };
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const url = new URL(req.url ?? "/", "http://fake");
    try {
      const answered = await options.extra?.(req, url);
      if (answered) return send(answered.status, answered.body);
    } catch (err) {
      return send(500, { message: (err as Error).message });
    }
    const installPage = /^\/apps\/[a-z0-9-]+\/installations\/new$/.exec(url.pathname);
    if (req.method === "GET" && installPage && options.installPage) {
      const code = randomBytes(10).toString("hex");
      users[code] = { installations: [options.installPage.installationId] };
      const back = new URL(options.installPage.callbackUrl);
      back.searchParams.set("installation_id", String(options.installPage.installationId));
      back.searchParams.set("setup_action", "install");
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      back.searchParams.set("code", code);
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method === "GET" && url.pathname === "/installation/repositories") {
      const installationId = installationOf(req.headers.authorization);
      if (installationId === undefined) return send(401, { message: "Bad credentials" });
      const repositories = options.repositories?.[installationId] ?? [];
      return send(200, { total_count: repositories.length, repository_selection: "selected", repositories });
    }
    const status = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(url.pathname);
    if (req.method === "POST" && status) {
      const installationId = installationOf(req.headers.authorization);
      if (installationId === undefined) return send(401, { message: "Bad credentials" });
      const repository = `${status[1]}/${status[2]}`;
      if (!(options.repositories?.[installationId] ?? []).some((r) => r.full_name.toLowerCase() === repository.toLowerCase())) {
        return send(404, { message: "Not Found" });
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Omit<CommitStatus, "repository" | "sha" | "installationId">;
      if (!["error", "failure", "pending", "success"].includes(body.state)) return send(422, { message: "Validation Failed" });
      const recorded = { repository, sha: status[3]!, installationId, ...body };
      statuses.push(recorded);
      return send(201, { id: statuses.length, ...body });
    }
    if (req.method === "POST" && url.pathname === "/login/oauth/access_token") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      const body = (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(text || "{}") : Object.fromEntries(new URLSearchParams(text));
      if (!options.client || body.client_id !== options.client.id || body.client_secret !== options.client.secret) return send(200, { error: "incorrect_client_credentials" });
      const user = users[body.code];
      if (!user || usedCodes.has(body.code)) return send(200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
      usedCodes.add(body.code);
      const token = `ghu_${randomBytes(18).toString("base64url")}`;
      userTokens.set(token, user.installations);
      return send(200, { access_token: token, token_type: "bearer", scope: "" });
    }
    if (req.method === "GET" && url.pathname === "/user/installations") {
      const token = (req.headers.authorization ?? "").replace(/^(token|bearer) /i, "");
      const visible = userTokens.get(token);
      if (!visible) return send(401, { message: "Bad credentials" });
      const installations = visible.filter((id) => options.installations[id]).map((id) => ({ id, account: options.installations[id] }));
      return send(200, { total_count: installations.length, installations });
    }
    const one = /^\/app\/installations\/(\d+)$/.exec(url.pathname);
    if (req.method === "GET" && one) {
      const checked = checkJwt(req.headers.authorization, key, options.appId);
      if ("error" in checked) return send(401, { message: checked.error });
      const account = options.installations[Number(one[1])];
      return account ? send(200, { id: Number(one[1]), account }) : send(404, { message: "Not Found" });
    }
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(url.pathname);
    if (req.method !== "POST" || !m) return send(404, { message: "Not Found" });
    const installationId = Number(m[1]);
    const checked = checkJwt(req.headers.authorization, key, options.appId);
    if ("error" in checked) {
      tokens.push({ installationId, iss: null, status: 401 });
      return send(401, { message: checked.error });
    }
    if (!options.installations[installationId]) {
      tokens.push({ installationId, iss: checked.iss, status: 404 });
      return send(404, { message: "Not Found" });
    }
    tokens.push({ installationId, iss: checked.iss, status: 201 });
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    issued.push({ token, installationId, expiresAt });
    send(201, { token, expires_at: expiresAt, permissions: { contents: "read", statuses: "write" }, repository_selection: "selected" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    statuses,
    issued,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
