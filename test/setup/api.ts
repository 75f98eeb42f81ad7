/**
 * Test helpers for the HTTP API: requests go through the real Hono app in this
 * process (no mocks), against the run's own database.
 */
import { randomBytes } from "node:crypto";
import { createApi } from "../../packages/functions/src/api";
import { setupLocalRuntime } from "../../packages/functions/src/local/runtime";
import { Email } from "../../packages/core/src/email";

const app = createApi();
await setupLocalRuntime();

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  ip?: string;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await app.request(path, { method, headers, body }, {
    incoming: { socket: { remoteAddress: options.ip ?? randomIp() } },
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export function randomIp() {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export function randomEmail(prefix = "user") {
  return `${prefix}-${randomBytes(5).toString("hex")}@example.com`;
}

/** The code in the last sign-in email sent to `email`. */
export function lastCode(email: string): string {
  const messages = Email.sent(email).filter((m) => m.subject.includes("sign-in code"));
  const last = messages[messages.length - 1];
  const code = last && /\b(\d{6})\b/.exec(last.text)?.[1];
  if (!code) throw new Error(`No sign-in code was emailed to ${email}`);
  return code;
}

/** Asks for a sign-in code; returns the challenge that verifying it needs. */
export async function requestCode(email: string, options: { ip?: string; challenge?: string } = {}): Promise<string> {
  const body = options.challenge ? { email, challenge: options.challenge } : { email };
  const requested = await call("POST", "/api/auth/code", { body, ip: options.ip });
  if (requested.status !== 202) throw new Error(`code request failed: ${requested.status} ${JSON.stringify(requested.body)}`);
  return requested.body.challenge as string;
}

/** Signs in (creating the user when new) and returns the bearer token. */
export async function signIn(email = randomEmail(), options: { ip?: string } = {}): Promise<{ token: string; email: string; userId: string }> {
  const challenge = await requestCode(email, options);
  const verified = await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email), challenge }, ip: options.ip });
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  return { token: verified.body.token, email, userId: verified.body.user.id };
}

/** Accepts every pending invitation of the signed-in user (joining is never silent). */
export async function acceptInvitations(token: string): Promise<string[]> {
  const pending = await call("GET", "/api/invitations", { token });
  if (pending.status !== 200) throw new Error(`invitations failed: ${pending.status} ${JSON.stringify(pending.body)}`);
  const joined: string[] = [];
  for (const inv of pending.body as { id: string }[]) {
    const accepted = await call("POST", `/api/invitations/${inv.id}/accept`, { token, body: {} });
    if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    joined.push(accepted.body.workspace.id);
  }
  return joined;
}

export async function createWorkspace(token: string, name = `Team ${randomBytes(3).toString("hex")}`) {
  const res = await call("POST", "/api/workspaces", { token, body: { name } });
  if (res.status !== 201) throw new Error(`create workspace failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; name: string; role: string };
}

export function expectError(res: CallResult, status: number, code: string) {
  if (res.status !== status || res.body?.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  if (typeof res.body.error.message !== "string" || !res.body.error.message) throw new Error("error without a message");
}
