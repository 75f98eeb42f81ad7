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

/** Signs in (creating the user when new) and returns the bearer token. */
export async function signIn(email = randomEmail()): Promise<{ token: string; email: string; userId: string }> {
  const requested = await call("POST", "/api/auth/code", { body: { email } });
  if (requested.status !== 202) throw new Error(`code request failed: ${requested.status} ${JSON.stringify(requested.body)}`);
  const verified = await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email) } });
  if (verified.status !== 200) throw new Error(`verify failed: ${verified.status} ${JSON.stringify(verified.body)}`);
  return { token: verified.body.token, email, userId: verified.body.user.id };
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
