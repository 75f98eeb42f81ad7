/**
 * The local executor with real local git repositories: it makes the CodeBuild executor's
 * calls to the emulator and runs the build's steps itself. A deploy of the demo repository
 * writes its state and deploy into the emulator's state bucket and its lines into CloudWatch
 * Logs; a failing step fails with its error; stop cancels. Then the whole call set against
 * the template's autodeploy policy: every call allowed, and every granted action used.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { AUTODEPLOY_ACTIONS, autodeploySecretName, checkOperation, requiredPermissions } from "@console/workspace-template";
import { buildV3Bootstrap } from "@console/testkit/sst-state";
import { createDemoRepository, demoBuildEnv, DEMO_REPOSITORY, type DemoRepository } from "@console/testkit/demo-repo";
import { AwsCalls } from "../aws/customer";
import { connectAccount, customerClient, randomAccountId } from "../../../../test/setup/aws";
import { createWorkspace, signIn } from "../../../../test/setup/api";
import { buildDeploy, parseEventLog, parseUpdateRecord } from "../deploy/parse";
import type { BuildSpec } from "./executor";
import { LocalRepositories, localExecutor, settled } from "./local";

const region = "us-west-2";
let accountId: string;
let workspaceId: string;
let connectionId: string;
let stateBucket: string;
let demo: DemoRepository;
let work: string;
let recorded: ReturnType<typeof AwsCalls.record>;
const executor = localExecutor({ env: demoBuildEnv() });

const git = (dir: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } })
    .toString()
    .trim();

beforeAll(async () => {
  accountId = randomAccountId();
  // An SST-bootstrapped region of the account: the state bucket and /sst/bootstrap.
  const bootstrap = buildV3Bootstrap(accountId, region);
  stateBucket = bootstrap.state;
  await customerClient(S3Client, accountId, region).send(new CreateBucketCommand({ Bucket: stateBucket, CreateBucketConfiguration: { LocationConstraint: region } }));
  await customerClient(SSMClient, accountId, region).send(new PutParameterCommand({ Name: "/sst/bootstrap", Type: "String", Value: JSON.stringify(bootstrap), Overwrite: true }));
  const { token } = await signIn();
  const ws = await createWorkspace(token);
  workspaceId = ws.id;
  connectionId = (await connectAccount(token, ws.slug, accountId, { autodeploy: true })).id;
  recorded = AwsCalls.record();

  work = await mkdtemp(path.join(tmpdir(), "console-local-test-"));
  demo = await createDemoRepository({ dir: path.join(work, "acme-api") });
  LocalRepositories.register(demo.fullName, demo.dir);
});

afterAll(async () => {
  recorded?.stop();
  LocalRepositories.unregister(DEMO_REPOSITORY.fullName);
  await rm(work, { recursive: true, force: true });
});

function spec(runId: string, overrides: Partial<BuildSpec> = {}): BuildSpec {
  return {
    workspaceId,
    runId,
    connectionId,
    region,
    repository: { fullName: demo.fullName, cloneUrl: `https://github.com/${demo.fullName}.git` },
    commit: git(demo.dir, "rev-parse", "HEAD"),
    stage: "production",
    action: "deploy",
    token: "ghs_localToken",
    env: { GREETING: "hello from the stage" },
    ...overrides,
  };
}

async function allLines(target: { buildId: string; logGroup: string; logStream: string }) {
  const lines: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await executor.logs({ workspaceId, connectionId, region, ...target }, cursor);
    lines.push(...page.lines.map((l) => l.message));
    if (!page.lines.length) return lines;
    cursor = page.cursor;
  }
}

const text = async (key: string) => {
  const got = await customerClient(S3Client, accountId, region).send(new GetObjectCommand({ Bucket: stateBucket, Key: key }));
  return got.Body!.transformToString();
};
const keys = async (prefix: string) =>
  ((await customerClient(S3Client, accountId, region).send(new ListObjectsV2Command({ Bucket: stateBucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);

describe("the local executor", () => {
  it("deploys the demo repository: state, update and event log in the state bucket, every line in CloudWatch", async () => {
    const ref = await executor.start(spec("run-ok"));
    const target = { workspaceId, connectionId, region, buildId: ref.buildId };
    expect(await settled(executor, ref.buildId)).toEqual({ state: "succeeded" });
    expect(await executor.status(target)).toEqual({ state: "succeeded" });

    const checkpoint = JSON.parse(await text("app/acme-api/production.json"));
    expect(checkpoint.checkpoint.latest.resources.length).toBeGreaterThan(5);
    const [updateKey] = await keys("update/acme-api/production/");
    const update = parseUpdateRecord(await text(updateKey!));
    expect(update.runId).toBe("run-ok");
    const eventlog = parseEventLog(await text(`eventlog/acme-api/production/${update.id}.json`));
    const deploy = buildDeploy(update, eventlog);
    expect(deploy.status).toBe("succeeded");
    expect(deploy.changes.filter((c) => c.action === "create").length).toBeGreaterThan(3);

    const lines = await allLines(ref);
    expect(lines[0]).toBe("[console] Running the checkout step");
    expect(lines).toContain(`Checked out ${spec("x").commit} of ${demo.fullName}`);
    expect(lines).toContain("[console] Running the install step");
    expect(lines).toContain("[console] Running the deploy step");
    expect(lines).toContain("   Stage:      production");
    expect(lines).toContain("✓  Complete");
    expect(lines.at(-1)).toBe("[console] The deploy succeeded");

    // The build's secret is gone once the build is.
    const gone = await customerClient(SSMClient, accountId, region)
      .send(new GetParameterCommand({ Name: autodeploySecretName(connectionId, "run-ok"), WithDecryption: true }))
      .catch((err: Error) => err.name);
    expect(gone).toBe("ParameterNotFound");
  });

  it("a second deploy of the stage updates it: a new update with its run id, the checkpoint rewritten", async () => {
    const before = await keys("update/acme-api/production/");
    const ref = await executor.start(spec("run-again"));
    expect(await settled(executor, ref.buildId)).toEqual({ state: "succeeded" });
    const after = await keys("update/acme-api/production/");
    expect(after.length).toBe(before.length + 1);
    const newest = after.find((k) => !before.includes(k))!;
    const update = parseUpdateRecord(await text(newest));
    expect(update.runId).toBe("run-again");
    const deploy = buildDeploy(update, parseEventLog(await text(`eventlog/acme-api/production/${update.id}.json`)));
    expect(deploy.changes.map((c) => c.action)).toEqual(expect.arrayContaining(["update"]));
    expect(deploy.changes.every((c) => c.action === "update")).toBe(true);
  });

  it("a failing deploy fails with the step and its last line, and writes the failed deploy", async () => {
    await writeFile(path.join(demo.dir, "deploy.fail"), "asked by the test\n");
    git(demo.dir, "add", "-A");
    git(demo.dir, "commit", "-q", "-m", "Fail the next deploy");
    const ref = await executor.start(spec("run-fail", { stage: "staging" }));
    const status = await settled(executor, ref.buildId);
    expect(status.state).toBe("failed");
    expect(status.error).toBe("The deploy step failed: it exited with 1: Error: The deploy failed (asked by the test)");
    expect(await executor.status({ workspaceId, connectionId, region, buildId: ref.buildId })).toEqual(status);
    const [updateKey] = await keys("update/acme-api/staging/");
    const update = parseUpdateRecord(await text(updateKey!));
    expect(update.runId).toBe("run-fail");
    expect(buildDeploy(update, parseEventLog(await text(`eventlog/acme-api/staging/${update.id}.json`))).status).toBe("failed");
    const lines = await allLines(ref);
    expect(lines).toContain("✕  Failed");
    expect(lines.at(-1)).toBe(`[console] ${status.error}`);
    git(demo.dir, "rm", "-q", "deploy.fail");
    git(demo.dir, "commit", "-q", "-m", "Deploy again");
  });

  it("a commit that is not in the repository fails in the checkout step, before anything runs", async () => {
    const ref = await executor.start(spec("run-nocommit", { commit: "0".repeat(40), stage: "pr-7" }));
    const status = await settled(executor, ref.buildId);
    expect(status.state).toBe("failed");
    expect(status.error).toMatch(/^The checkout step failed: it exited with \d+: /);
    expect(await keys("app/acme-api/pr-7")).toEqual([]);
    const unknown = await executor.start(spec("run-norepo", { repository: { fullName: "acme/unknown", cloneUrl: "https://github.com/acme/unknown.git" } }));
    expect((await settled(executor, unknown.buildId)).error).toContain("no local repository is registered for acme/unknown");
  });

  it("stop kills the running step; the build is cancelled and CodeBuild was asked to stop it", async () => {
    const slow = path.join(work, "slow");
    execFileSync("mkdir", ["-p", slow]);
    git(slow, "init", "-q", "-b", "main");
    await writeFile(path.join(slow, "package.json"), JSON.stringify({ name: "slow", scripts: { "console:deploy": "echo started && sleep 60 && echo never" } }));
    await writeFile(path.join(slow, "package-lock.json"), JSON.stringify({ name: "slow", lockfileVersion: 3, requires: true, packages: { "": { name: "slow" } } }));
    git(slow, "add", "-A");
    git(slow, "commit", "-q", "-m", "slow");
    LocalRepositories.register("acme/slow", slow);
    const ref = await executor.start(spec("run-stop", { repository: { fullName: "acme/slow", cloneUrl: "https://github.com/acme/slow.git" }, commit: git(slow, "rev-parse", "HEAD") }));
    const target = { workspaceId, connectionId, region, buildId: ref.buildId };
    // Wait until the deploy step runs (its first line is in CloudWatch).
    for (;;) {
      const build = executor.builds.get(ref.buildId)!;
      if (build.child && (await allLines(ref).catch((): string[] => [])).includes("started")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await executor.status(target)).toEqual({ state: "running" });
    await executor.stop(target);
    expect(await settled(executor, ref.buildId)).toEqual({ state: "cancelled" });
    expect(await executor.status(target)).toEqual({ state: "cancelled" });
    const lines = await allLines(ref);
    expect(lines).not.toContain("never");
    expect(lines.at(-1)).toBe("[console] The build was stopped");
    expect(recorded.calls.filter((c) => c.operation === "StopBuild").map((c) => c.input)).toEqual([{ id: ref.buildId }]);
  });

  it("its calls are exactly the template's autodeploy grants: each allowed, each granted action used", () => {
    const calls = recorded.calls.filter((c) => c.connectionId === connectionId);
    const used = new Set<string>();
    for (const c of calls) {
      const operation = `${c.service}.${c.operation}`;
      const parameters = { ConnectionId: connectionId, ConsoleAccountId: "123456789012", Autodeploy: "true" };
      const check = checkOperation("least", operation, c.input, { accountId: c.accountId!, region: c.region, parameters });
      expect(check.denied, operation).toEqual([]);
      for (const r of requiredPermissions(operation, c.input, { accountId: c.accountId!, region: c.region })) used.add(r.action);
    }
    expect([...used].sort()).toEqual([...AUTODEPLOY_ACTIONS].sort());
  });
});
