/**
 * Metering against the emulator's CloudWatch: metric data is put first, then the
 * console reads it through the connection's role with batched GetMetricData calls.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { meterAll } from "../../packages/functions/src/cron/usage";
import { Actor } from "../../packages/core/src/actor";
import { AwsCalls } from "../../packages/core/src/aws/customer";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { seedDemoMetrics } from "@console/testkit/metrics";
import { call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;
let owner: { token: string };
let ws: { slug: string; id: string };
const month = new Date().toISOString().slice(0, 7);
const today = new Date().toISOString().slice(0, 10);

/** Puts `n` invocations for `fn` at noon UTC of `day`. */
async function put(fnName: string, region: string, day: string, n: number) {
  const cw = customerClient(CloudWatchClient, seed.accountId, region);
  await cw.send(
    new PutMetricDataCommand({
      Namespace: "AWS/Lambda",
      MetricData: [{ MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: fnName }], Timestamp: new Date(`${day}T00:30:00.000Z`), Value: n, Unit: "Count" }],
    }),
  );
}

async function join(role: "admin" | "member") {
  const email = randomEmail(role);
  const invited = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email, role } });
  const user = await signIn(email);
  await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: user.token, body: {} });
  return user;
}

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  owner = await signIn();
  ws = await createWorkspace(owner.token);
  await connectAccount(owner.token, ws.slug, seed.accountId);
}, 120_000);

describe("metering", () => {
  it("reads invocations per function per day, excludes personal stages, and re-runs replace", async () => {
    const deployed = seed.functions.filter((f) => f.created && !seed.stages.find((s) => s.app === f.app && s.stage === f.stage && s.region === f.region)!.personal);
    const personal = seed.functions.filter((f) => f.created && seed.stages.find((s) => s.app === f.app && s.stage === f.stage && s.region === f.region)!.personal);
    expect(deployed.length).toBeGreaterThan(1);
    expect(personal.length).toBeGreaterThan(0);
    const [a, b] = deployed as [(typeof deployed)[0], (typeof deployed)[0]];
    await put(a.name, a.region, today, 700);
    await put(b.name, b.region, today, 300);
    for (const p of personal) await put(p.name, p.region, today, 5_000);

    const rec = AwsCalls.record();
    const refreshed = await call("POST", `/api/workspaces/${ws.slug}/usage/refresh`, { token: owner.token, body: {} });
    rec.stop();
    expect(refreshed.status).toBe(202);
    const reads = rec.calls.filter((c) => c.operation === "GetMetricData");
    // One call per account and region (each well under 500 functions), not one per function.
    const regions = new Set(deployed.map((f) => f.region));
    expect(reads.length).toBe(regions.size);
    expect(reads.every((c) => (c.input.MetricDataQueries as unknown[]).length <= 500)).toBe(true);

    const usage = await call("GET", `/api/workspaces/${ws.slug}/usage?month=${month}`, { token: owner.token });
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ month, invocations: 1000, costUsd: "0.00" });
    expect(usage.body.days).toEqual([{ day: today, invocations: 1000 }]);
    for (const s of usage.body.stages) if (s.personal) expect(s.invocations).toBe(0);
    expect(usage.body.stages.some((s: { personal: boolean }) => s.personal)).toBe(true);
    expect(usage.body.stages.reduce((n: number, s: { invocations: number }) => n + s.invocations, 0)).toBe(1000);
    expect(Object.keys(usage.body).slice(0, 6)).toEqual(["month", "invocations", "costUsd", "tiers", "stages", "days"]);

    // Re-running the day replaces (never adds); new data shows up.
    await call("POST", `/api/workspaces/${ws.slug}/usage/refresh`, { token: owner.token, body: {} });
    expect((await call("GET", `/api/workspaces/${ws.slug}/usage?month=${month}`, { token: owner.token })).body.invocations).toBe(1000);
    await put(a.name, a.region, today, 1_200_000);
    await call("POST", `/api/workspaces/${ws.slug}/usage/refresh`, { token: owner.token, body: {} });
    const after = await call("GET", `/api/workspaces/${ws.slug}/usage?month=${month}`, { token: owner.token });
    expect(after.body.invocations).toBe(1_201_000);
    expect(after.body.costUsd).toBe("4.02");
  });

  it("lets members read and refresh usage; isolates workspaces; validates the month", async () => {
    const member = await join("member");
    expect((await call("GET", `/api/workspaces/${ws.slug}/usage?month=${month}`, { token: member.token })).status).toBe(200);
    expect((await call("POST", `/api/workspaces/${ws.slug}/usage/refresh`, { token: member.token, body: {} })).status).toBe(202);
    const stranger = await signIn();
    expectError(await call("GET", `/api/workspaces/${ws.slug}/usage`, { token: stranger.token }), 404, "not_found");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/usage/refresh`, { token: stranger.token, body: {} }), 404, "not_found");
    const other = await createWorkspace(stranger.token);
    const empty = await call("GET", `/api/workspaces/${other.slug}/usage?month=${month}`, { token: stranger.token });
    expect(empty.body).toMatchObject({ invocations: 0, costUsd: "0.00", stages: [], days: [] });
    expectError(await call("GET", `/api/workspaces/${ws.slug}/usage?month=2025-13`, { token: owner.token }), 400, "validation");
    expectError(await call("GET", `/api/workspaces/${ws.slug}/usage?month=yesterday`, { token: owner.token }), 400, "validation");
  });
});

describe("the demo", () => {
  it("has invocation metrics, so a workspace that connects it sees a chart and a cost", async () => {
    const demo = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    await seedDemoMetrics({ endpoint: motoUrl(), accountId: demo.accountId }, demo);
    const user = await signIn();
    const w = await createWorkspace(user.token);
    await connectAccount(user.token, w.slug, demo.accountId);
    expect((await call("POST", `/api/workspaces/${w.slug}/usage/refresh`, { token: user.token, body: {} })).status).toBe(202);
    const usage = (await call("GET", `/api/workspaces/${w.slug}/usage?month=${month}`, { token: user.token })).body;
    expect(usage.invocations).toBeGreaterThan(0);
    expect(usage.days.filter((d: { invocations: number }) => d.invocations > 0).length).toBeGreaterThan(0);
    expect(usage.stages.some((s: { personal: boolean; invocations: number }) => !s.personal && s.invocations > 0)).toBe(true);
    expect(usage.stages.filter((s: { personal: boolean }) => s.personal).every((s: { invocations: number }) => s.invocations === 0)).toBe(true);
    expect(typeof usage.costUsd).toBe("string");
  }, 120_000);
});


describe("missing permissions and the daily job", () => {
  afterEach(() => vi.restoreAllMocks());

  it("turns AccessDenied in one region into a warning, keeps that region's days, and clears it once readable", async () => {
    const demo = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    await seedDemoMetrics({ endpoint: motoUrl(), accountId: demo.accountId }, demo, { days: 3 });
    const user = await signIn();
    const w = await createWorkspace(user.token);
    await connectAccount(user.token, w.slug, demo.accountId);
    await call("POST", `/api/workspaces/${w.slug}/usage/refresh`, { token: user.token, body: {} });
    const before = (await call("GET", `/api/workspaces/${w.slug}/usage?month=${month}`, { token: user.token })).body;
    expect(before.warnings).toEqual([]);
    const regions = [...new Set(demo.functions.filter((f) => f.created).map((f) => f.region))];
    const denied = regions[0]!;

    // The emulator does not enforce IAM: answer as AWS does when the role lacks cloudwatch:GetMetricData.
    const send = CloudWatchClient.prototype.send;
    vi.spyOn(CloudWatchClient.prototype, "send").mockImplementation(async function (this: CloudWatchClient, command: any, ...rest: any[]) {
      if (command instanceof GetMetricDataCommand && (await this.config.region()) === denied) {
        throw Object.assign(new Error("User is not authorized to perform: cloudwatch:GetMetricData"), { name: "AccessDenied" });
      }
      return (send as any).call(this, command, ...rest);
    } as any);
    const refreshed = await call("POST", `/api/workspaces/${w.slug}/usage/refresh`, { token: user.token, body: {} });
    expect(refreshed.status).toBe(202);
    expect(refreshed.body.warnings).toEqual([expect.objectContaining({ region: denied })]);
    const during = (await call("GET", `/api/workspaces/${w.slug}/usage?month=${month}`, { token: user.token })).body;
    expect(during.warnings).toEqual([{ accountId: demo.accountId, region: denied, message: expect.stringContaining("cloudwatch:GetMetricData") }]);
    // Nothing already stored is lost: the denied region's days stay as they were.
    expect(during.invocations).toBe(before.invocations);

    vi.restoreAllMocks();
    await call("POST", `/api/workspaces/${w.slug}/usage/refresh`, { token: user.token, body: {} });
    expect((await call("GET", `/api/workspaces/${w.slug}/usage?month=${month}`, { token: user.token })).body.warnings).toEqual([]);
  }, 120_000);

  it("the daily job meters every workspace, and one failing workspace does not stop the others", async () => {
    const demo = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    await seedDemoMetrics({ endpoint: motoUrl(), accountId: demo.accountId }, demo, { days: 1 });
    const a = await signIn();
    const wa = await createWorkspace(a.token);
    await connectAccount(a.token, wa.slug, demo.accountId);
    const b = await signIn();
    const wb = await createWorkspace(b.token);
    await connectAccount(b.token, wb.slug, demo.accountId);
    // Workspace A's reads fail with something that is not a permission error (it is retried tomorrow).
    const send = CloudWatchClient.prototype.send;
    vi.spyOn(CloudWatchClient.prototype, "send").mockImplementation(async function (this: CloudWatchClient, command: any, ...rest: any[]) {
      if (command instanceof GetMetricDataCommand && Actor.workspaceId() === wa.id) {
        throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
      }
      return (send as any).call(this, command, ...rest);
    } as any);
    const run = await meterAll();
    expect(run.workspaces).toBeGreaterThanOrEqual(2);
    expect(run.failed).toBe(1);
    vi.restoreAllMocks();
    const usage = async (ws: { slug: string }, user: { token: string }) =>
      (await call("GET", `/api/workspaces/${ws.slug}/usage?month=${month}`, { token: user.token })).body;
    expect((await usage(wa, a)).invocations).toBe(0);
    const metered = (await usage(wb, b)).invocations;
    expect(metered).toBeGreaterThan(0);
    // The next run meters A too, the same days as B (same account), and B's are replaced, not added.
    expect((await meterAll()).failed).toBe(0);
    expect((await usage(wa, a)).invocations).toBe(metered);
    expect((await usage(wb, b)).invocations).toBe(metered);
  }, 120_000);
});
