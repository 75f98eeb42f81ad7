/**
 * The connection stack's custom resource, with real CloudFormation request shapes:
 * the stack always gets an answer (SUCCESS or FAILED with a reason, retried when the
 * ResponseURL fails), and nothing is attached unless the role answers to the
 * connection's own external id.
 *
 * Nothing in a request is trusted (anyone may invoke the function): the answer goes
 * only to CloudFormation's S3 response hosts and never follows a redirect; a Delete
 * disconnects only when the connection's role still answers, and is otherwise
 * recorded for an admin to confirm.
 *
 * The answers go to a local server: `localFetch` stands in for the network, sending a
 * request for a CloudFormation host to that server with the handler's own options (so
 * `redirect: "manual"` is what the server's redirects meet). moto does not enforce
 * external ids, so STS is watched as AWS would act: an AssumeRole with another external
 * id than the connection's is refused.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { PARAMETERS } from "@console/workspace-template";
import { Bus } from "../../packages/core/src/event";
import { handleCustomResource, type CustomResourceResponse, type RespondOptions } from "../../packages/functions/src/connect/handler";
import { deployConnectionStack } from "../../packages/functions/src/local/stack";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { acceptInvitations, call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";
import { customerClient, motoUrl, randomAccountId } from "../setup/aws";

interface Put {
  path: string;
  contentType: string | undefined;
  body: CustomResourceResponse;
}

let server: Server;
let base: string;
const puts: Put[] = [];
/** Every request the local server saw, by path (redirect targets included). */
const hits: string[] = [];
/** Paths that answer 500 this many more times before they succeed (-1: always). */
const failures = new Map<string, number>();
/** Paths that answer a redirect to the given location. */
const redirects = new Map<string, string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      const path = req.url!.split("?")[0]!;
      hits.push(path);
      const to = redirects.get(path);
      if (to) {
        res.writeHead(307, { location: to }).end();
        return;
      }
      const left = failures.get(path) ?? 0;
      if (left !== 0) {
        failures.set(path, left - 1);
        res.writeHead(500).end();
        return;
      }
      puts.push({ path, contentType: req.headers["content-type"], body: JSON.parse(data) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const CFN_HOST = "cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com";
/** Every URL the handler fetched (it must fetch nothing but CloudFormation's hosts). */
const fetched: { url: string; init?: RequestInit }[] = [];

/** The network: CloudFormation's response host is the local server; nothing else is reachable. */
const localFetch: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  fetched.push({ url: url.href, init });
  if (url.hostname !== CFN_HOST) throw new TypeError(`fetch failed: ${url.hostname} is not reachable from the test`);
  return fetch(`${base}${url.pathname}${url.search}`, init);
};

const opts = (extra: RespondOptions = {}): RespondOptions => ({ baseDelayMs: 5, fetch: localFetch, ...extra });

function request(type: "Create" | "Update" | "Delete", props: Record<string, string>, extra: Record<string, unknown> = {}) {
  const path = `/arn%3Aaws%3Acloudformation%3Aus-east-1/${randomUUID()}`;
  return {
    path,
    event: {
      RequestType: type,
      ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:console-connect",
      ResponseURL: `https://${CFN_HOST}${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=${randomUUID().replaceAll("-", "")}`,
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

/**
 * STS as AWS answers it: the connection's role trusts only its own external id
 * (moto trusts any). Records each AssumeRole; `callerAccount` makes GetCallerIdentity
 * name another account.
 */
const trusted = new Map<string, string>();
const assumed: { RoleArn?: string; ExternalId?: string }[] = [];
let callerAccount: string | undefined;
beforeEach(() => {
  const send = STSClient.prototype.send;
  vi.spyOn(STSClient.prototype, "send").mockImplementation(async function (this: STSClient, command: any, ...rest: any[]) {
    if (command instanceof AssumeRoleCommand) {
      const input = command.input;
      assumed.push({ RoleArn: input.RoleArn, ExternalId: input.ExternalId });
      const expected = trusted.get(input.RoleArn!);
      if (expected !== undefined && input.ExternalId !== expected) {
        throw Object.assign(new Error(`User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`), { name: "AccessDenied" });
      }
    }
    const result = await (send as any).call(this, command, ...rest);
    if (command instanceof GetCallerIdentityCommand && callerAccount) return { ...result, Account: callerAccount };
    return result;
  } as any);
});
afterEach(() => {
  vi.restoreAllMocks();
  callerAccount = undefined;
});

/** A connection attached by its stack's Create (the genuine flow), with the stack's ids. */
async function connectedByStack() {
  const c = await pendingConnection();
  await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: c.connect });
  const roleArn = `arn:aws:iam::${seed.accountId}:role/console-${c.id}`;
  trusted.set(roleArn, c.connect.parameters[PARAMETERS.externalId]);
  const props = { ConnectionId: c.id, AccountId: seed.accountId, RoleArn: roleArn };
  const create = request("Create", props);
  expect((await handleCustomResource(create.event, opts()))?.Status).toBe("SUCCESS");
  await Bus.idle();
  const physicalId = answered(create.path)[0]!.body.PhysicalResourceId;
  return { ...c, props, roleArn, stackId: create.event.StackId, physicalId };
}

const accountOf = async (c: { token: string; ws: { slug: string }; id: string }) =>
  call("GET", `/api/workspaces/${c.ws.slug}/accounts/${c.id}`, { token: c.token });

/** Deletes the connection stack in the emulator (and with it the role), as its owner would. */
async function deleteStack(stackName: string) {
  const cfn = customerClient(CloudFormationClient, seed.accountId);
  await cfn.send(new DeleteStackCommand({ StackName: stackName }));
  for (let i = 0; i < 100; i++) {
    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: stackName })).catch(() => ({ Stacks: [] }));
    const status = stacks.Stacks?.[0]?.StackStatus;
    if (!status || status === "DELETE_COMPLETE") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  cfn.destroy();
}

describe("the connect custom resource", () => {
  it("Create attaches the account once the role answers; Update answers with the same resource; Delete disconnects", async () => {
    const { token, ws, id, connect } = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: connect });
    const props = { ConnectionId: id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${id}` };

    const create = request("Create", props);
    const answer = await handleCustomResource(create.event, opts());
    expect(answer?.Status).toBe("SUCCESS");
    const [put] = answered(create.path);
    expect(put!.body).toMatchObject({ Status: "SUCCESS", StackId: create.event.StackId, RequestId: create.event.RequestId, LogicalResourceId: "Connection" });
    expect(put!.contentType ?? "").toBe("");
    await Bus.idle();
    const account = (await call("GET", `/api/workspaces/${ws.slug}/accounts/${id}`, { token })).body;
    expect(account).toMatchObject({ status: "connected", accountId: seed.accountId });
    expect((await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body.length).toBe(seed.stages.length);

    const update = request("Update", props, { PhysicalResourceId: put!.body.PhysicalResourceId, OldResourceProperties: props, StackId: create.event.StackId });
    await handleCustomResource(update.event, opts());
    expect(answered(update.path)[0]!.body).toMatchObject({ Status: "SUCCESS", PhysicalResourceId: put!.body.PhysicalResourceId });

    // The same stack's Delete (CloudFormation names the stack the Create came from).
    const del = request("Delete", props, { PhysicalResourceId: put!.body.PhysicalResourceId, StackId: create.event.StackId });
    await handleCustomResource(del.event, opts());
    expect(answered(del.path)[0]!.body.Status).toBe("SUCCESS");
    await Bus.idle();
    expect((await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body).toEqual([]);
  });

  it("fails, with a reason, an unknown connection, a role that is not there, and another connection's role", async () => {
    const unknown = request("Create", { ConnectionId: "01aaaaaaaaaaaaaaaaaaaaaaaa", AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-01aaaaaaaaaaaaaaaaaaaaaaaa` });
    await handleCustomResource(unknown.event, opts());
    expect(answered(unknown.path)[0]!.body).toMatchObject({ Status: "FAILED" });
    expect(answered(unknown.path)[0]!.body.Reason).toMatch(/Unknown connection/);

    // The stack of this connection was never deployed: no role to assume.
    const a = await pendingConnection();
    const noRole = request("Create", { ConnectionId: a.id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${a.id}` });
    await handleCustomResource(noRole.event, opts());
    expect(answered(noRole.path)[0]!.body.Status).toBe("FAILED");
    expect(answered(noRole.path)[0]!.body.Reason).toContain("does not exist");
    expect((await call("GET", `/api/workspaces/${a.ws.slug}/accounts/${a.id}`, { token: a.token })).body).toMatchObject({ status: "failed", accountId: null });

    // Workspace B's connection id with a role that belongs to A: refused, and A is untouched.
    const b = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: a.connect });
    const crossed = request("Create", { ConnectionId: b.id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${a.id}` });
    await handleCustomResource(crossed.event, opts());
    expect(answered(crossed.path)[0]!.body.Status).toBe("FAILED");
    expect((await call("GET", `/api/workspaces/${b.ws.slug}/accounts/${b.id}`, { token: b.token })).body.accountId).toBeNull();
    expect((await call("GET", `/api/workspaces/${a.ws.slug}/stages`, { token: a.token })).body).toEqual([]);
  });

  it("answers malformed requests when it can, and never throws for one", async () => {
    const bad = request("Create", { ConnectionId: "x" });
    const broken = { ...bad.event, StackId: undefined, ResourceProperties: "not an object" };
    await handleCustomResource(broken, opts());
    expect(answered(bad.path)[0]!.body).toMatchObject({ Status: "FAILED", LogicalResourceId: "Connection" });
    expect(await handleCustomResource("not even json", opts())).toBeUndefined();
    expect(await handleCustomResource({ RequestType: "Create" }, opts())).toBeUndefined();
    const badDelete = request("Delete", {});
    await handleCustomResource({ ...badDelete.event, ResourceProperties: 7 }, opts());
    expect(answered(badDelete.path)[0]!.body.Status).toBe("SUCCESS");
  });

  it("retries a failing ResponseURL, and throws (for Lambda to retry) when it keeps failing", async () => {
    const { id, connect } = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: connect });
    const props = { ConnectionId: id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${id}` };
    const flaky = request("Create", props);
    failures.set(flaky.path, 2);
    await handleCustomResource(flaky.event, opts());
    expect(answered(flaky.path).map((p) => p.body.Status)).toEqual(["SUCCESS"]);

    const dead = request("Update", props, { PhysicalResourceId: `console-connection-${id}` });
    failures.set(dead.path, -1);
    await expect(handleCustomResource(dead.event, opts({ attempts: 3 }))).rejects.toThrow(/Could not answer CloudFormation/);
    // Lambda's retry of the same request answers once the URL works again.
    failures.delete(dead.path);
    await handleCustomResource(dead.event, opts());
    expect(answered(dead.path)[0]!.body.Status).toBe("SUCCESS");
    await Bus.idle();
  });
});

describe("a Delete is acted on only with proof", () => {
  it("assumes the connection's own role with its external id on Create and on Delete", async () => {
    assumed.length = 0;
    const c = await connectedByStack();
    const externalId = c.connect.parameters[PARAMETERS.externalId];
    expect(assumed.filter((a) => a.RoleArn === c.roleArn)).toEqual([{ RoleArn: c.roleArn, ExternalId: externalId }]);

    assumed.length = 0;
    const del = request("Delete", c.props, { PhysicalResourceId: c.physicalId, StackId: c.stackId });
    await handleCustomResource(del.event, opts());
    expect(answered(del.path)[0]!.body.Status).toBe("SUCCESS");
    // The role of the connection's stored record, with the connection's secret: nothing from the request.
    expect(assumed).toEqual([{ RoleArn: c.roleArn, ExternalId: externalId }]);
    await Bus.idle();
    expectError(await accountOf(c), 404, "not_found");
  });

  it("a Delete whose role no longer answers does not disconnect: it is recorded, and an admin confirms", async () => {
    const c = await connectedByStack();
    // The stack (and its role) are gone, or the request is forged after the fact.
    await deleteStack(c.connect.stackName);
    const del = request("Delete", c.props, { PhysicalResourceId: c.physicalId, StackId: c.stackId });
    await handleCustomResource(del.event, opts());
    expect(answered(del.path)[0]!.body.Status).toBe("SUCCESS");
    await Bus.idle();
    const account = (await accountOf(c)).body;
    expect(account).toMatchObject({ status: "connected", accountId: seed.accountId });
    expect(account.timeStackDeleted).toEqual(expect.any(String));
    expect((await call("GET", `/api/workspaces/${c.ws.slug}/stages`, { token: c.token })).body.length).toBe(seed.stages.length);

    // A member cannot confirm; an admin can.
    const member = await signIn(randomEmail("member"));
    const admin = await signIn(randomEmail("admin"));
    for (const [who, role] of [
      [member, "member"],
      [admin, "admin"],
    ] as const) {
      const invited = await call("POST", `/api/workspaces/${c.ws.id}/members`, { token: c.token, body: { email: who.email, role } });
      expect(invited.status).toBe(201);
      await acceptInvitations(who.token);
    }
    const path = `/api/workspaces/${c.ws.slug}/accounts/${c.id}/confirm-removal`;
    expectError(await call("POST", path, { token: member.token }), 403, "forbidden");
    expect((await accountOf(c)).body.status).toBe("connected");
    const confirmed = await call("POST", path, { token: admin.token });
    expect(confirmed.status).toBe(202);
    await Bus.idle();
    expectError(await accountOf(c), 404, "not_found");
    const audit = (await call("GET", `/api/workspaces/${c.ws.slug}/audit`, { token: c.token })).body;
    expect(JSON.stringify(audit)).toContain("account.stack_deleted");
  });

  it("confirm-removal is refused while the stack has not reported its deletion", async () => {
    const c = await connectedByStack();
    expectError(await call("POST", `/api/workspaces/${c.ws.slug}/accounts/${c.id}/confirm-removal`, { token: c.token }), 409, "conflict");
    // Another workspace's owner cannot reach it.
    const stranger = await pendingConnection();
    expectError(await call("POST", `/api/workspaces/${stranger.ws.slug}/accounts/${c.id}/confirm-removal`, { token: stranger.token }), 404, "not_found");
    expectError(await call("POST", `/api/workspaces/${c.ws.slug}/accounts/${c.id}/confirm-removal`, { token: stranger.token }), 404, "not_found");
    expect((await accountOf(c)).body.status).toBe("connected");
  });

  it("a Delete whose role answers for another account is recorded, not acted on", async () => {
    const c = await connectedByStack();
    callerAccount = randomAccountId();
    const del = request("Delete", c.props, { PhysicalResourceId: c.physicalId, StackId: c.stackId });
    await handleCustomResource(del.event, opts());
    expect(answered(del.path)[0]!.body.Status).toBe("SUCCESS");
    callerAccount = undefined;
    await Bus.idle();
    expect((await accountOf(c)).body).toMatchObject({ status: "connected", timeStackDeleted: expect.any(String) });
  });

  it("a Delete that names another role, another account's stack or another stack is ignored", async () => {
    const c = await connectedByStack();
    const other = randomAccountId();
    const forged = [
      request("Delete", { ...c.props, RoleArn: `arn:aws:iam::${other}:role/console-${c.id}` }, { StackId: c.stackId }),
      request("Delete", { ...c.props, RoleArn: `arn:aws:iam::${seed.accountId}:role/admin` }, { StackId: c.stackId }),
      request("Delete", c.props, { StackId: `arn:aws:cloudformation:us-east-1:${other}:stack/console-${c.id}/${randomUUID()}` }),
      request("Delete", c.props, { StackId: `arn:aws:cloudformation:us-east-1:${seed.accountId}:stack/console-${c.id}/${randomUUID()}` }),
      request("Delete", { ...c.props, AccountId: other, RoleArn: `arn:aws:iam::${other}:role/console-${c.id}` }),
    ];
    for (const f of forged) {
      await handleCustomResource({ ...f.event, PhysicalResourceId: c.physicalId }, opts());
      expect(answered(f.path)[0]!.body.Status).toBe("SUCCESS");
    }
    await Bus.idle();
    expect((await accountOf(c)).body).toMatchObject({ status: "connected", timeStackDeleted: null });
  });
});

describe("the answer goes only to CloudFormation", () => {
  const refused = [
    "http://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://example.com/x",
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com.evil.example/x",
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com@evil.example/x",
    "https://user:pass@cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
    "https://evil.example\\@cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
    "https://evil.example#@cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
    "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com:8443/x",
    "https://evilcloudformation-custom-resource-response-useast1.s3.amazonaws.com/x",
    "https://attacker-bucket.s3.amazonaws.com/x",
    "https://cloudformation-custom-resource-response-useast1.s3.eu-west-1.amazonaws.com/x",
  ];

  it("drops a request answering anywhere else: no fetch, no change", async () => {
    const c = await connectedByStack();
    for (const url of refused) {
      fetched.length = 0;
      const del = request("Delete", c.props, { PhysicalResourceId: c.physicalId, StackId: c.stackId, ResponseURL: url });
      expect(await handleCustomResource(del.event, opts({ attempts: 1 })), url).toBeUndefined();
      const create = request("Create", c.props, { ResponseURL: url });
      expect(await handleCustomResource(create.event, opts({ attempts: 1 })), url).toBeUndefined();
      expect(await handleCustomResource({ ResponseURL: url, RequestType: "Delete" }, opts({ attempts: 1 })), url).toBeUndefined();
      expect(fetched, url).toEqual([]);
    }
    await Bus.idle();
    expect((await accountOf(c)).body).toMatchObject({ status: "connected", timeStackDeleted: null });
  });

  it("never follows a redirect, and sends the answer with redirect: manual", async () => {
    const { id, connect } = await pendingConnection();
    await deployConnectionStack({ endpoint: motoUrl(), accountId: seed.accountId, info: connect });
    const props = { ConnectionId: id, AccountId: seed.accountId, RoleArn: `arn:aws:iam::${seed.accountId}:role/console-${id}` };
    const create = request("Create", props);
    const stolen = `/stolen/${randomUUID()}`;
    redirects.set(create.path, `${base}${stolen}`);
    fetched.length = 0;
    await expect(handleCustomResource(create.event, opts())).rejects.toThrow(/redirect/);
    expect(fetched.length).toBe(1);
    expect(fetched[0]!.init?.redirect).toBe("manual");
    expect(hits).not.toContain(stolen);
    expect(answered(stolen)).toEqual([]);
  });
});
