/**
 * Invoke, replay and saved payloads through the API, against the emulator.
 *
 * - The AWS path: `Invoke` with `LogType: Tail` through the connection's role, recorded
 *   and checked against the template. The emulator's Lambda runs no code (it echoes the
 *   event back, with no log); function errors and log tails come from the local runtime's
 *   demo functions (test/api/invoke-demo.test.ts).
 * - Replay of a console invocation by its id and by its request id; the workspace setting
 *   that limits invoking non-personal stages to admins; audit entries; bad input.
 * - Saved payloads: create, list, rename, change, delete, limits and clear errors.
 *
 * Invoking a demo function through the local runtime is in test/api/invoke-demo.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { AwsCalls } from "../../packages/core/src/aws/customer";
import { MAX_PAYLOAD_BYTES } from "../../packages/core/src/lambda";
import { allows } from "../../packages/workspace-template/src";
import { acceptInvitations, call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";
import { seedDemoAccount } from "@console/testkit/seed";

interface World {
  owner: { token: string; userId: string };
  admin: { token: string };
  member: { token: string; userId: string };
  ws: { id: string; slug: string };
  accountId: string;
  /** A function of a non-personal stage, and one of a personal stage. */
  prod: { id: string; name: string; logGroup: string; arn: string; region: string };
  personal: { id: string; name: string };
}

let world: World;

async function join(ownerToken: string, wsId: string, role: "member" | "admin") {
  const email = randomEmail(`invoke-${role}`);
  await call("POST", `/api/workspaces/${wsId}/members`, { token: ownerToken, body: { email, role } });
  const user = await signIn(email);
  await acceptInvitations(user.token);
  return user;
}

beforeAll(async () => {
  const owner = await signIn(randomEmail("invoke-owner"));
  const ws = await createWorkspace(owner.token, "Invoke Co");
  const member = await join(owner.token, ws.id, "member");
  const admin = await join(owner.token, ws.id, "admin");
  const seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  await connectAccount(owner.token, ws.slug, seed.accountId);
  const stages = (await call("GET", `/api/workspaces/${ws.id}/stages`, { token: owner.token })).body as { id: string; personal: boolean }[];
  const fnsOf = async (personal: boolean) => {
    const stage = stages.find((s) => s.personal === personal)!;
    const detail = await call("GET", `/api/workspaces/${ws.id}/stages/${stage.id}`, { token: owner.token });
    return detail.body.functions;
  };
  const [prod] = await fnsOf(false);
  const [personal] = await fnsOf(true);
  world = { owner, admin, member, ws, accountId: seed.accountId, prod, personal };
});

const invoke = (token: string, fnId: string, body: unknown) => call("POST", `/api/workspaces/${world.ws.id}/functions/${fnId}/invoke`, { token, body });

describe("invoke through the connection's role", () => {
  it("calls Lambda's Invoke with LogType Tail as the assumed role and returns its answer", async () => {
    const recorded = AwsCalls.record();
    const res = await invoke(world.member.token, world.prod.id, { payload: { hello: "world" } });
    recorded.stop();
    expect(res.status).toBe(200);
    // The emulator's Lambda runs no code: it echoes the event back, without a log tail.
    expect(res.body).toMatchObject({ statusCode: 200, response: { hello: "world" }, requestId: expect.any(String), logs: [], report: null });
    expect(res.body).not.toHaveProperty("functionError");
    expect(Object.keys(res.body)).toEqual(expect.arrayContaining(["statusCode", "response", "requestId", "logs"]));
    expect(res.body).toMatchObject({ functionId: world.prod.id, logGroup: world.prod.logGroup, replayOf: null, invocationId: expect.any(String) });
    const calls = recorded.calls.filter((c) => c.service === "Lambda");
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ operation: "Invoke", accountId: world.accountId, region: world.prod.region, input: { FunctionName: world.prod.arn, LogType: "Tail", InvocationType: "RequestResponse" } });
    expect(JSON.parse(Buffer.from(calls[0]!.input.Payload as Uint8Array).toString())).toEqual({ hello: "world" });
    // The least-privilege template allows exactly this call.
    expect(allows("least", "lambda:InvokeFunction", world.prod.arn, { accountId: world.accountId })).toBe(true);
  });

  it("sends {} when no payload is given", async () => {
    const recorded = AwsCalls.record();
    expect((await invoke(world.owner.token, world.prod.id, {})).status).toBe(200);
    expect((await invoke(world.owner.token, world.prod.id, { payload: { n: 1 } })).status).toBe(200);
    recorded.stop();
    const sent = recorded.calls.filter((c) => c.operation === "Invoke").map((c) => Buffer.from(c.input.Payload as Uint8Array).toString());
    expect(sent).toEqual(["{}", '{"n":1}']);
  });

  it("refuses bad input with clear 4xx errors", async () => {
    expectError(await invoke(world.owner.token, world.prod.id, { payload: null }), 400, "validation");
    expectError(await invoke(world.owner.token, world.prod.id, { payload: {}, replay: "x" }), 400, "validation");
    expectError(await invoke(world.owner.token, world.prod.id, { payload: { big: "x".repeat(MAX_PAYLOAD_BYTES) } }), 413, "payload_too_large");
    expectError(await call("POST", `/api/workspaces/${world.ws.id}/functions/${world.prod.id}/invoke`, { token: world.owner.token, rawBody: "{nope", headers: { "content-type": "application/json" } }), 400, "bad_request");
    expectError(await invoke(world.owner.token, "01JUNKUNKNOWNFUNCTION00000", {}), 404, "not_found");
    expectError(await invoke(world.owner.token, world.prod.id, { replay: "01JUNKUNKNOWNINVOCATION000" }), 404, "not_found");
    expectError(await invoke(world.owner.token, "x".repeat(65), {}), 400, "validation");
  });
});

describe("replay", () => {
  it("sends the event of an earlier console invocation again, by its id or its request id", async () => {
    const first = await invoke(world.member.token, world.prod.id, { payload: { order: "o-42", items: [1, 2] } });
    expect(first.status).toBe(200);
    for (const ref of [first.body.invocationId, first.body.requestId]) {
      const recorded = AwsCalls.record();
      const again = await invoke(world.member.token, world.prod.id, { replay: ref });
      recorded.stop();
      expect(again.status).toBe(200);
      expect(again.body.replayOf).toBe(first.body.invocationId);
      const sent = recorded.calls.find((c) => c.operation === "Invoke")!;
      expect(JSON.parse(Buffer.from(sent.input.Payload as Uint8Array).toString())).toEqual({ order: "o-42", items: [1, 2] });
    }
    const list = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.prod.id}/invocations?limit=3`, { token: world.member.token });
    expect(list.status).toBe(200);
    expect(list.body.invocations).toHaveLength(3);
    expect(list.body.invocations[0]).toMatchObject({ replayOf: first.body.invocationId, payload: { order: "o-42", items: [1, 2] }, user: { id: world.member.userId } });
    expect(list.body.invocations[2]).toMatchObject({ id: first.body.invocationId, requestId: first.body.requestId, replayOf: null });
    expect(list.body.next).toEqual(expect.any(String));
  });

  it("replays only invocations of the same function", async () => {
    const first = await invoke(world.owner.token, world.prod.id, { payload: { a: 1 } });
    expectError(await invoke(world.owner.token, world.personal.id, { replay: first.body.invocationId }), 404, "not_found");
  });
});

describe("who may invoke", () => {
  const settings = (token: string, body?: unknown) =>
    call(body ? "PATCH" : "GET", `/api/workspaces/${world.ws.id}/settings`, { token, body });

  it("lets every member invoke by default; admins-only keeps members to personal stages; every attempt is audited", async () => {
    expect((await settings(world.member.token)).body).toEqual({ invokeRole: "member" });
    expectError(await settings(world.member.token, { invokeRole: "admin" }), 403, "forbidden");
    expectError(await settings(world.admin.token, { invokeRole: "owner" }), 400, "validation");
    expectError(await settings(world.admin.token, {}), 400, "validation");
    const changed = await settings(world.admin.token, { invokeRole: "admin" });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ invokeRole: "admin" });
    try {
      expectError(await invoke(world.member.token, world.prod.id, { payload: {} }), 403, "forbidden");
      const earlier = await invoke(world.admin.token, world.prod.id, { payload: { replayed: true } });
      expect(earlier.status).toBe(200);
      expectError(await invoke(world.member.token, world.prod.id, { replay: earlier.body.invocationId }), 403, "forbidden");
      expect((await invoke(world.member.token, world.personal.id, { payload: {} })).status).toBe(200);
      expect((await invoke(world.owner.token, world.prod.id, { replay: earlier.body.invocationId })).status).toBe(200);
    } finally {
      expect((await settings(world.owner.token, { invokeRole: "member" })).body).toEqual({ invokeRole: "member" });
    }
    expect((await invoke(world.member.token, world.prod.id, { payload: {} })).status).toBe(200);

    const audit = await call("GET", `/api/workspaces/${world.ws.id}/audit?limit=200`, { token: world.owner.token });
    const entries = audit.body.entries as { action: string; actor: { id?: string }; target: { type: string; id?: string }; data: Record<string, unknown> }[];
    expect(entries.filter((e) => e.action === "workspace.settings").map((e) => e.data)).toEqual([{ invokeRole: "member" }, { invokeRole: "admin" }]);
    const replays = entries.filter((e) => e.action === "function.replay");
    expect(replays.length).toBeGreaterThanOrEqual(3);
    expect(replays[0]).toMatchObject({ actor: { id: world.owner.userId }, target: { type: "function", id: world.prod.id }, data: { replayOf: expect.any(String), statusCode: 200 } });
    const invokes = entries.filter((e) => e.action === "function.invoke");
    expect(invokes[0]).toMatchObject({ actor: { id: world.member.userId }, target: { type: "function", id: world.prod.id }, data: { statusCode: 200, requestId: expect.any(String), invocationId: expect.any(String) } });
    expect(invokes.some((e) => e.target.id === world.personal.id)).toBe(true);
    // Each audited invocation is one the console made (and can replay); a refused one is neither.
    const list = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.prod.id}/invocations?limit=100`, { token: world.owner.token });
    const ids = new Set(list.body.invocations.map((i: { id: string }) => i.id));
    const audited = [...invokes, ...replays].filter((e) => e.target.id === world.prod.id).map((e) => e.data.invocationId as string);
    expect(new Set(audited)).toEqual(ids);
  });
});

describe("saved payloads", () => {
  const base = () => `/api/workspaces/${world.ws.id}/payloads`;

  it("creates, lists, renames, changes and deletes named payloads, with audit entries", async () => {
    const created = await call("POST", base(), { token: world.member.token, body: { name: "  New order ", payload: { orderId: "o-1", items: [{ sku: "sku-1", qty: 2 }] } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), name: "New order", payload: { orderId: "o-1", items: [{ sku: "sku-1", qty: 2 }] } });
    const id = created.body.id;
    const other = await call("POST", base(), { token: world.owner.token, body: { name: "A health check", payload: "ping" } });
    expect(other.status).toBe(201);
    const list = await call("GET", base(), { token: world.member.token });
    expect(list.body.map((p: { name: string }) => p.name)).toEqual(["A health check", "New order"]);
    expect((await call("GET", `${base()}/${id}`, { token: world.admin.token })).body.name).toBe("New order");

    const renamed = await call("PATCH", `${base()}/${id}`, { token: world.member.token, body: { name: "Order with two items" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Order with two items", payload: { orderId: "o-1" } });
    const changed = await call("PATCH", `${base()}/${id}`, { token: world.member.token, body: { payload: { orderId: "o-2" } } });
    expect(changed.body).toMatchObject({ name: "Order with two items", payload: { orderId: "o-2" } });

    expectError(await call("PATCH", `${base()}/${id}`, { token: world.member.token, body: { name: "A health check" } }), 409, "conflict");
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "a health check", payload: {} } }), 409, "conflict");

    expect((await call("DELETE", `${base()}/${id}`, { token: world.member.token })).body).toEqual({ ok: true });
    expectError(await call("GET", `${base()}/${id}`, { token: world.member.token }), 404, "not_found");
    expectError(await call("DELETE", `${base()}/${id}`, { token: world.member.token }), 404, "not_found");
    expectError(await call("PATCH", `${base()}/${id}`, { token: world.member.token, body: { name: "x" } }), 404, "not_found");
    await call("DELETE", `${base()}/${other.body.id}`, { token: world.owner.token });

    const audit = await call("GET", `/api/workspaces/${world.ws.id}/audit?limit=200`, { token: world.owner.token });
    const actions = (audit.body.entries as { action: string; target: { id?: string }; data: Record<string, unknown> | null }[]).filter((e) => e.target.id === id);
    expect(actions.map((e) => e.action)).toEqual(["payload.delete", "payload.update", "payload.update", "payload.create"]);
    expect(actions[2]!.data).toMatchObject({ renamedFrom: "New order", payloadChanged: false });
  });

  it("validates names and payloads", async () => {
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "", payload: {} } }), 400, "validation");
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "x".repeat(101), payload: {} } }), 400, "validation");
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "tab\there", payload: {} } }), 400, "validation");
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "no payload" } }), 400, "validation");
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "null", payload: null } }), 400, "validation");
    expectError(await call("POST", base(), { token: world.member.token, body: { name: "big", payload: "x".repeat(MAX_PAYLOAD_BYTES) } }), 413, "payload_too_large");
    expectError(await call("POST", base(), { token: world.member.token, rawBody: "[]", headers: { "content-type": "application/json" } }), 400, "bad_request");
    const made = await call("POST", base(), { token: world.member.token, body: { name: "to patch", payload: 1 } });
    expectError(await call("PATCH", `${base()}/${made.body.id}`, { token: world.member.token, body: {} }), 400, "validation");
    expectError(await call("PATCH", `${base()}/${made.body.id}`, { token: world.member.token, body: { payload: "x".repeat(MAX_PAYLOAD_BYTES) } }), 413, "payload_too_large");
    await call("DELETE", `${base()}/${made.body.id}`, { token: world.member.token });
  });

  it("keeps at most 100 per workspace", async () => {
    const owner = await signIn(randomEmail("payload-limit"));
    const ws = await createWorkspace(owner.token);
    for (let i = 0; i < 100; i++) {
      const res = await call("POST", `/api/workspaces/${ws.id}/payloads`, { token: owner.token, body: { name: `p${i}`, payload: { i } } });
      expect(res.status).toBe(201);
    }
    expectError(await call("POST", `/api/workspaces/${ws.id}/payloads`, { token: owner.token, body: { name: "one more", payload: {} } }), 409, "limit_exceeded");
  });
});
