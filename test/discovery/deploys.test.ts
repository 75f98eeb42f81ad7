/**
 * Deploy history end to end against the emulator: the demo account's `update/` and
 * `eventlog/` objects become each stage's deploys on connect (newest first, with
 * resource changes and errors), a rescan fetches nothing, bucket events bring a new
 * deploy in (running, then failed), and that failure reaches an alert rule's webhook,
 * once. The first scan of old failures alerts nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { and, eq } from "drizzle-orm";
import { startWebhookReceiver, type WebhookReceiver } from "@console/testkit/alerts";
import { seedDemoAccount, DEMO_DEPLOY_ERROR, type SeedResult } from "@console/testkit/seed";
import { buildV3EventLog, buildV3Update } from "@console/testkit/sst";
import { Actor } from "../../packages/core/src/actor";
import { Scan } from "../../packages/core/src/account/scan";
import { webhookPolicy } from "../../packages/core/src/alert";
import { Database } from "../../packages/core/src/db";
import { resetEnv } from "../../packages/core/src/env";
import { Bus, eventOutboxTable } from "../../packages/core/src/event";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;
let hook: WebhookReceiver;

beforeAll(async () => {
  hook = await startWebhookReceiver();
  process.env.PUBLIC_URL = "http://console.test";
  resetEnv();
  webhookPolicy.delaysMs = [5, 5];
  webhookPolicy.timeoutMs = 1_000;
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
}, 120_000);

afterAll(async () => {
  await hook?.close();
});

interface Summary {
  id: string;
  updateId: string;
  source: string;
  command: string;
  status: string;
  timeStarted: string;
  duration: number;
  counts: { created: number; updated: number; deleted: number; replaced: number };
  errorCount: number;
  firstError: string | null;
}

async function connected() {
  const { token } = await signIn();
  const ws = await createWorkspace(token);
  const conn = await connectAccount(token, ws.slug, seed.accountId);
  const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body as { id: string; app: string; name: string; region: string }[];
  const target = seed.stages.find((s) => s.sst === "v3" && !s.personal && s.region === "us-east-1")!;
  const stage = stages.find((s) => s.app === target.app && s.name === target.stage && s.region === target.region)!;
  return { token, ws, conn, target, stage };
}

const deploysOf = async (token: string, ws: string, stageId: string) => {
  const res = await call("GET", `/api/workspaces/${ws}/stages/${stageId}/deploys`, { token });
  expect(res.status).toBe(200);
  return res.body as { deploys: Summary[]; next: string | null };
};

const failedEvents = (workspaceId: string) =>
  Database.use((db) =>
    db
      .select({ id: eventOutboxTable.id })
      .from(eventOutboxTable)
      .where(and(eq(eventOutboxTable.workspaceId, workspaceId), eq(eventOutboxTable.type, "deploy.failed"))),
  );

describe("deploy history", () => {
  it("lists each stage's deploys newest first, with source, result, changes and errors", async () => {
    const { token, ws, target, stage } = await connected();
    const { deploys, next } = await deploysOf(token, ws.slug, stage.id);
    expect(next).toBeNull();
    expect(deploys.map((d) => d.updateId)).toEqual(target.deploys!.map((d) => d.updateId));
    expect(deploys.map((d) => [d.source, d.status, d.command])).toEqual(target.deploys!.map((d) => [d.source, d.status, "deploy"]));
    expect(deploys.map((d) => d.status)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(deploys[0]!.source).toBe("autodeploy");
    for (const [i, d] of deploys.entries()) {
      const s = target.deploys![i]!;
      expect(d.timeStarted).toBe(s.timeStarted);
      expect(d.duration).toBe(Date.parse(s.timeCompleted) - Date.parse(s.timeStarted));
    }
    const failed = deploys[1]!;
    expect(failed).toMatchObject({ errorCount: 1, firstError: DEMO_DEPLOY_ERROR, counts: { created: 1, updated: 1, deleted: 0, replaced: 0 } });
    expect(deploys[2]!.counts.created).toBeGreaterThan(5);

    const detail = await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}/deploys/${failed.id}`, { token });
    expect(detail.status).toBe(200);
    expect(detail.body.hasEventLog).toBe(true);
    expect(detail.body.changes.map((c: { name: string; action: string; status: string; error: string | null }) => [c.name, c.action, c.status, c.error])).toEqual([
      [expect.stringMatching(/Function$/), "update", "done", null],
      ["ReportsFunction", "create", "failed", DEMO_DEPLOY_ERROR],
    ]);

    // Paging: one at a time, the same order.
    const first = await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}/deploys?limit=1`, { token });
    const second = await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}/deploys?limit=1&after=${first.body.next}`, { token });
    expect([first.body.deploys[0].id, second.body.deploys[0].id]).toEqual([deploys[0]!.id, deploys[1]!.id]);
    // Bad input: 400; another stage's deploy: 404.
    expect((await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}/deploys?limit=0`, { token })).status).toBe(400);
    const other = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body.find((s: { id: string }) => s.id !== stage.id);
    expect((await call("GET", `/api/workspaces/${ws.slug}/stages/${other.id}/deploys/${failed.id}`, { token })).status).toBe(404);

    // Old failures found by the first scan alert nobody.
    await Bus.idle();
    expect(await failedEvents(ws.id)).toHaveLength(0);
  });

  it("a rescan fetches no deploy object again", async () => {
    const { ws, conn } = await connected();
    const result = await Actor.system("test", { id: ws.id, slug: ws.slug }, () => Scan.run(conn.id));
    expect(result.objectsFetched).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  it("bucket events bring a new deploy in: running, then failed, and the failure alerts once", async () => {
    const { token, ws, target, stage } = await connected();
    for (const r of (await call("GET", `/api/workspaces/${ws.slug}/alerts/rules`, { token })).body) {
      await call("DELETE", `/api/workspaces/${ws.slug}/alerts/rules/${r.id}`, { token });
    }
    const dest = await call("POST", `/api/workspaces/${ws.slug}/alerts/destinations`, { token, body: { type: "webhook", name: "deploys", url: `${hook.url}/${ws.slug}` } });
    hook.setSecret(dest.body.secret);
    const rule = await call("POST", `/api/workspaces/${ws.slug}/alerts/rules`, {
      token,
      body: { events: ["deploy.failed"], stages: [target.stage], destinations: [dest.body.id] },
    });
    expect(rule.status).toBe(201);

    const s3 = customerClient(S3Client, seed.accountId, target.region);
    const urn = `urn:pulumi:${target.stage}::${target.app}::sst:aws:Function$aws:lambda/function:Function::BillingFunction`;
    const message = "creating Lambda Function: ResourceConflictException: Function already exist";
    const completed = new Date();
    const u = buildV3Update(target.app, target.stage, completed, "new", "deploy", { runId: false, errors: [{ urn, message }], durationMs: 30_000 });
    const event = (key: string) => ({
      source: "aws.s3",
      account: seed.accountId,
      region: target.region,
      "detail-type": "Object Created",
      detail: { bucket: { name: target.bucket }, object: { key } },
    });
    // SST takes the lock: the record without its end.
    const { timeCompleted: _, ...running } = u.update;
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: u.key.update, Body: JSON.stringify({ ...running, errors: null }) }));
    expect(await Scan.fromBucketEvent(event(u.key.update))).toBeGreaterThanOrEqual(1);
    let list = await deploysOf(token, ws.slug, stage.id);
    expect(list.deploys[0]).toMatchObject({ updateId: u.id, status: "running", source: "cli" });

    // The end: the final record and the event log.
    const eventlogKey = `eventlog/${target.app}/${target.stage}/${u.id}.json`;
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: u.key.update, Body: JSON.stringify(u.update) }));
    await s3.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: eventlogKey, Body: buildV3EventLog(new Date(completed.getTime() - 30_000), [{ urn, op: "create", error: message }]) }),
    );
    expect(await Scan.fromBucketEvent(event(u.key.update))).toBeGreaterThanOrEqual(1);
    expect(await Scan.fromBucketEvent(event(eventlogKey))).toBeGreaterThanOrEqual(1);
    await Bus.idle();
    list = await deploysOf(token, ws.slug, stage.id);
    expect(list.deploys[0]).toMatchObject({ updateId: u.id, status: "failed", errorCount: 1, firstError: message, counts: { created: 1 } });
    expect(list.deploys).toHaveLength(target.deploys!.length + 1);

    // One event, one alert, whichever of the two objects arrived last.
    expect(await failedEvents(ws.id)).toHaveLength(1);
    const got = hook.verified().filter((r) => r.path === `/${ws.slug}`);
    expect(got).toHaveLength(1);
    expect(got[0]!.payload).toMatchObject({
      type: "deploy.failed",
      data: {
        workspace: { id: ws.id, slug: ws.slug },
        deploy: {
          id: list.deploys[0]!.id,
          app: target.app,
          stage: target.stage,
          command: "deploy",
          source: "cli",
          errors: [{ resource: "BillingFunction", message }],
          errorCount: 1,
          url: expect.stringContaining(`/${ws.slug}/app/${target.app}/${target.stage}/deploys`),
        },
      },
    });

    // Events about a stage the connection does not know change nothing.
    expect(await Scan.fromBucketEvent(event(`update/${target.app}/unknown-stage/${u.id}.json`))).toBe(0);
  });
});
