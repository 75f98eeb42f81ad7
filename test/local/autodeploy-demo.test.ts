/**
 * The demo's deploy, end to end below the run machinery: the local executor builds the demo
 * repository into the seeded demo account (through a connection with autodeploy on), and
 * the console's discovery then lists the new deploy in the stage's history, linked to its run
 * and marked as autodeploy, with the stage's functions updated.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { createDemoRepository, demoBuildEnv, type DemoRepository } from "@console/testkit/demo-repo";
import { Actor } from "../../packages/core/src/actor";
import { Scan } from "../../packages/core/src/account/scan";
import { LocalRepositories, localExecutor, settled } from "../../packages/core/src/autodeploy/local";
import { startBucketEvents } from "../../packages/functions/src/local/bucket-events";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;
let demo: DemoRepository;
let work: string;
let token: string;
let ws: { id: string; slug: string };
let connectionId: string;
const executor = localExecutor({ env: demoBuildEnv() });

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  ({ token } = await signIn());
  ws = await createWorkspace(token);
  connectionId = (await connectAccount(token, ws.slug, seed.accountId, { autodeploy: true })).id;
  work = await mkdtemp(path.join(tmpdir(), "console-demo-test-"));
  demo = await createDemoRepository({ dir: path.join(work, "acme-api") });
  LocalRepositories.register(demo.fullName, demo.dir);
}, 180_000);

afterAll(async () => {
  LocalRepositories.unregister(demo.fullName);
  await rm(work, { recursive: true, force: true });
});

interface Deploy {
  runId: string | null;
  source: string;
  status: string;
  counts: { created: number; updated: number; deleted: number };
}

async function stageOf(app: string, name: string) {
  const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body as { id: string; app: string; name: string; region: string }[];
  return stages.find((s) => s.app === app && s.name === name)!;
}

async function deploysOf(stageId: string): Promise<Deploy[]> {
  const res = await call("GET", `/api/workspaces/${ws.slug}/stages/${stageId}/deploys`, { token });
  expect(res.status).toBe(200);
  return res.body.deploys;
}

describe("the demo repository's deploy", () => {
  it("shows up in the stage's deploy history, linked to its run, after the build", async () => {
    const target = seed.stages.find((s) => s.app === "acme-api" && s.stage === "production")!;
    const stage = await stageOf("acme-api", "production");
    const before = await deploysOf(stage.id);
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: demo.dir }).toString().trim();
    const ref = await executor.start({
      workspaceId: ws.id,
      runId: "demo-run-1",
      connectionId,
      region: stage.region,
      repository: { fullName: demo.fullName, cloneUrl: `https://github.com/${demo.fullName}.git` },
      commit,
      stage: "production",
      action: "deploy",
      token: "ghs_demo",
      env: {},
    });
    expect(await settled(executor, ref.buildId)).toEqual({ state: "succeeded" });

    await Actor.system("test", ws, () => Scan.run(connectionId));
    const after = await deploysOf(stage.id);
    expect(after.length).toBe(before.length + 1);
    expect(after[0]).toMatchObject({ runId: "demo-run-1", source: "autodeploy", status: "succeeded" });
    expect(after[0]!.counts.updated).toBe(target.functions.length);
    // The stage is still there, with its functions.
    const detail = await call("GET", `/api/workspaces/${ws.slug}/stages/${stage.id}`, { token });
    expect(detail.body.functions.length).toBe(target.functions.length);
  });

  it("deploys a stage whose state is gzipped (the demo's personal stage) and a stage that did not exist", async () => {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: demo.dir }).toString().trim();
    const region = seed.stages.find((s) => s.app === "acme-api" && s.stage === "jane")!.region;
    for (const [stage, runId] of [["jane", "demo-run-2"], ["pr-9", "demo-run-3"]] as const) {
      const ref = await executor.start({
        workspaceId: ws.id,
        runId,
        connectionId,
        region,
        repository: { fullName: demo.fullName, cloneUrl: `https://github.com/${demo.fullName}.git` },
        commit,
        stage,
        action: "deploy",
        token: "ghs_demo",
        env: {},
      });
      expect(await settled(executor, ref.buildId), stage).toEqual({ state: "succeeded" });
    }
    await Actor.system("test", ws, () => Scan.run(connectionId));
    const jane = await deploysOf((await stageOf("acme-api", "jane")).id);
    expect(jane[0]).toMatchObject({ runId: "demo-run-2", status: "succeeded" });
    const pr = await stageOf("acme-api", "pr-9");
    expect(pr).toBeDefined();
    const prDeploys = await deploysOf(pr.id);
    expect(prDeploys).toHaveLength(1);
    expect(prDeploys[0]).toMatchObject({ runId: "demo-run-3", source: "autodeploy", status: "succeeded" });
    expect(prDeploys[0]!.counts.created).toBeGreaterThan(3);
  });

  it("reaches the history with no rescan in npm run dev: the bucket's events, delivered by the emulator to the console's bus, are read and synced", async () => {
    const events = await startBucketEvents(motoUrl(), { intervalMs: 60_000 });
    try {
      const stage = await stageOf("acme-api", "production");
      const before = await deploysOf(stage.id);
      const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: demo.dir }).toString().trim();
      const ref = await executor.start({
        workspaceId: ws.id,
        runId: "demo-run-4",
        connectionId,
        region: stage.region,
        repository: { fullName: demo.fullName, cloneUrl: `https://github.com/${demo.fullName}.git` },
        commit,
        stage: "production",
        action: "deploy",
        token: "ghs_demo",
        env: {},
      });
      expect(await settled(executor, ref.buildId)).toEqual({ state: "succeeded" });
      expect(await deploysOf(stage.id)).toHaveLength(before.length);
      await events.poll();
      const after = await deploysOf(stage.id);
      expect(after.length).toBe(before.length + 1);
      expect(after[0]).toMatchObject({ runId: "demo-run-4", source: "autodeploy" });
    } finally {
      events.stop();
    }
  });
});
