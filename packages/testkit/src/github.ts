/**
 * A local fake of the GitHub endpoints the console uses, for tests with the real
 * `@octokit` clients: `POST /app/installations/:id/access_tokens` (an installation token
 * for a request signed by the app: an RS256 JWT whose `iss` is the app id, at most ten
 * minutes long, checked against the app's public key, as GitHub does).
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

export interface FakeGithub {
  /** The REST API base (GITHUB_API_URL). */
  url: string;
  tokens: TokenRequest[];
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

export async function startFakeGithub(options: { appId: string; publicKey: string; installations: number[] }): Promise<FakeGithub> {
  const key = createPublicKey(options.publicKey);
  const tokens: TokenRequest[] = [];
  const issued: FakeGithub["issued"] = [];
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.url ?? "");
    if (req.method !== "POST" || !m) return send(404, { message: "Not Found" });
    const installationId = Number(m[1]);
    const checked = checkJwt(req.headers.authorization, key, options.appId);
    if ("error" in checked) {
      tokens.push({ installationId, iss: null, status: 401 });
      return send(401, { message: checked.error });
    }
    if (!options.installations.includes(installationId)) {
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
    issued,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
