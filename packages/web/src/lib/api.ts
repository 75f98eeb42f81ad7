/**
 * The HTTP API client (contract: docs/api.md).
 *
 * - Sends `Authorization: Bearer <token>` when a token is stored (kept in localStorage after
 *   sign-in). The server also sets a session cookie, so a missing token still works.
 * - JSON in, JSON out. Requests that change something always carry
 *   `Content-Type: application/json`, which the server asks of cookie-authenticated calls.
 * - Failures become `ApiError` with the stable `code` from `{ error: { code, message } }`.
 * - A 401 outside the sign-in endpoints clears the token and hands over to the
 *   unauthorized handler (the app sends the user to /auth).
 * - A 403/404 on a workspace path is announced (`onWorkspaceDenied`) so the workspace
 *   layout can check whether the caller still belongs to that workspace.
 */
import { storage } from "./storage";

const TOKEN_KEY = "console.token";

export function getToken(): string | null {
  return storage.get(TOKEN_KEY);
}

export function setToken(token: string): void {
  storage.set(TOKEN_KEY, token);
}

export function clearToken(): void {
  storage.remove(TOKEN_KEY);
}

export type Role = "owner" | "admin" | "member";

export interface User {
  id: string;
  email: string;
}

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  role: Role;
  timeCreated: string;
}

export interface Me {
  user: User;
  workspaces: Workspace[];
}

export interface VerifyResult {
  token: string;
  user: User;
  session: { id: string; timeExpires: string };
}

export interface Member {
  id: string;
  userId: string;
  email: string;
  role: Role;
  timeJoined: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  invitedBy: { id: string; email: string } | null;
  timeCreated: string;
  timeExpires: string;
}

export interface AuditEntry {
  id: string;
  action: string;
  actor: { type: string; id?: string; email?: string };
  target: { type: string; id?: string; label?: string };
  data: unknown;
  ip: string | null;
  timeCreated: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

export type AccountStatus = "connecting" | "connected" | "scanning" | "failed" | "disconnecting";
export type AccountMethod = "stack" | "manual" | "demo";

export interface ScanProgress {
  regionsTotal: number;
  regionsDone: number;
  /** The regions being scanned right now. */
  current?: string[];
  stagesFound?: number;
  startedAt: string;
}

/** A connection between the workspace and an AWS account. */
export interface Account {
  id: string;
  /** The 12-digit AWS account id; null until the console assumed the role. */
  accountId: string | null;
  status: AccountStatus;
  method: AccountMethod;
  /** The AWS reason when failed, or the last scan's warnings. */
  reason: string | null;
  progress: ScanProgress | null;
  roleArn: string | null;
  timeCreated: string;
  timeConnected: string | null;
  timeScanned: string | null;
}

export type TemplateVariant = "least" | "readonly" | "admin";

/** What the user needs to deploy the connection stack. */
export interface ConnectInfo {
  connectionId: string;
  stackName: string;
  region: "us-east-1";
  templateUrl: string | null;
  quickCreateUrl: string | null;
  /** The stack tells the console itself; otherwise the user presses Check. */
  callback: boolean;
  parameters: {
    ConnectionId: string;
    ExternalId: string;
    ConsoleAccountId: string;
    ConsoleBusArn: string;
    ServiceToken?: string;
  } & Record<string, string>;
}

/** What this console can do (`GET /api/config`). */
export interface ConsoleConfig {
  /** An emulated demo account can be connected (local runtime). */
  demo: boolean;
  callback: boolean;
  templatePublished: boolean;
}

export interface Stage {
  id: string;
  appId: string;
  app: string;
  name: string;
  /** The connection (Account.id) the stage was found through. */
  connectionId: string;
  /** The 12-digit AWS account id. */
  accountId: string | null;
  region: string;
  version: "v3" | "v2";
  personal: boolean;
  functionCount: number;
  resourceCount: number;
  timeDeployed: string | null;
  timeUpdated: string;
}

export interface LambdaFunction {
  id: string;
  stageId: string;
  component: string;
  name: string;
  arn: string;
  region: string;
  accountId: string;
  runtime: string | null;
  handler: string | null;
  sourceHandler: string | null;
  memorySize: number | null;
  /** Seconds. */
  timeout: number | null;
  /** Bytes. */
  codeSize: number | null;
  logGroup: string;
  live: boolean;
  internal: boolean;
  timeDeployed: string | null;
}

export interface Resource {
  id: string;
  /** URN (SST v3) or construct address (v2). */
  key: string;
  type: string;
  name: string;
  parentKey: string | null;
  outputs: unknown;
}

export interface StageDetail {
  stage: Stage;
  functions: LambdaFunction[];
  resources: Resource[];
}

export type IssueStatus = "active" | "resolved" | "ignored";
export type IssueKind =
  | "invoke"
  | "uncaught"
  | "unhandled-rejection"
  | "console"
  | "timeout"
  | "oom"
  | "exit"
  | "init"
  | "runtime";

/** One issue in a list (`GET /issues`). */
export interface IssueSummary {
  id: string;
  stageId: string;
  app: string;
  stage: string;
  type: string;
  /** Up to 500 characters in lists. */
  message: string;
  kind: IssueKind;
  /** The Lambda function name of the latest occurrence. */
  functionName: string | null;
  status: IssueStatus;
  count: number;
  timeFirstSeen: string;
  timeLastSeen: string;
  timeResolved: string | null;
  timeIgnored: string | null;
  /** Occurrences per hour over the last 24 hours, oldest first. */
  last24h: number[];
}

export interface IssuePage {
  issues: IssueSummary[];
  next: string | null;
}

export type IssueCounts = Record<IssueStatus, number>;

/** The source line of a frame and its neighbours; `start` is the line number of the first line shown. */
export interface SourceContext {
  start: number;
  pre: string[];
  line: string;
  post: string[];
}

export interface Frame {
  file: string;
  line?: number;
  column?: number;
  function?: string;
  module?: string;
  inApp: boolean;
  raw: string;
  context?: SourceContext;
  /** The bundle position before source mapping (mapped frames only). */
  generated?: { file: string; line?: number; column?: number; function?: string };
}

export interface ErrorCause {
  type: string;
  message: string;
  frames: Frame[];
}

export type IssueRuntime = "node" | "python" | "java" | "dotnet" | "go" | "ruby" | "provided" | "unknown";

/** An error as detected in the logs (frames newest call first). */
export interface DetectedError {
  type: string;
  message: string;
  frames: Frame[];
  causes?: ErrorCause[];
  kind: IssueKind;
  phase: "init" | "invoke";
  requestId?: string;
  timestamp: number;
  eventIds: string[];
  runtime: IssueRuntime;
}

export interface LogLine {
  id?: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  message: string;
}

export interface Occurrence {
  id: string;
  requestId: string | null;
  functionName: string;
  logGroup: string;
  logStream: string;
  error: DetectedError;
  lines: LogLine[];
  timeSeen: string;
}

export interface IssueDetail {
  issue: Omit<IssueSummary, "last24h" | "app" | "stage"> & {
    app: string | null;
    stage: string | null;
    error: DetectedError;
    groupingVersion: number;
    groupingBasis: { basis: string; components: string[] } | null;
    resolvedBy?: string | null;
  };
  stage: Stage | null;
  hourly: { start: string; counts: number[] };
  functions: { functionName: string; count: number }[];
  occurrences: Occurrence[];
  /** How many fingerprints lead to this issue (more than one after a merge). */
  hashes: number;
}

export interface OccurrenceLogs {
  source: "cloudwatch" | "stored";
  lines: LogLine[];
}

export type WarningType =
  | "subscription_limit"
  | "subscription_permission"
  | "subscription_missing_log_group"
  | "subscription_failed"
  | "issues_rate_limited";

export interface ConsoleWarning {
  id: string;
  type: WarningType;
  /** A function id for subscription warnings, "workspace" for the rate limit. */
  target: string;
  stageId: string | null;
  message: string;
  data: Record<string, unknown> | null;
  timeCreated: string;
  timeUpdated: string;
  timeExpires: string | null;
}

export interface WarningRetryResult {
  retried: boolean;
  result?: { subscribed: number; unchanged: number; removed: number; warnings: number };
}

export interface IssueQuery {
  status: IssueStatus;
  stage?: string;
  function?: string;
  limit?: number;
  before?: string | null;
}

/** A failed API call. `code` is the server's stable code, or `network` when no answer came. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait, from `Retry-After`, on 429 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** The caller is not (or no longer) allowed to see what it asked for. */
  get isNoAccess(): boolean {
    return this.status === 404 || this.status === 403;
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof Error) return new ApiError(0, "client", err.message);
  return new ApiError(0, "client", String(err));
}

type Listener<T> = (value: T) => void;

let unauthorizedHandler: () => void = () => {
  window.location.assign("/auth");
};
const deniedListeners = new Set<Listener<string>>();

/** Called once by the app: what to do when the session is gone. */
export function setUnauthorizedHandler(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** Subscribe to 403/404 answers on `/api/workspaces/:workspace/...`; returns the unsubscribe. */
export function onWorkspaceDenied(listener: Listener<string>): () => void {
  deniedListeners.add(listener);
  return () => deniedListeners.delete(listener);
}

const WORKSPACE_PATH = /^\/api\/workspaces\/([^/?#]+)/;

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (method !== "GET") headers["Content-Type"] = "application/json";

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "Could not reach the server. Check your connection and try again.");
  }

  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }

  if (response.ok) return json as T;

  const payload = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)
    ?.error;
  const error = new ApiError(
    response.status,
    payload?.code ?? (response.status >= 500 ? "internal" : "http_" + response.status),
    payload?.message ?? (response.statusText || "Request failed"),
    payload?.details,
    parseRetryAfter(response.headers.get("Retry-After")),
  );

  if (response.status === 401 && !path.startsWith("/api/auth/")) {
    clearToken();
    unauthorizedHandler();
  }
  if (error.isNoAccess) {
    const match = WORKSPACE_PATH.exec(path);
    if (match?.[1]) {
      const workspace = decodeURIComponent(match[1]);
      for (const listener of deniedListeners) listener(workspace);
    }
  }
  throw error;
}

const enc = encodeURIComponent;
const ws = (workspace: string) => `/api/workspaces/${enc(workspace)}`;

/** Typed endpoints, one per row of docs/api.md. */
export const api = {
  sendCode: (email: string) => request<{ ok: true; email: string }>("POST", "/api/auth/code", { email }),
  verify: (email: string, code: string) =>
    request<VerifyResult>("POST", "/api/auth/verify", { email, code }),
  logout: () => request<{ ok: true }>("POST", "/api/auth/logout"),
  me: () => request<Me>("GET", "/api/me"),

  workspaces: {
    list: () => request<Workspace[]>("GET", "/api/workspaces"),
    create: (input: { name: string; slug?: string }) => request<Workspace>("POST", "/api/workspaces", input),
    get: (workspace: string) => request<Workspace>("GET", ws(workspace)),
    update: (workspace: string, input: { name?: string; slug?: string }) =>
      request<Workspace>("PATCH", ws(workspace), input),
    remove: (workspace: string) => request<{ ok: true }>("DELETE", ws(workspace)),
  },

  members: {
    list: (workspace: string) => request<Member[]>("GET", `${ws(workspace)}/members`),
    invite: (workspace: string, input: { email: string; role: Role }) =>
      request<Invitation>("POST", `${ws(workspace)}/members`, input),
    update: (workspace: string, member: string, role: Role) =>
      request<Member>("PATCH", `${ws(workspace)}/members/${enc(member)}`, { role }),
    remove: (workspace: string, member: string) =>
      request<{ ok: true }>("DELETE", `${ws(workspace)}/members/${enc(member)}`),
  },

  invitations: {
    list: (workspace: string) => request<Invitation[]>("GET", `${ws(workspace)}/invitations`),
    revoke: (workspace: string, invitation: string) =>
      request<{ ok: true }>("DELETE", `${ws(workspace)}/invitations/${enc(invitation)}`),
  },

  audit: {
    list: (workspace: string, before?: string | null, limit = 50) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (before) query.set("before", before);
      return request<AuditPage>("GET", `${ws(workspace)}/audit?${query}`);
    },
  },

  config: () => request<ConsoleConfig>("GET", "/api/config"),

  /** The download link of the connection template (public). */
  templateUrl: (variant: TemplateVariant) => `/api/template?variant=${enc(variant)}`,

  accounts: {
    list: (workspace: string) => request<Account[]>("GET", `${ws(workspace)}/accounts`),
    get: (workspace: string, account: string) => request<Account>("GET", `${ws(workspace)}/accounts/${enc(account)}`),
    create: (workspace: string) =>
      request<{ account: Account; connect: ConnectInfo }>("POST", `${ws(workspace)}/accounts`, {}),
    demo: (workspace: string) => request<Account>("POST", `${ws(workspace)}/accounts/demo`),
    connect: (workspace: string, account: string, variant: TemplateVariant = "least") =>
      request<ConnectInfo>("GET", `${ws(workspace)}/accounts/${enc(account)}/connect?variant=${enc(variant)}`),
    check: (workspace: string, account: string, accountId: string) =>
      request<Account>("POST", `${ws(workspace)}/accounts/${enc(account)}/check`, { accountId }),
    scan: (workspace: string, account: string) =>
      request<{ ok: true }>("POST", `${ws(workspace)}/accounts/${enc(account)}/scan`),
    remove: (workspace: string, account: string) =>
      request<{ ok: true }>("DELETE", `${ws(workspace)}/accounts/${enc(account)}`),
  },

  stages: {
    list: (workspace: string) => request<Stage[]>("GET", `${ws(workspace)}/stages`),
    get: (workspace: string, stage: string) => request<StageDetail>("GET", `${ws(workspace)}/stages/${enc(stage)}`),
  },

  issues: {
    list: (workspace: string, q: IssueQuery, options?: RequestOptions) => {
      const query = new URLSearchParams({ status: q.status, limit: String(q.limit ?? 50) });
      if (q.stage) query.set("stage", q.stage);
      if (q.function) query.set("function", q.function);
      if (q.before) query.set("before", q.before);
      return request<IssuePage>("GET", `${ws(workspace)}/issues?${query}`, undefined, options);
    },
    counts: (workspace: string, stage?: string) =>
      request<IssueCounts>("GET", `${ws(workspace)}/issues/counts${stage ? `?stage=${enc(stage)}` : ""}`),
    get: (workspace: string, issue: string) => request<IssueDetail>("GET", `${ws(workspace)}/issues/${enc(issue)}`),
    occurrenceLogs: (workspace: string, issue: string, occurrence: string) =>
      request<OccurrenceLogs>(
        "GET",
        `${ws(workspace)}/issues/${enc(issue)}/occurrences/${enc(occurrence)}/logs`,
      ),
    resolve: (workspace: string, ids: string[]) =>
      request<{ updated: number }>("POST", `${ws(workspace)}/issues/resolve`, { ids }),
    ignore: (workspace: string, ids: string[]) =>
      request<{ updated: number }>("POST", `${ws(workspace)}/issues/ignore`, { ids }),
    reopen: (workspace: string, ids: string[]) =>
      request<{ updated: number }>("POST", `${ws(workspace)}/issues/reopen`, { ids }),
    merge: (workspace: string, target: string, sources: string[]) =>
      request<{ merged: number; target: string }>("POST", `${ws(workspace)}/issues/merge`, { target, sources }),
  },

  warnings: {
    list: (workspace: string, stage?: string) =>
      request<ConsoleWarning[]>("GET", `${ws(workspace)}/warnings${stage ? `?stage=${enc(stage)}` : ""}`),
    retry: (workspace: string, warning: string) =>
      request<WarningRetryResult>("POST", `${ws(workspace)}/warnings/${enc(warning)}/retry`),
  },
};

/** A sentence for people, from an error code. Falls back to the server's message. */
export function describeError(err: unknown): string {
  const e = toApiError(err);
  switch (e.code) {
    case "network":
      return e.message;
    case "rate_limited":
      return e.retryAfter
        ? `Too many requests. Try again in ${formatWait(e.retryAfter)}.`
        : "Too many requests. Wait a moment and try again.";
    case "too_many_attempts":
      return "Too many wrong tries for this code. Send a new code.";
    case "invalid_code":
      return "That code is not right. Check it and try again.";
    case "code_expired":
      return "This code has expired or was already used. Send a new code.";
    case "slug_taken":
      return "This URL is already taken by another workspace.";
    case "already_member":
      return "This person is already a member of the workspace.";
    case "last_owner":
      return "A workspace needs at least one owner. Make someone else an owner first.";
    case "forbidden":
      return "You do not have permission to do this.";
    case "not_found":
      return e.message || "Not found.";
    case "unauthorized":
      return "Your session has ended. Sign in again.";
    case "unavailable":
      return "The service is unavailable right now. Try again shortly.";
    case "internal":
      return "Something went wrong on our side. Try again.";
    default:
      return e.message || "Something went wrong.";
  }
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} min`;
}

/**
 * Field errors from a `validation` error. The server lists fields in `details`; both
 * `[{ path|field, message }]` and `{ field: message | [messages] }` shapes are read.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const e = toApiError(err);
  const out: Record<string, string> = {};
  const details = e.details as unknown;
  if (Array.isArray(details)) {
    for (const item of details) {
      if (!item || typeof item !== "object") continue;
      const record = item as { path?: unknown; field?: unknown; message?: unknown };
      const rawPath = record.path ?? record.field;
      const key = Array.isArray(rawPath) ? rawPath.join(".") : typeof rawPath === "string" ? rawPath : "";
      if (key && typeof record.message === "string" && !out[key]) out[key] = record.message;
    }
  } else if (details && typeof details === "object") {
    const record = details as Record<string, unknown>;
    const fields = (record.fields && typeof record.fields === "object" ? record.fields : record) as Record<
      string,
      unknown
    >;
    for (const [key, value] of Object.entries(fields)) {
      if (typeof value === "string") out[key] = value;
      else if (Array.isArray(value) && typeof value[0] === "string") out[key] = value[0];
    }
  }
  return out;
}
