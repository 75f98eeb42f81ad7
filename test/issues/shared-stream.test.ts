/**
 * Locally the emulated issue stream of an account and region is shared: the demo account
 * is connected from many workspaces, and each connection's filters write to the same
 * stream. Disconnecting one workspace's connection must leave the stream (and its
 * polling) to the others; the last one out removes it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeStreamCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { Bus } from "../../packages/core/src/event";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { invoke } from "@console/testkit/programs";
import { actAsAccount } from "@console/testkit/aws";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { currentEmulatedIssues, EMULATED_STREAM } from "../../packages/functions/src/local/kinesis";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
}, 120_000);

async function tenant() {
  const { token } = await signIn();
  const ws = await createWorkspace(token);
  const { id } = await connectAccount(token, ws.slug, seed.accountId);
  return { token, ws, id };
}

describe("the shared emulated issue stream", () => {
  it("outlives one workspace's disconnect while another workspace's connection uses it", async () => {
    const a = await tenant();
    const b = await tenant();
    const worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
    const kinesis = actAsAccount(
      new KinesisClient({ region: worker.region, endpoint: motoUrl(), credentials: { accessKeyId: "testing", secretAccessKey: "testing" }, requestHandler: new NodeHttpHandler() }),
      seed.accountId,
    );
    const exists = () =>
      kinesis.send(new DescribeStreamCommand({ StreamName: EMULATED_STREAM })).then(
        () => true,
        () => false,
      );
    expect(await exists()).toBe(true);

    expect((await call("DELETE", `/api/workspaces/${a.ws.slug}/accounts/${a.id}`, { token: a.token })).status).toBe(202);
    await Bus.idle();
    expect((await call("GET", `/api/workspaces/${a.ws.slug}/accounts`, { token: a.token })).body).toEqual([]);
    expect(await exists()).toBe(true);

    // B's errors still arrive.
    const bad = await invoke("node", "createOrder", { id: "x", items: [] });
    const logs = customerClient(CloudWatchLogsClient, seed.accountId, worker.region);
    const stream = `2026/12/05/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    await logs.send(new CreateLogStreamCommand({ logGroupName: worker.logGroup, logStreamName: stream }));
    await logs.send(new PutLogEventsCommand({ logGroupName: worker.logGroup, logStreamName: stream, logEvents: [...bad.events].sort((x, y) => x.timestamp - y.timestamp) }));
    await currentEmulatedIssues()!.drain();
    await Bus.idle();
    const stages = (await call("GET", `/api/workspaces/${b.ws.slug}/stages`, { token: b.token })).body as { id: string; app: string; name: string }[];
    const stageId = stages.find((s) => s.app === "acme-api" && s.name === "production")!.id;
    const issues = (await call("GET", `/api/workspaces/${b.ws.slug}/issues?stage=${stageId}`, { token: b.token })).body.issues as { type: string }[];
    expect(issues.some((i) => i.type === "ZodError")).toBe(true);

    // The last connection out takes the stream with it.
    expect((await call("DELETE", `/api/workspaces/${b.ws.slug}/accounts/${b.id}`, { token: b.token })).status).toBe(202);
    await Bus.idle();
    expect(await exists()).toBe(false);
  });
});
