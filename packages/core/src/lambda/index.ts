/**
 * Invoke, replay, saved payloads.
 *
 * - `Lambda.invoke`: a synchronous `Invoke` of one function of the workspace with a JSON
 *   payload, through the connection's role, with `LogType: Tail`; answers the status, the
 *   function error, the response and the invocation's log lines (the tail), plus the REPORT
 *   figures and the log group where the whole log is. Each invocation's event is kept
 *   (30 days), so it can be replayed: `invoke` with `replay` (the console's invocation id
 *   or its request id) sends the same event to the same function again.
 * - Who may invoke: anyone in the workspace for personal stages; for other stages, the
 *   workspace's `invokeRole` (every member by default, or admins and owners only).
 *   Every invoke and replay, successful or not, is in the audit log.
 * - Saved payloads: named JSON events per workspace, usable with any function.
 */
import { and, asc, count, desc, eq, lt, or } from "drizzle-orm";
import { z } from "zod";
import { Account } from "../account";
import { Actor } from "../actor";
import { Audit } from "../audit";
import { Customer } from "../aws/customer";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { createId } from "../id";
import { Log } from "../log";
import { userTable } from "../user/user.sql";
import { fn } from "../util/fn";
import { Workspace } from "../workspace";
import { Invoker, type InvokeTarget, type LambdaAnswer } from "./invoker";
import { invocationTable, payloadTable } from "./lambda.sql";
import { decodeTail, type TailReport } from "./tail";

export { invocationTable, payloadTable } from "./lambda.sql";
export { Invoker, type InvokeTarget, type LambdaAnswer, type LocalInvoker } from "./invoker";
export { decodeTail, TAIL_BYTES, type DecodedTail, type TailReport } from "./tail";

/** A payload (saved or sent) is at most this many bytes of JSON. */
export const MAX_PAYLOAD_BYTES = 32 * 1024;
/** Saved payloads per workspace. */
export const MAX_SAVED_PAYLOADS = 100;
/** A response larger than this is returned as text, cut (Lambda allows 6 MB). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Console invocations (their events) are kept this long for replay. */
export const INVOCATION_RETENTION_MS = 30 * 24 * 3600_000;

export interface InvokeResult {
  statusCode: number;
  functionError?: string;
  response: unknown;
  requestId: string | null;
  /** The invocation's log lines (Lambda's tail: at most the last 4 KB). */
  logs: string[];
  /** Beside the public contract, for the web app. */
  invocationId: string;
  functionId: string;
  replayOf: string | null;
  logGroup: string;
  logsTruncated: boolean;
  responseTruncated: boolean;
  executedVersion: string | null;
  report: TailReport | null;
  timeInvoked: string;
}

export interface SavedPayload {
  id: string;
  name: string;
  payload: unknown;
  timeCreated: Date;
  timeUpdated: Date;
}

export interface ConsoleInvocation {
  id: string;
  requestId: string | null;
  payload: unknown;
  statusCode: number | null;
  functionError: string | null;
  replayOf: string | null;
  user: { id: string; email: string } | null;
  timeCreated: Date;
}

/** Any JSON value but null (a stored event is never SQL NULL). */
const jsonValue = z.unknown().refine((v) => v !== undefined && v !== null, "Required: a JSON value other than null");

/** JSON text of `value`, within the size limit (413 beyond). */
function encodePayload(value: unknown): string {
  const text = JSON.stringify(value ?? {});
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new VisibleError("payload_too_large", `The payload is ${bytes} bytes of JSON; at most ${MAX_PAYLOAD_BYTES} are allowed`);
  }
  return text;
}

const payloadName = z
  .string()
  .trim()
  .min(1, "Give the payload a name")
  .max(100, "A name has at most 100 characters")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "A name cannot contain control characters");

function describeAws(err: unknown) {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(err)}`;
}

/** Lambda's and STS's refusals, as the API's errors. */
function invokeFailure(err: unknown): VisibleError {
  if (err instanceof VisibleError) return err;
  const name = (err as { name?: string }).name ?? "";
  if (name === "ResourceNotFoundException") return new VisibleError("not_found", `The function no longer exists in AWS (${describeAws(err)})`);
  if (/AccessDenied|NotAuthorized|Forbidden/i.test(name)) return new VisibleError("forbidden", `AWS refused the invocation: ${describeAws(err)}`);
  if (/TooManyRequests|Throttl|RateExceeded/i.test(name)) return new VisibleError("rate_limited", `AWS throttled the invocation: ${describeAws(err)}`);
  if (name === "RequestTooLargeException") return new VisibleError("payload_too_large", describeAws(err));
  if (/InvalidRequestContent|InvalidParameterValue/i.test(name)) return new VisibleError("bad_request", describeAws(err));
  return new VisibleError("unavailable", `The function could not be invoked: ${describeAws(err)}`);
}

/** The response payload: JSON when it parses, else its text; cut beyond the limit. */
function readResponse(bytes: Uint8Array): { response: unknown; truncated: boolean } {
  if (bytes.byteLength > MAX_RESPONSE_BYTES) {
    return { response: Buffer.from(bytes.subarray(0, MAX_RESPONSE_BYTES)).toString("utf8"), truncated: true };
  }
  const text = Buffer.from(bytes).toString("utf8");
  if (!text) return { response: null, truncated: false };
  try {
    return { response: JSON.parse(text), truncated: false };
  } catch {
    return { response: text, truncated: false };
  }
}

export namespace Lambda {
  /** Throws 403 unless the acting user may invoke functions of this stage. */
  export async function assertMayInvoke(personal: boolean) {
    if (personal) return;
    const { invokeRole } = await Workspace.settings();
    if (invokeRole === "admin" && !Actor.hasRole("admin")) {
      throw new VisibleError("forbidden", "In this workspace only admins and owners may invoke functions of non-personal stages");
    }
  }

  const invokeFields = {
    /** The event (any JSON value but null); `{}` when neither it nor `replay` is sent. */
    payload: jsonValue.optional(),
    /** A console invocation of this function (its id or request id) whose event is sent again. */
    replay: z.string().trim().min(1).max(64).optional(),
  };
  const oneOf = <T extends { payload?: unknown; replay?: string }>(v: T) => v.payload === undefined || v.replay === undefined;
  const oneOfError = { message: "Send either payload or replay, not both", path: ["replay"] };

  /** The body of `POST .../functions/:function/invoke`. */
  export const InvokeBody = z.object(invokeFields).refine(oneOf, oneOfError);

  export const invoke = fn(
    z.object({ functionId: z.string().min(1).max(64), ...invokeFields }).refine(oneOf, oneOfError),
    async (input): Promise<InvokeResult> => {
      const workspaceId = Actor.workspaceId();
      const t = await Log.target(input.functionId);
      await assertMayInvoke(t.personal);
      let event: unknown = input.payload ?? {};
      let replayOf: string | null = null;
      if (input.replay !== undefined) {
        const [earlier] = await Database.use((db) =>
          db
            .select({ id: invocationTable.id, payload: invocationTable.payload })
            .from(invocationTable)
            .where(
              and(
                eq(invocationTable.workspaceId, workspaceId),
                eq(invocationTable.functionId, t.id),
                or(eq(invocationTable.id, input.replay!), eq(invocationTable.requestId, input.replay!)),
              ),
            )
            .orderBy(desc(invocationTable.timeCreated))
            .limit(1),
        );
        if (!earlier) throw new NotFoundError("Invocation");
        event = earlier.payload;
        replayOf = earlier.id;
      }
      const payload = encodePayload(event);
      const action = replayOf ? "function.replay" : "function.invoke";
      const auditTarget = { type: "function", id: t.id, label: t.name };
      const invocationId = createId();
      const timeInvoked = new Date();
      let answer: LambdaAnswer;
      try {
        const access = await Account.access(t.connectionId);
        const credentials = await Customer.credentials(access);
        const target: InvokeTarget = { accountId: access.accountId, connectionId: t.connectionId, region: t.region, arn: t.arn, name: t.name, logGroup: t.logGroup };
        answer = await Invoker.invoke(target, credentials, payload);
      } catch (err) {
        const failure = invokeFailure(err);
        await Audit.record(action, auditTarget, { invocationId, replayOf, error: { code: failure.code, message: failure.message.slice(0, 500) } });
        throw failure;
      }
      const tail = decodeTail(answer.logResult, answer.requestId);
      const requestId = tail.requestId ?? answer.requestId ?? null;
      const { response, truncated } = readResponse(answer.payload);
      const user = Actor.use().type === "user" ? Actor.userId() : null;
      await Database.transaction(async (tx) => {
        await tx.insert(invocationTable).values({
          workspaceId,
          id: invocationId,
          functionId: t.id,
          requestId: requestId?.slice(0, 64) ?? null,
          payload: event,
          statusCode: answer.statusCode,
          functionError: answer.functionError?.slice(0, 64) ?? null,
          replayOf,
          userId: user,
          timeCreated: timeInvoked,
        });
        await Audit.record(action, auditTarget, { invocationId, replayOf, requestId, statusCode: answer.statusCode, functionError: answer.functionError ?? null });
      });
      const result: InvokeResult = {
        statusCode: answer.statusCode,
        response,
        requestId,
        logs: tail.lines,
        invocationId,
        functionId: t.id,
        replayOf,
        logGroup: t.logGroup,
        logsTruncated: tail.truncated,
        responseTruncated: truncated,
        executedVersion: answer.executedVersion ?? null,
        report: tail.report,
        timeInvoked: timeInvoked.toISOString(),
      };
      if (answer.functionError) result.functionError = answer.functionError;
      return result;
    },
  );

  /** The console's recent invocations of a function (newest first), with their events for replay. */
  export const invocations = fn(
    z.object({ functionId: z.string().min(1).max(64), limit: z.coerce.number().int().min(1).max(100).default(20), before: z.string().length(26).optional() }),
    async (input): Promise<{ invocations: ConsoleInvocation[]; next: string | null }> => {
      const workspaceId = Actor.workspaceId();
      const t = await Log.target(input.functionId);
      const rows = await Database.use((db) =>
        db
          .select({
            id: invocationTable.id,
            requestId: invocationTable.requestId,
            payload: invocationTable.payload,
            statusCode: invocationTable.statusCode,
            functionError: invocationTable.functionError,
            replayOf: invocationTable.replayOf,
            userId: invocationTable.userId,
            email: userTable.email,
            timeCreated: invocationTable.timeCreated,
          })
          .from(invocationTable)
          .leftJoin(userTable, eq(userTable.id, invocationTable.userId))
          .where(and(eq(invocationTable.workspaceId, workspaceId), eq(invocationTable.functionId, t.id), input.before ? lt(invocationTable.id, input.before) : undefined))
          .orderBy(desc(invocationTable.id))
          .limit(input.limit + 1),
      );
      const page = rows.slice(0, input.limit);
      return {
        invocations: page.map((r) => ({
          id: r.id,
          requestId: r.requestId,
          payload: r.payload,
          statusCode: r.statusCode,
          functionError: r.functionError,
          replayOf: r.replayOf,
          user: r.userId && r.email ? { id: r.userId, email: r.email } : null,
          timeCreated: r.timeCreated,
        })),
        next: rows.length > input.limit ? page[page.length - 1]!.id : null,
      };
    },
  );

  /** Forgets console invocations older than the retention (cleanup). */
  export async function prune(now = new Date()) {
    await Database.use((db) => db.delete(invocationTable).where(lt(invocationTable.timeCreated, new Date(now.getTime() - INVOCATION_RETENTION_MS))));
  }
}

const columns = {
  id: payloadTable.id,
  name: payloadTable.name,
  payload: payloadTable.payload,
  timeCreated: payloadTable.timeCreated,
  timeUpdated: payloadTable.timeUpdated,
};

export namespace Payload {
  export async function list(): Promise<SavedPayload[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) => db.select(columns).from(payloadTable).where(eq(payloadTable.workspaceId, workspaceId)).orderBy(asc(payloadTable.name)));
  }

  export async function get(id: string): Promise<SavedPayload> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) => db.select(columns).from(payloadTable).where(and(eq(payloadTable.workspaceId, workspaceId), eq(payloadTable.id, id))));
    if (!row) throw new NotFoundError("Payload");
    return row;
  }

  function taken(err: unknown, name: string): never {
    if (Database.isDuplicate(err)) throw new VisibleError("conflict", `A payload named "${name}" exists already`);
    throw err;
  }

  export const create = fn(z.object({ name: payloadName, payload: jsonValue }), async (input): Promise<SavedPayload> => {
    const workspaceId = Actor.workspaceId();
    encodePayload(input.payload);
    const id = createId();
    try {
      await Database.transaction(async (tx) => {
        const [{ n }] = (await tx.select({ n: count() }).from(payloadTable).where(eq(payloadTable.workspaceId, workspaceId))) as [{ n: number }];
        if (n >= MAX_SAVED_PAYLOADS) throw new VisibleError("limit_exceeded", `A workspace keeps at most ${MAX_SAVED_PAYLOADS} saved payloads; delete one first`);
        await tx.insert(payloadTable).values({ workspaceId, id, name: input.name, payload: input.payload, createdBy: Actor.use().type === "user" ? Actor.userId() : null });
        await Audit.record("payload.create", { type: "payload", id, label: input.name });
      });
    } catch (err) {
      taken(err, input.name);
    }
    return get(id);
  });

  const updateFields = { name: payloadName.optional(), payload: jsonValue.optional() };
  const something = (v: { name?: string; payload?: unknown }) => v.name !== undefined || v.payload !== undefined;
  const nothing = "Nothing to change: send name or payload";

  /** The body of `PATCH .../payloads/:payload`. */
  export const UpdateBody = z.object(updateFields).refine(something, nothing);

  export const update = fn(
    z.object({ id: z.string().min(1).max(64), ...updateFields }).refine(something, nothing),
    async (input): Promise<SavedPayload> => {
      const workspaceId = Actor.workspaceId();
      if (input.payload !== undefined) encodePayload(input.payload);
      const before = await get(input.id);
      try {
        await Database.transaction(async (tx) => {
          await tx
            .update(payloadTable)
            .set({ ...(input.name !== undefined ? { name: input.name } : {}), ...(input.payload !== undefined ? { payload: input.payload } : {}) })
            .where(and(eq(payloadTable.workspaceId, workspaceId), eq(payloadTable.id, input.id)));
          await Audit.record("payload.update", { type: "payload", id: input.id, label: input.name ?? before.name }, {
              ...(input.name !== undefined && input.name !== before.name ? { renamedFrom: before.name } : {}),
              payloadChanged: input.payload !== undefined,
            });
        });
      } catch (err) {
        taken(err, input.name ?? before.name);
      }
      return get(input.id);
    },
  );

  export async function remove(id: string) {
    const workspaceId = Actor.workspaceId();
    const before = await get(id);
    await Database.transaction(async (tx) => {
      await tx.delete(payloadTable).where(and(eq(payloadTable.workspaceId, workspaceId), eq(payloadTable.id, id)));
      await Audit.record("payload.delete", { type: "payload", id, label: before.name });
    });
  }
}
