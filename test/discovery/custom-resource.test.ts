/**
 * The connection stack's custom resource, with real CloudFormation request shapes:
 * the stack always gets an answer (SUCCESS or FAILED with a reason, retried when the
 * ResponseURL fails), and nothing is attached unless the role answers to the
 * connection's own external id.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { Bus } from "../../packages/core/src/event";
import { handleCustomResource, type CustomResourceResponse } from "../../packages/functions/src/connect/handler";
import { deployConnectionStack } from "../../packages/functions/src/local/stack";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { call, createWorkspace, signIn } from "../setup/api";
import { motoUrl, randomAccountId } from "../setup/aws";

interface Put {
  path: string;
  contentType: string | undefined;
  body: CustomResourceResponse;
}

let server: Server;
let base: string;
const puts: Put[] = [];
/** Paths that answer 500 this many more times before they succeed (-1: always). */
const failures = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const left = failures.get(req.url!) ?? 0;
      if (left !== 0) {
        failures.set(req.url!, left - 1);
        res.writeHead(500).end();
        return;
      }
      puts.push({ path: req.url!, contentType: req.headers["content-type"], body: JSON.parse(data) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

function request(type: "Create" | "Update" | "Delete", props: Record<string, string>, extra: Record<string, unknown> = {}) {
  const path = `/response/${randomUUID()}`;
  return {
    path,
    event: {
      RequestType: type,
      ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:console-connect",
      ResponseURL: `${base}${path}`,
      StackId: `arn:aws:cloudformation:us-east-1:${props.AccountId ?? "111111111111"}:stack/console-${props.ConnectionId}/${randomUUID()}`,
      RequestId: randomUUID(),
      LogicalResourceId: "Connection",
      ResourceType: "Custom::ConsoleConnection",
      ResourceProperties: { ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:console-connect", Version: "1", PolicyVariant: "least", Region: "us-east-1", ...props },
      ...extra,
    },
  };
}

const answered = (path: string) => puts.filter((p) => p.path === path);

async function pendingConnection() {
  const { token } = await signIn();
  const ws = await createWorkspace(token);
  const created = await call("POST", `/api/workspaces/${ws.slug}/accounts`, { token, body: {} });
  return { token, ws, id: created.body.account.id as string, connect: created.body.connect };
}

let seed: SeedResult;
beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
}, 60_000);

describe("the connect custom resource", () => {
  it("Create attaches the account once the role answers; Update answers with the same resource; Delete disconnects", async () => {
    const { token, ws, id, connect } = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: connect });
    const props = { ConnectionId: id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${id}` };

    const create = request("Create", props);
    const answer = await handleCustomResource(create.event, { baseDelayMs: 5 });
    expect(answer?.Status).toBe("SUCCESS");
    const [put] = answered(create.path);
    expect(put!.body).toMatchObject({ Status: "SUCCESS", StackId: create.event.StackId, RequestId: create.event.RequestId, LogicalResourceId: "Connection" });
    expect(put!.contentType ?? "").toBe("");
    await Bus.idle();
    const account = (await call("GET", `/api/workspaces/${ws.slug}/accounts/${id}`, { token })).body;
    expect(account).toMatchObject({ status: "connected", accountId: seed.accountId });
    expect((await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body.length).toBe(seed.stages.length);

    const update = request("Update", props, { PhysicalResourceId: put!.body.PhysicalResourceId, OldResourceProperties: props });
    await handleCustomResource(update.event, { baseDelayMs: 5 });
    expect(answered(update.path)[0]!.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: put!.body.PhysicalResourceId });

    const del = request("Delete", props, { PhysicalResourceId: put!.body.PhysicalResourceId });
    await handleCustomResource(del.event, { baseDelayMs: 5 });
    expect(answered(del.path)[0]!.body.Status).toBe("SUCCESS");
    await Bus.idle();
    expect((await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body).toEqual([]);
  });

  it("fails, with a reason, an unknown connection, a role that is not there, and another connection's role", async () => {
    const unknown = request("Create", { ConnectionId: "01aaaaaaaaaaaaaaaaaaaaaaaa", AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-01aaaaaaaaaaaaaaaaaaaaaaaa` });
    await handleCustomResource(unknown.event, { baseDelayMs: 5 });
    expect(answered(unknown.path)[0]!.body).toMatchObject({ Status: "FAILED" });
    expect(answered(unknown.path)[0]!.body.Reason).toMatch(/Unknown connection/);

    // The stack of this connection was never deployed: no role to assume.
    const a = await pendingConnection();
    const noRole = request("Create", { ConnectionId: a.id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${a.id}` });
    await handleCustomResource(noRole.event, { baseDelayMs: 5 });
    expect(answered(noRole.path)[0]!.body.Status).toBe("FAILED");
    expect(answered(noRole.path)[0]!.body.Reason).toContain("does not exist");
    expect((await call("GET", `/api/workspaces/${a.ws.slug}/accounts/${a.id}`, { token: a.token })).body).toMatchObject({ status: "failed", accountId: null });

    // Workspace B's connection id with a role that belongs to A: refused, and A is untouched.
    const b = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: a.connect });
    const crossed = request("Create", { ConnectionId: b.id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${a.id}` });
    await handleCustomResource(crossed.event, { baseDelayMs: 5 });
    expect(answered(crossed.path)[0]!.body.Status).toBe("FAILED");
    expect((await call("GET", `/api/workspaces/${b.ws.slug}/accounts/${b.id}`, { token: b.token })).body.accountId).toBeNull();
    expect((await call("GET", `/api/workspaces/${a.ws.slug}/stages`, { token: a.token })).body).toEqual([]);
  });

  it("answers malformed requests when it can, and never throws for one", async () => {
    const bad = request("Create", { ConnectionId: "x" });
    const broken = { ...bad.event, StackId: undefined, ResourceProperties: "not an object" };
    await handleCustomResource(broken, { baseDelayMs: 5 });
    expect(answered(bad.path)[0]!.body).toMatchObject({ Status: "FAILED", LogicalResourceId: "Connection" });
    expect(await handleCustomResource("not even json", { baseDelayMs: 5 })).toBeUndefined();
    expect(await handleCustomResource({ RequestType: "Create" }, { baseDelayMs: 5 })).toBeUndefined();
    const badDelete = request("Delete", {});
    await handleCustomResource({ ...badDelete.event, ResourceProperties: 7 }, { baseDelayMs: 5 });
    expect(answered(badDelete.path)[0]!.body.Status).toBe("SUCCESS");
  });

  it("retries a failing ResponseURL, and throws (for Lambda to retry) when it keeps failing", async () => {
    const { id, connect } = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: connect });
    const props = { ConnectionId: id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${id}` };
    const flaky = request("Create", props);
    failures.set(flaky.path, 2);
    await handleCustomResource(flaky.event, { baseDelayMs: 5 });
    expect(answered(flaky.path).map((p) => p.body.Status)).toEqual(["SUCCESS"]);

    const dead = request("Update", props, { PhysicalResourceId: `console-connection-${id}` });
    failures.set(dead.path, -1);
    await expect(handleCustomResource(dead.event, { baseDelayMs: 5, attempts: 3 })).rejects.toThrow(/Could not answer CloudFormation/);
    // Lambda's retry of the same request answers once the URL works again.
    failures.delete(dead.path);
    await handleCustomResource(dead.event, { baseDelayMs: 5 });
    expect(answered(dead.path)[0]!.body.Status).toBe("SUCCESS");
    await Bus.idle();
  });
});
