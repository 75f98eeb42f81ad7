/**
 * Connect and discover, end to end against the emulator: two customer accounts,
 * two regions, SST v3 and v2 apps; the API, the scan, bucket events, a second
 * workspace on the same account, rescans that change nothing, and disconnect.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateEventBusCommand, EventBridgeClient, ListRulesCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { IAMClient, GetRoleCommand } from "@aws-sdk/client-iam";
import { gzipSync } from "node:zlib";
import { checkOperation } from "../../packages/workspace-template/src";
import { AwsCalls } from "../../packages/core/src/aws/customer";
import { Bus } from "../../packages/core/src/event";
import { Actor } from "../../packages/core/src/actor";
import { Scan } from "../../packages/core/src/account/scan";
import { resetEnv } from "../../packages/core/src/env";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { buildV3Stage } from "@console/testkit/sst";
import { call, createWorkspace, expectError, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;
let otherSeed: SeedResult;
const recorded = AwsCalls.record();

beforeAll(async () => {
  [seed, otherSeed] = await Promise.all([
    seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() }),
    seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId(), regions: ["us-west-2", "ap-southeast-1"] }),
  ]);
}, 120_000);

function stageKey(s: { app: string; name?: string; stage?: string; region: string }) {
  return `${s.app}/${s.name ?? s.stage}@${s.region}`;
}

async function stagesOf(token: string, ws: string) {
  const res = await call("GET", `/api/workspaces/${ws}/stages`, { token });
  expect(res.status).toBe(200);
  return res.body as { id: string; app: string; name: string; region: string; personal: boolean; functionCount: number; accountId: string; timeUpdated: string }[];
}

describe("connecting an AWS account", () => {
  it("creates a pending connection with its own external id and a stack to deploy", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const res = await call("POST", `/api/workspaces/${ws.slug}/accounts`, { token, body: {} });
    expect(res.status).toBe(201);
    expect(res.body.account).toMatchObject({ status: "connecting", accountId: null });
    const params = res.body.connect.parameters;
    expect(params.ConnectionId).toBe(res.body.account.id);
    expect(params.ExternalId.length).toBeGreaterThanOrEqual(32);
    expect(params.ExternalId).not.toContain(ws.id);
    expect(res.body.connect.stackName).toBe(`console-${res.body.account.id}`);
    const second = await call("POST", `/api/workspaces/${ws.slug}/accounts`, { token, body: {} });
    expect(second.body.connect.parameters.ExternalId).not.toBe(params.ExternalId);
    // The secret never appears in the account listing.
    expect(JSON.stringify((await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body)).not.toContain(params.ExternalId);
  });

  it("gives the quick-create link and the callback when the console publishes its template", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      TEMPLATE_BASE_URL: "https://templates.console.example.com",
      CONNECT_SERVICE_TOKEN: "arn:aws:lambda:us-east-1:123456789012:function:console-connect",
    });
    resetEnv();
    try {
      const { token } = await signIn();
      const ws = await createWorkspace(token);
      const res = await call("POST", `/api/workspaces/${ws.slug}/accounts`, { token, body: {} });
      const connect = res.body.connect;
      expect(connect.callback).toBe(true);
      expect(connect.templateUrl).toBe("https://templates.console.example.com/template-least.json");
      const url = new URL(connect.quickCreateUrl);
      expect(url.host).toBe("us-east-1.console.aws.amazon.com");
      const query = new URLSearchParams(url.hash.split("?")[1]);
      expect(query.get("templateURL")).toBe(connect.templateUrl);
      expect(query.get("stackName")).toBe(`console-${res.body.account.id}`);
      expect(query.get("param_ConnectionId")).toBe(res.body.account.id);
      expect(query.get("param_ExternalId")).toBe(connect.parameters.ExternalId);
      expect(query.get("param_ServiceToken")).toBe("arn:aws:lambda:us-east-1:123456789012:function:console-connect");
      const readonly = await call("GET", `/api/workspaces/${ws.slug}/accounts/${res.body.account.id}/connect?variant=readonly`, { token });
      expect(readonly.body.templateUrl).toMatch(/template-readonly\.json$/);
      expectError(await call("GET", `/api/workspaces/${ws.slug}/accounts/${res.body.account.id}/connect?variant=root`, { token }), 400, "validation");
    } finally {
      process.env = saved;
      resetEnv();
    }
  });

  it("refuses Check until the stack's role exists, and says why", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const created = await call("POST", `/api/workspaces/${ws.id}/accounts`, { token, body: {} });
    expectError(await call("POST", `/api/workspaces/${ws.id}/accounts/${created.body.account.id}/check`, { token, body: { accountId: "12345" } }), 400, "validation");
    let account = await call("GET", `/api/workspaces/${ws.id}/accounts/${created.body.account.id}`, { token });
    expect(account.body.status).toBe("connecting");
    // No stack deployed in that account: the role is not there.
    const refused = await call("POST", `/api/workspaces/${ws.id}/accounts/${created.body.account.id}/check`, { token, body: { accountId: randomAccountId() } });
    expectError(refused, 403, "forbidden");
    expect(refused.body.error.message).toContain("does not exist");
    account = await call("GET", `/api/workspaces/${ws.id}/accounts/${created.body.account.id}`, { token });
    expect(account.body).toMatchObject({ status: "failed", accountId: null });
    expect(account.body.reason).toContain("does not exist");
    expect((await call("GET", `/api/workspaces/${ws.id}/stages`, { token })).body).toEqual([]);
  });

  it("connects, scans every region, and finds exactly the seeded apps, stages and functions", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const role = await customerClient(IAMClient, seed.accountId).send(new GetRoleCommand({ RoleName: "console-x".replace("x", "0".repeat(26)) })).catch(() => undefined);
    expect(role).toBeUndefined();
    const conn = await connectAccount(token, ws.slug, seed.accountId);
    const account = (await call("GET", `/api/workspaces/${ws.slug}/accounts/${conn.id}`, { token })).body;
    expect(account).toMatchObject({ status: "connected", accountId: seed.accountId });
    expect(account.timeScanned).toBeTruthy();

    const stages = await stagesOf(token, ws.slug);
    expect(stages.map(stageKey).sort()).toEqual(seed.stages.map(stageKey).sort());
    for (const s of seed.stages) {
      const found = stages.find((x) => stageKey(x) === stageKey(s))!;
      expect(found.personal, stageKey(s)).toBe(s.personal);
      expect(found.accountId).toBe(seed.accountId);
      const detail = await call("GET", `/api/workspaces/${ws.slug}/stages/${found.id}`, { token });
      const fns = detail.body.functions as { name: string; arn: string; runtime: string; handler: string; sourceHandler: string; live: boolean; logGroup: string }[];
      expect(fns.map((f) => f.arn).sort(), stageKey(s)).toEqual(s.functions.map((f) => f.arn).sort());
      for (const f of s.functions) {
        const got = fns.find((x) => x.arn === f.arn)!;
        expect(got).toMatchObject({ name: f.name, runtime: f.runtime, sourceHandler: f.sourceHandler, live: f.live, logGroup: f.logGroup });
        if (s.sst === "v3") expect(got.handler).toBe(f.handler);
      }
      if (s.sst === "v3") expect(detail.body.resources.length).toBe(s.resourceCount);
    }
    // Removed stages (empty state files) are not listed.
    for (const r of seed.removedStages) expect(stages.map(stageKey)).not.toContain(stageKey(r));
  });

  it("a rescan that finds nothing changed fetches no state object and writes nothing", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const conn = await connectAccount(token, ws.slug, seed.accountId);
    const before = await stagesOf(token, ws.slug);
    const result = await Actor.system("test", { id: ws.id, slug: ws.slug }, () => Scan.run(conn.id));
    expect({ ...result, warnings: [] }).toEqual({ ...result, warnings: [], created: 0, updated: 0, removed: 0 });
    expect(result.unchanged).toBe(seed.stages.length);
    expect(result.objectsFetched).toBe(0);
    expect(await stagesOf(token, ws.slug)).toEqual(before);
  });

  it("a bootstrap bucket event updates its stage; events from elsewhere are refused", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const conn = await connectAccount(token, ws.slug, seed.accountId);
    const target = seed.stages.find((s) => s.sst === "v3" && !s.personal)!;
    const stage = (await stagesOf(token, ws.slug)).find((s) => stageKey(s) === stageKey(target))!;

    const { checkpoint } = buildV3Stage({
      app: target.app,
      stage: target.stage,
      region: target.region,
      accountId: seed.accountId,
      functions: [
        ...target.functions.map((f) => ({ name: f.component, functionName: f.name, handler: f.sourceHandler, runtime: f.runtime })),
        { name: "Added", functionName: `${target.app}-${target.stage}-AddedFunction-abc`, handler: "src/added.handler", runtime: "nodejs20.x" },
      ],
    });
    const s3 = customerClient(S3Client, seed.accountId, target.region);
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: target.keys[0], Body: gzipSync(JSON.stringify(checkpoint)), ContentEncoding: "gzip" }));

    const event = {
      version: "0",
      id: "e1",
      "detail-type": "Object Created",
      source: "aws.s3",
      account: seed.accountId,
      region: target.region,
      time: new Date().toISOString(),
      resources: [`arn:aws:s3:::${target.bucket}`],
      detail: { bucket: { name: target.bucket }, object: { key: target.keys[0] }, reason: "PutObject" },
    };
    // The wrong account, or a bucket the connection never recorded: refused, nothing changes.
    expect(await Scan.fromBucketEvent({ ...event, account: otherSeed.accountId })).toBe(0);
    expect(await Scan.fromBucketEvent({ ...event, detail: { ...event.detail, bucket: { name: "sst-state-someoneelse" } } })).toBe(0);
    expect(await Scan.fromBucketEvent({ ...event, source: "console" })).toBe(0);
    const unchanged = await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}`, { token });
    expect(unchanged.body.functions).toHaveLength(target.functions.length);

    expect(await Scan.fromBucketEvent(event)).toBeGreaterThanOrEqual(1);
    await Bus.idle();
    const updated = await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}`, { token });
    expect(updated.body.functions.map((f: { name: string }) => f.name)).toContain(`${target.app}-${target.stage}-AddedFunction-abc`);
    expect(conn.id).toBeTruthy();
  });

  it("a second workspace connecting the same account sees only its own connection's data", async () => {
    const a = await signIn();
    const wsA = await createWorkspace(a.token);
    const b = await signIn();
    const wsB = await createWorkspace(b.token);
    await connectAccount(a.token, wsA.slug, otherSeed.accountId);
    const connB = await connectAccount(b.token, wsB.slug, otherSeed.accountId);
    const stagesA = await stagesOf(a.token, wsA.slug);
    const stagesB = await stagesOf(b.token, wsB.slug);
    const accountsB = (await call("GET", `/api/workspaces/${wsB.slug}/accounts`, { token: b.token })).body;
    expect(stagesA.map(stageKey).sort(), JSON.stringify(accountsB)).toEqual(stagesB.map(stageKey).sort());
    expect(new Set(stagesA.map((s) => s.id)).size).toBe(stagesA.length);
    for (const s of stagesB) {
      expect(stagesA.map((x) => x.id)).not.toContain(s.id);
      expectError(await call("GET", `/api/workspaces/${wsA.slug}/stages/${s.id}`, { token: a.token }), 404, "not_found");
      expectError(await call("GET", `/api/workspaces/${wsB.slug}/stages/${s.id}`, { token: a.token }), 404, "not_found");
    }
    expectError(await call("GET", `/api/workspaces/${wsA.slug}/accounts/${connB.id}`, { token: a.token }), 404, "not_found");
    // Connecting the same account twice in one workspace is refused.
    const again = await call("POST", `/api/workspaces/${wsA.slug}/accounts`, { token: a.token, body: {} });
    const { deployConnectionStack } = await import("../../packages/functions/src/local/stack");
    await deployConnectionStack({ endpoint: motoUrl(), accountId: otherSeed.accountId, info: again.body.connect });
    expectError(
      await call("POST", `/api/workspaces/${wsA.slug}/accounts/${again.body.account.id}/check`, { token: a.token, body: { accountId: otherSeed.accountId } }),
      409,
      "conflict",
    );
  });

  it("forwards bootstrap bucket events to the console's bus until disconnect removes the rules and notifications", async () => {
    const accountId = randomAccountId();
    const fresh = await seedDemoAccount({ endpoint: motoUrl(), accountId });
    // The console's bus, with a rule that copies what arrives into a log group we can read.
    const busName = "console";
    const logGroup = `/test/console-bus-${accountId}`;
    const events = new EventBridgeClient({ region: "us-east-1", endpoint: motoUrl(), credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    const logs = new CloudWatchLogsClient({ region: "us-east-1", endpoint: motoUrl(), credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
    await events.send(new CreateEventBusCommand({ Name: busName })).catch(() => undefined);
    await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    await events.send(new PutRuleCommand({ Name: `copy-${accountId}`, EventBusName: busName, EventPattern: JSON.stringify({ source: ["aws.s3"] }) }));
    await events.send(new PutTargetsCommand({ Rule: `copy-${accountId}`, EventBusName: busName, Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:123456789012:log-group:${logGroup}` }] }));
    const forwardedKeys = async () => {
      const res = await logs.send(new FilterLogEventsCommand({ logGroupName: logGroup }));
      return (res.events ?? []).map((e) => JSON.parse(e.message!).detail?.object?.key as string);
    };

    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const conn = await connectAccount(token, ws.slug, accountId);
    const regions = [...new Set(fresh.stages.map((s) => s.region))];
    const rulesIn = async (region: string) =>
      ((await customerClient(EventBridgeClient, accountId, region).send(new ListRulesCommand({ NamePrefix: "console-" }))).Rules ?? []).map((r) => r.Name);
    const outside = regions.find((r) => r !== "us-east-1")!;
    expect(await rulesIn(outside)).toContain(`console-${conn.id}-bootstrap`);

    // A deploy in each region reaches the console's bus: through the stack's rule in
    // us-east-1, and through the rule the console created in the other region.
    for (const region of regions) {
      const bucket = fresh.stages.find((s) => s.region === region && s.sst === "v3")!.bucket;
      await customerClient(S3Client, accountId, region).send(new PutObjectCommand({ Bucket: bucket, Key: `update/app/stage/before-${region}.json`, Body: "{}" }));
      expect(await forwardedKeys()).toContain(`update/app/stage/before-${region}.json`);
    }

    const res = await call("DELETE", `/api/workspaces/${ws.slug}/accounts/${conn.id}`, { token });
    expect(res.status).toBe(202);
    await Bus.idle();
    expect(await rulesIn(outside)).not.toContain(`console-${conn.id}-bootstrap`);
    const bucket = fresh.stages.find((s) => s.region === outside && s.sst === "v3")!.bucket;
    await customerClient(S3Client, accountId, outside).send(new PutObjectCommand({ Bucket: bucket, Key: "update/app/stage/after.json", Body: "{}" }));
    expect(await forwardedKeys()).not.toContain("update/app/stage/after.json");

    expectError(await call("GET", `/api/workspaces/${ws.slug}/accounts/${conn.id}`, { token }), 404, "not_found");
    expect(await stagesOf(token, ws.slug)).toEqual([]);
    const audit = await call("GET", `/api/workspaces/${ws.slug}/audit`, { token });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toContain("account.disconnect");
  });

  it("every AWS call made in a customer account is allowed by the least-privilege template", () => {
    recorded.stop();
    expect(recorded.calls.length).toBeGreaterThan(50);
    const denied = [];
    for (const c of recorded.calls) {
      // With the emulator, the console's log destination is stood in for by a stream (local/kinesis.ts);
      // on AWS the call names the destination in the console's account, which is what the role must allow.
      const input =
        typeof c.input.destinationArn === "string" && c.input.destinationArn.includes(":stream/console-issues")
          ? { ...c.input, destinationArn: `arn:aws:logs:${c.region}:123456789012:destination:console-${c.connectionId}` }
          : c.input;
      const check = checkOperation("least", `${c.service}.${c.operation}`, input, {
        accountId: c.accountId ?? "000000000000",
        region: c.region,
        parameters: { ConnectionId: c.connectionId ?? "none", ConsoleAccountId: "123456789012" },
      });
      if (!check.allowed) denied.push({ op: `${c.service}.${c.operation}`, denied: check.denied });
    }
    expect(denied).toEqual([]);
  });
});
