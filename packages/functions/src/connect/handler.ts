/**
 * The connect custom resource: CloudFormation calls this (through the stack's
 * ServiceToken) on Create, Update and Delete of the connection resource. Anyone can
 * invoke the function, so nothing in the request is trusted:
 *
 * - The ResponseURL is checked first: only an https URL on one of CloudFormation's S3
 *   response hosts (see ./response-url.ts). Any other request is dropped without acting
 *   or answering, so the function cannot be made to send a request anywhere else.
 * - The account is acted on only after the console has assumed the connection's role
 *   with the connection's own external id (Account.fromStack).
 *
 * It answers the stack, SUCCESS or FAILED with a reason, with a PUT to the presigned
 * ResponseURL (redirects are never followed), retried; if every try fails it throws so
 * that Lambda's own retry of the asynchronous invocation answers later. A Delete is
 * always SUCCESS: a console must never block the removal of a customer's stack.
 */
import { z } from "zod";
import { Account } from "@console/core/account";
import { log } from "@console/core/util/log";
import { responseUrlProblem } from "./response-url";

const requestSchema = z.object({
  RequestType: z.enum(["Create", "Update", "Delete"]),
  ResponseURL: z.string().url(),
  StackId: z.string().min(1),
  RequestId: z.string().min(1),
  LogicalResourceId: z.string().min(1),
  PhysicalResourceId: z.string().optional(),
  ResourceType: z.string().optional(),
  ResourceProperties: z
    .object({
      ConnectionId: z.string().optional(),
      AccountId: z.string().optional(),
      RoleArn: z.string().optional(),
      Region: z.string().optional(),
    })
    .passthrough()
    .optional(),
});

export interface CustomResourceResponse {
  Status: "SUCCESS" | "FAILED";
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, string>;
}

export interface RespondOptions {
  attempts?: number;
  baseDelayMs?: number;
  /** The fetch used for the answer (tests route the CloudFormation host to a local server). */
  fetch?: typeof fetch;
}

/** The answer could not be delivered and must not be retried (a redirect). */
class PermanentResponseError extends Error {}

async function respond(url: string, body: CustomResourceResponse, options: RespondOptions = {}) {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const send = options.fetch ?? fetch;
  const payload = JSON.stringify(body);
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const res = await send(url, {
        method: "PUT",
        body: payload,
        headers: { "content-type": "", "content-length": String(Buffer.byteLength(payload)) },
        // A presigned S3 URL answers itself; a redirect is never followed.
        redirect: "manual",
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status >= 300 && res.status < 400) throw new PermanentResponseError(`ResponseURL answered a redirect (${res.status}); it is not followed`);
      if (res.type === "opaqueredirect") throw new PermanentResponseError("ResponseURL answered a redirect; it is not followed");
      if (res.ok) return;
      last = new Error(`ResponseURL answered ${res.status}`);
    } catch (err) {
      if (err instanceof PermanentResponseError) throw new Error(`Could not answer CloudFormation: ${err.message}`);
      last = err;
    }
    if (attempt < attempts - 1) await new Promise((r) => setTimeout(r, base * 2 ** attempt));
  }
  throw new Error(`Could not answer CloudFormation after ${attempts} tries: ${(last as Error)?.message}`);
}

function str(value: unknown, max = 255) {
  return typeof value === "string" ? value.slice(0, max) : undefined;
}

/** Handles one CloudFormation custom resource request; returns the answer it sent. */
export async function handleCustomResource(event: unknown, options: RespondOptions = {}): Promise<CustomResourceResponse | undefined> {
  const raw = (typeof event === "string" ? safeJson(event) : event) as Record<string, unknown> | undefined;
  // Before anything else: a request that would make the console answer anywhere but
  // CloudFormation is dropped, unanswered and not acted on.
  const url = typeof raw?.ResponseURL === "string" ? raw.ResponseURL : undefined;
  const problem = responseUrlProblem(url);
  if (problem) {
    log.warn("custom resource request refused: its ResponseURL is not CloudFormation's", { problem });
    return undefined;
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    // Answer whenever there is somewhere to answer, so the stack never hangs.
    log.warn("malformed custom resource request", { issues: parsed.error.issues.length });
    const answer: CustomResourceResponse = {
      Status: raw?.RequestType === "Delete" ? "SUCCESS" : "FAILED",
      Reason: "Malformed request: the console could not read the custom resource properties",
      PhysicalResourceId: str(raw?.PhysicalResourceId) ?? str(raw?.LogicalResourceId) ?? "console-connection-invalid",
      StackId: str(raw?.StackId, 1024) ?? "",
      RequestId: str(raw?.RequestId) ?? "",
      LogicalResourceId: str(raw?.LogicalResourceId) ?? "",
    };
    await respond(url!, answer, options);
    return answer;
  }
  const req = parsed.data;
  const props = req.ResourceProperties ?? {};
  const base = { StackId: req.StackId, RequestId: req.RequestId, LogicalResourceId: req.LogicalResourceId };
  const fallbackId = req.PhysicalResourceId ?? `console-connection-${(props.ConnectionId ?? "unknown").slice(0, 64)}`;
  let answer: CustomResourceResponse;
  try {
    if (!props.ConnectionId || !props.AccountId) throw new Error("ConnectionId and AccountId are required");
    const result = await Account.fromStack({
      requestType: req.RequestType,
      connectionId: props.ConnectionId,
      accountId: props.AccountId,
      roleArn: props.RoleArn,
      stackId: req.StackId,
    });
    answer = {
      ...base,
      Status: "SUCCESS",
      PhysicalResourceId: req.RequestType === "Create" ? result.physicalId : (req.PhysicalResourceId ?? result.physicalId),
      Data: { ConnectionId: props.ConnectionId },
    };
  } catch (err) {
    const reason = (err as Error).message?.slice(0, 1000) || "The console could not connect this account";
    log.warn("custom resource request failed", { requestType: req.RequestType, reason });
    answer = {
      ...base,
      Status: req.RequestType === "Delete" ? "SUCCESS" : "FAILED",
      Reason: req.RequestType === "Delete" ? undefined : reason,
      PhysicalResourceId: fallbackId,
    };
  }
  await respond(req.ResponseURL, answer, options);
  return answer;
}

function safeJson(text: string) {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
