/**
 * Autodeploy through the API, against a local fake of GitHub driven by the real `@octokit`
 * clients, with a build executor that records what it is asked and whose builds' states
 * the test sets (the run machinery trusts only the executor's `status`).
 *
 * Repository links checked with GitHub; targets with secrets sealed at rest and never
 * returned; signed push and pull request deliveries queue the runs the targets decide; one
 * running run per stage, newer queued runs supersede older ones; cancel (queued and
 * running), a failing build, redeploy, logs; commit statuses on GitHub; the deploy a run
 * produced; another workspace's member gets 404 and a member cannot change settings.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhooks } from "@octokit/webhooks";
import { and, eq } from "drizzle-orm";
import { startFakeGithub, type FakeGithub } from "@console/testkit/github";
import { Actor } from "../../packages/core/src/actor";
import { Database } from "../../packages/core/src/db";
import { githubInstallationTable } from "../../packages/core/src/github/github.sql";
import { appTable } from "../../packages/core/src/app/app.sql";
import { deployTable } from "../../packages/core/src/deploy/deploy.sql";
import { Autodeploy, autodeployEnvTable, autodeployRunTable } from "../../packages/core/src/autodeploy";
import { Executors, type BuildLogLine, type BuildSpec, type BuildStatus, type BuildTarget, type Executor } from "../../packages/core/src/autodeploy/executor";
import { createId } from "../../packages/core/src/id";
import { resetEnv } from "../../packages/core/src/env";
import { acceptInvitations, call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";

const APP_ID = "777001";
const SECRET = `whsec-${randomUUID()}`;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const SHA = (n: number) => n.toString(16).padStart(40, "a");
const PLAIN_SECRET = `sk_live_${randomUUID()}`;

/** An executor that records calls; the test says how each build is. */
class RecordingExecutor implements Executor {
  starts: BuildSpec[] = [];
  stops: BuildTarget[] = [];
  statusCalls: BuildTarget[] = [];
  states = new Map<string, BuildStatus>();
  lines = new Map<string, BuildLogLine[]>();
  failStart: string | null = null;
  failLogs = false;
  async start(spec: BuildSpec) {
    if (this.failStart) throw new Error(this.failStart);
    this.starts.push(spec);
    const buildId = `console-autodeploy:${spec.runId}`;
    this.states.set(buildId, { state: "running" });
    return { buildId, logGroup: "/aws/codebuild/console-autodeploy", logStream: spec.runId };
  }
  async status(t: BuildTarget) {
    this.statusCalls.push(t);
    return this.states.get(t.buildId) ?? { state: "failed" as const, error: "unknown build" };
  }
  async stop(t: BuildTarget) {
    this.stops.push(t);
  }
  async logs(t: BuildTarget & { logGroup: string; logStream: string }, cursor: string | null) {
    if (this.failLogs) throw new Error("ResourceNotFoundException: the log group does not exist");
    const all = this.lines.get(t.buildId) ?? [];
    const from = cursor ? Number(cursor) : 0;
    const lines = all.slice(from, from + 2);
    return { lines, cursor: lines.length ? String(from + lines.length) : cursor };
  }
  /** Sets the build state of a run. */
  set(runId: string, status: BuildStatus) {
    this.states.set(`console-autodeploy:${runId}`, status);
  }
}

let github: FakeGithub;
const executor = new RecordingExecutor();

beforeAll(async () => {
  github = await startFakeGithub({
    appId: APP_ID,
    publicKey: keys.publicKey,
    installations,
    repositories: { 43: [{ id: 2001, full_name: "globex/site", default_branch: "main", private: true }] },
  });
  Object.assign(process.env, {
    GITHUB_APP_ID: APP_ID,
    GITHUB_APP_PRIVATE_KEY: keys.privateKey,
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: github.url,
    GITHUB_URL: "https://github.test",
    GITHUB_APP_SLUG: "console-autodeploy",
    GITHUB_CLIENT_ID: "Iv1.autodeploy",
    GITHUB_CLIENT_SECRET: "autodeploy-client-secret",
    PUBLIC_URL: "http://console.test",
  });
  resetEnv();
  Executors.set(executor);
});

afterAll(async () => {
  Executors.set(undefined);
  await github?.close();
});

interface Setup {
  owner: { token: string };
  member: { token: string };
  ws: { id: string; slug: string };
  app: { id: string; name: string };
  other: { id: string; name: string };
  installationId: string;
  /** GitHub's number of the installation. */
  number: number;
  login: string;
  repo: { id: number; full_name: string };
  prod: string;
  dev: string;
}

/** Installations of the fake GitHub: each test's workspace gets its own (one installation belongs to one workspace). */
const installations: Record<number, { login: string; type: "Organization" }> = { 43: { login: "globex", type: "Organization" } };
let nextInstallation = 100;

/** A workspace with an admin, a member, a GitHub installation of its own (repositories `<owner>/shop` and `<owner>/blog`), two apps and two AWS connections. */
async function setup(): Promise<Setup> {
  const owner = await signIn(randomEmail("owner"));
  const ws = await createWorkspace(owner.token);
  const memberEmail = randomEmail("member");
  await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: memberEmail, role: "member" } });
  const member = await signIn(memberEmail);
  await acceptInvitations(member.token);
  const number = nextInstallation++;
  const login = `acme${number}`;
  installations[number] = { login, type: "Organization" };
  github.repositories[number] = [
    { id: number * 10 + 1, full_name: `${login}/shop`, default_branch: "main", private: true },
    { id: number * 10 + 2, full_name: `${login}/blog`, default_branch: "trunk", private: false },
  ];
  // The install flow itself is tested in github-install.test.ts.
  const installationId = createId();
  await Database.use((db) =>
    db.insert(githubInstallationTable).values({ workspaceId: ws.id, id: installationId, installationId: number, accountLogin: login, accountType: "Organization", installedBy: createId() }),
  );
  const app = { id: createId(), name: `shop-${randomUUID().slice(0, 6)}` };
  const other = { id: createId(), name: `blog-${randomUUID().slice(0, 6)}` };
  await Database.use((db) => db.insert(appTable).values([{ workspaceId: ws.id, ...app }, { workspaceId: ws.id, ...other }]));
  const prod = (await call("POST", `/api/workspaces/${ws.id}/accounts`, { token: owner.token, body: {} })).body.account.id;
  const dev = (await call("POST", `/api/workspaces/${ws.id}/accounts`, { token: owner.token, body: {} })).body.account.id;
  return { owner, member, ws, app, other, installationId, number, login, repo: { id: number * 10 + 1, full_name: `${login}/shop` }, prod, dev };
}

function targets(s: Setup, environment: unknown[] = []) {
  return {
    branches: [
      { branch: "main", stage: "production", connectionId: s.prod, region: "us-east-1" },
      { branch: "feature/**", stage: "{branch}", connectionId: s.dev, region: "eu-west-1" },
    ],
    pullRequests: { connectionId: s.dev, region: "eu-west-1" },
    environment,
  };
}

async function linked(s: Setup, env: unknown[] = []) {
  const link = await call("PUT", `/api/workspaces/${s.ws.id}/apps/${s.app.name}/repository`, { token: s.owner.token, body: { installationId: s.installationId, fullName: s.repo.full_name } });
  expect(link.status).toBe(200);
  const put = await call("PUT", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/targets`, { token: s.owner.token, body: targets(s, env) });
  expect(put.status).toBe(200);
}

async function deliver(event: string, payload: unknown, id: string = randomUUID()) {
  const body = JSON.stringify(payload);
  const signature = await new Webhooks({ secret: SECRET }).sign(body);
  const res = await call("POST", "/api/github/webhook", {
    rawBody: body,
    headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id, "x-hub-signature-256": signature },
  });
  expect(res.status).toBe(200);
  return res.body;
}

const push = (s: Setup, branch: string, sha: string, message = "Fix the login page\n\nLonger body", id?: string) =>
  deliver("push", {
    ref: `refs/heads/${branch}`,
    before: "0".repeat(40),
    after: sha,
    deleted: false,
    head_commit: { id: sha, message, author: { name: "Alice A", username: "alice" }, url: `https://github.test/${s.repo.full_name}/commit/${sha}` },
    repository: s.repo,
    installation: { id: s.number },
    sender: { login: "alice" },
  }, id);
const pull = (s: Setup, action: string, number: number, sha: string) =>
  deliver("pull_request", {
    action,
    number,
    pull_request: { number, title: "Add search", user: { login: "bob" }, head: { ref: "search", sha, repo: { full_name: s.repo.full_name } }, base: { ref: "main", repo: { full_name: s.repo.full_name } } },
    repository: s.repo,
    installation: { id: s.number },
  });

const runs = async (s: Setup, query = "") => (await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs${query}`, { token: s.member.token })).body.runs as any[];
const tick = (s: Setup) => Autodeploy.advance({ workspaceIds: [s.ws.id] });
const statusesOf = (sha: string) => github.statuses.filter((x) => x.sha === sha).map((x) => `${x.context} ${x.state} ${x.description}`);

describe("repository of an app", () => {
  it("lists what the installation sees; an admin links one it covers; a member reads but cannot change it", async () => {
    const s = await setup();
    const base = `/api/workspaces/${s.ws.id}`;
    const listed = await call("GET", `${base}/github/repositories`, { token: s.member.token });
    expect(listed.body.repositories).toEqual([
      { installationId: s.installationId, githubRepositoryId: s.number * 10 + 1, fullName: `${s.login}/shop`, defaultBranch: "main", private: true },
      { installationId: s.installationId, githubRepositoryId: s.number * 10 + 2, fullName: `${s.login}/blog`, defaultBranch: "trunk", private: false },
    ]);
    expect((await call("GET", `${base}/apps/${s.app.name}/repository`, { token: s.member.token })).body).toEqual({ repository: null });

    expectError(await call("PUT", `${base}/apps/${s.app.id}/repository`, { token: s.member.token, body: { installationId: s.installationId, fullName: s.repo.full_name } }), 403, "forbidden");
    // A repository of another installation (globex's), and one nobody installed on: not found.
    expectError(await call("PUT", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token, body: { installationId: s.installationId, fullName: "globex/site" } }), 404, "not_found");
    expectError(await call("PUT", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token, body: { installationId: s.installationId, fullName: `${s.login}/nothing` } }), 404, "not_found");
    expectError(await call("PUT", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token, body: { installationId: s.installationId, fullName: "not a name" } }), 400, "validation");

    const link = await call("PUT", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token, body: { installationId: s.installationId, fullName: s.repo.full_name.toUpperCase() } });
    expect(link.body.repository).toEqual({
      id: expect.any(String),
      appId: s.app.id,
      installationId: s.installationId,
      githubRepositoryId: s.repo.id,
      fullName: s.repo.full_name,
      defaultBranch: "main",
      url: `https://github.test/${s.repo.full_name}`,
      timeCreated: expect.any(String),
    });
    expect((await call("GET", `${base}/apps/${s.app.name}/repository`, { token: s.member.token })).body).toEqual(link.body);
    // One app per repository in a workspace.
    expectError(await call("PUT", `${base}/apps/${s.other.id}/repository`, { token: s.owner.token, body: { installationId: s.installationId, fullName: s.repo.full_name } }), 409, "conflict");

    expectError(await call("DELETE", `${base}/apps/${s.app.id}/repository`, { token: s.member.token }), 403, "forbidden");
    expect((await call("DELETE", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token })).body).toEqual({ ok: true });
    expect((await call("GET", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token })).body).toEqual({ repository: null });
    expectError(await call("DELETE", `${base}/apps/${s.app.id}/repository`, { token: s.owner.token }), 404, "not_found");
    expectError(await call("GET", `${base}/apps/nope/repository`, { token: s.owner.token }), 404, "not_found");
  });
});

describe("targets", () => {
  it("default to nothing; secrets are sealed at rest, never returned, kept when sent as null", async () => {
    const s = await setup();
    const base = `/api/workspaces/${s.ws.id}/apps/${s.app.id}/targets`;
    expect((await call("GET", base, { token: s.member.token })).body).toEqual({ branches: [], pullRequests: null, environment: [] });
    const env = [
      { stage: "*", name: "LOG_LEVEL", secret: false, value: "info" },
      { stage: "production", name: "STRIPE_KEY", secret: true, value: PLAIN_SECRET },
    ];
    expectError(await call("PUT", base, { token: s.member.token, body: targets(s, env) }), 403, "forbidden");
    const put = await call("PUT", base, { token: s.owner.token, body: targets(s, env) });
    expect(put.status).toBe(200);
    expect(put.body.environment).toEqual([
      { stage: "*", name: "LOG_LEVEL", secret: false, value: "info" },
      { stage: "production", name: "STRIPE_KEY", secret: true, value: null },
    ]);
    const got = await call("GET", base, { token: s.member.token });
    expect(got.body).toEqual(put.body);
    expect(JSON.stringify(got.body)).not.toContain(PLAIN_SECRET);
    const [row] = await Database.use((db) =>
      db.select().from(autodeployEnvTable).where(and(eq(autodeployEnvTable.workspaceId, s.ws.id), eq(autodeployEnvTable.name, "STRIPE_KEY"))),
    );
    expect(row!.value).toBeNull();
    expect(row!.valueSealed).toMatch(/^v1\./);
    expect(row!.valueSealed).not.toContain(PLAIN_SECRET);
    expect(row!.valueSealed).not.toContain(Buffer.from(PLAIN_SECRET).toString("base64url").slice(0, 12));
    // The audit names it, not its value.
    expect(JSON.stringify((await call("GET", `/api/workspaces/${s.ws.id}/audit`, { token: s.owner.token })).body)).not.toContain(PLAIN_SECRET);

    // Sent back as null: kept (the build still gets it: see the run test).
    const kept = await call("PUT", base, { token: s.owner.token, body: targets(s, [{ ...env[1], value: null }]) });
    expect(kept.body.environment).toEqual([{ stage: "production", name: "STRIPE_KEY", secret: true, value: null }]);
    const [again] = await Database.use((db) => db.select().from(autodeployEnvTable).where(and(eq(autodeployEnvTable.workspaceId, s.ws.id), eq(autodeployEnvTable.name, "STRIPE_KEY"))));
    expect(again!.valueSealed).toBe(row!.valueSealed);

    // A new secret without a value, a doubled name, a bad name, an account of another workspace: refused.
    // Each refusal names the field (dotted path) for the editor to show it on.
    const refused = async (body: unknown, path: string) => {
      const res = await call("PUT", base, { token: s.owner.token, body });
      expectError(res, 400, "validation");
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    };
    await refused(targets(s, [env[0], { stage: "*", name: "NEW_SECRET", secret: true, value: null }]), "environment.1.value");
    await refused(targets(s, [env[0], env[0]]), "environment.1.name");
    await refused(targets(s, [{ ...env[0], name: "lower" }]), "environment.0.name");
    await refused({ ...targets(s), pullRequests: { connectionId: createId(), region: "us-east-1" } }, "pullRequests.connectionId");
    await refused({ ...targets(s), branches: [{ branch: "main", stage: "prod!", connectionId: s.prod, region: "us-east-1" }] }, "branches.0.stage");
    await refused({ ...targets(s), pullRequests: { connectionId: s.dev, region: "Mars" } }, "pullRequests.region");
    // Nothing refused changed what is stored.
    expect((await call("GET", base, { token: s.owner.token })).body).toEqual(kept.body);
  });
});

describe("runs", () => {
  it("a push deploys its branch's stage: queued, started with a fresh token and the stage's environment, then succeeded, with commit statuses", async () => {
    const s = await setup();
    await linked(s, [
      { stage: "*", name: "LOG_LEVEL", secret: false, value: "info" },
      { stage: "production", name: "STRIPE_KEY", secret: true, value: PLAIN_SECRET },
      { stage: "production", name: "LOG_LEVEL", secret: false, value: "warn" },
      { stage: "pr-*", name: "PREVIEW", secret: false, value: "1" },
    ]);
    const sha = SHA(1);
    await push(s, "main", sha);
    const [queued] = await runs(s);
    expect(queued).toEqual({
      id: expect.any(String),
      appId: s.app.id,
      stageName: "production",
      stageId: null,
      action: "deploy",
      trigger: "push",
      status: "queued",
      commit: { sha, message: "Fix the login page", author: "alice", url: `https://github.test/${s.repo.full_name}/commit/${sha}` },
      branch: "main",
      pullRequest: null,
      connectionId: s.prod,
      region: "us-east-1",
      error: null,
      supersededBy: null,
      deployId: null,
      timeQueued: expect.any(String),
      timeStarted: null,
      timeCompleted: null,
      url: `http://console.test/${s.ws.slug}/app/${s.app.name}/autodeploy/runs/${queued.id}`,
    });
    // A branch no rule names deploys nothing; a replayed delivery queues nothing again.
    await push(s, "docs", SHA(2));
    const delivery = randomUUID();
    await push(s, "feature/a", SHA(3), "x", delivery);
    expect(await push(s, "feature/a", SHA(3), "x", delivery)).toMatchObject({ outcome: "replay" });
    const listed = await runs(s);
    expect(listed.map((x: any) => x.stageName)).toEqual(["feature-a", "production"]);
    await call("POST", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs/${listed[0].id}/cancel`, { token: s.member.token, body: {} });

    const before = executor.starts.length;
    expect(await tick(s)).toEqual({ polled: 0, finished: 0, started: 1 });
    const spec = executor.starts.slice(before);
    expect(spec).toHaveLength(1);
    expect(spec[0]).toMatchObject({
      workspaceId: s.ws.id,
      runId: queued.id,
      connectionId: s.prod,
      region: "us-east-1",
      repository: { fullName: s.repo.full_name, cloneUrl: `https://github.test/${s.repo.full_name}.git` },
      commit: sha,
      stage: "production",
      action: "deploy",
      env: { LOG_LEVEL: "warn", STRIPE_KEY: PLAIN_SECRET, SST_RUN_ID: queued.id },
    });
    // The token is a fresh installation token of the workspace's installation, asked for now.
    expect(github.issued.find((t) => t.token === spec[0]!.token)).toMatchObject({ installationId: s.number });
    const running = (await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.name}/runs/${queued.id}`, { token: s.member.token })).body.run;
    expect(running).toMatchObject({ status: "running", timeStarted: expect.any(String) });

    // Nothing moves while the executor says it runs; a build "event" is not a source: only status() is.
    expect(await tick(s)).toEqual({ polled: 1, finished: 0, started: 0 });
    executor.set(queued.id, { state: "succeeded" });
    expect(await tick(s)).toEqual({ polled: 1, finished: 1, started: 0 });
    const done = (await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs/${queued.id}`, { token: s.member.token })).body.run;
    expect(done).toMatchObject({ status: "succeeded", error: null, timeCompleted: expect.any(String) });
    expect(statusesOf(sha)).toEqual(["console/production pending Queued", "console/production pending Deploying production", expect.stringMatching(/^console\/production success Deployed production in \d+s$/)]);
    expect(github.statuses.filter((x) => x.sha === sha).every((x) => x.target_url === done.url && x.repository === s.repo.full_name && x.installationId === s.number)).toBe(true);

    // The deploy it produced: the stage's history entry whose runID is the run's id.
    const deployId = createId();
    await Database.use((db) =>
      db.insert(deployTable).values({
        workspaceId: s.ws.id,
        id: deployId,
        stageId: createId(),
        updateId: `upd-${deployId}`,
        runId: queued.id,
        source: "autodeploy",
        command: "deploy",
        status: "succeeded",
        timeStarted: new Date(),
        errors: [],
        changes: [],
        sourceTag: "x",
      }),
    );
    expect((await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs/${queued.id}`, { token: s.member.token })).body.run.deployId).toBe(deployId);
    // Nothing of the secret in any response.
    expect(JSON.stringify(await runs(s))).not.toContain(PLAIN_SECRET);
  });

  it("pull requests deploy pr-<number>; closing removes it; a failing build fails the run", async () => {
    const s = await setup();
    await linked(s, [{ stage: "pr-*", name: "PREVIEW", secret: false, value: "1" }]);
    await pull(s, "opened", 12, SHA(10));
    const [opened] = await runs(s);
    expect(opened).toMatchObject({ stageName: "pr-12", action: "deploy", trigger: "pull_request", pullRequest: 12, branch: "search", connectionId: s.dev, region: "eu-west-1", commit: { sha: SHA(10), message: "Add search", author: "bob" } });
    const before = executor.starts.length;
    await tick(s);
    expect(executor.starts.slice(before).map((x) => [x.stage, x.action, x.env])).toEqual([["pr-12", "deploy", { PREVIEW: "1", SST_RUN_ID: opened.id }]]);
    executor.set(opened.id, { state: "failed", error: "Phase BUILD: sst deploy exited with 1" });
    await tick(s);
    const failed = (await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs/${opened.id}`, { token: s.member.token })).body.run;
    expect(failed).toMatchObject({ status: "failed", error: "Phase BUILD: sst deploy exited with 1" });
    expect(statusesOf(SHA(10)).at(-1)).toBe("console/pr-12 failure Phase BUILD: sst deploy exited with 1");

    await pull(s, "closed", 12, SHA(11));
    const [closed] = await runs(s);
    expect(closed).toMatchObject({ stageName: "pr-12", action: "remove", trigger: "pull_request", commit: { sha: SHA(11) } });
    await tick(s);
    expect(executor.starts.at(-1)).toMatchObject({ stage: "pr-12", action: "remove", commit: SHA(11) });
    executor.set(closed.id, { state: "succeeded" });
    await tick(s);
    expect(statusesOf(SHA(11)).at(-1)).toMatch(/^console\/pr-12 success Removed pr-12/);

    // A build that cannot start fails its run with the reason.
    executor.failStart = "AccessDenied: codebuild:CreateProject";
    await pull(s, "synchronize", 12, SHA(12));
    await tick(s);
    executor.failStart = null;
    expect((await runs(s))[0]).toMatchObject({ status: "failed", error: "The build could not start: AccessDenied: codebuild:CreateProject" });
  });

  it("one running run per stage: later pushes queue, the newest supersedes older queued ones", async () => {
    const s = await setup();
    await linked(s);
    await push(s, "main", SHA(20));
    await tick(s);
    const [first] = await runs(s);
    expect(first.status).toBe("running");
    await push(s, "main", SHA(21));
    await push(s, "main", SHA(22));
    // Another stage is not held up by production.
    await push(s, "feature/x", SHA(23));
    const all = await runs(s);
    const byCommit = Object.fromEntries(all.map((r: any) => [r.commit.sha, r]));
    expect(byCommit[SHA(21)]).toMatchObject({ status: "cancelled", supersededBy: byCommit[SHA(22)].id, timeCompleted: expect.any(String) });
    expect(byCommit[SHA(22)]).toMatchObject({ status: "queued", supersededBy: null });
    expect(statusesOf(SHA(21)).at(-1)).toBe("console/production error Superseded by a newer run");

    const before = executor.starts.length;
    expect(await tick(s)).toMatchObject({ started: 1 });
    expect(executor.starts.slice(before).map((x) => x.stage)).toEqual(["feature-x"]);
    expect((await runs(s, "?stage=production")).map((r: any) => r.status)).toEqual(["queued", "cancelled", "running"]);

    executor.set(first.id, { state: "succeeded" });
    expect(await tick(s)).toMatchObject({ finished: 1, started: 1 });
    expect(executor.starts.at(-1)).toMatchObject({ stage: "production", commit: SHA(22) });
    expect((await runs(s, "?stage=production")).map((r: any) => r.status)).toEqual(["running", "cancelled", "succeeded"]);

    // Pages: newest first, `next` to go on.
    const page = await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs?limit=2`, { token: s.member.token });
    expect(page.body.runs).toHaveLength(2);
    const rest = await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs?cursor=${page.body.next}`, { token: s.member.token });
    expect([...page.body.runs, ...rest.body.runs].map((r: any) => r.id)).toEqual(all.map((r: any) => r.id));
    expect(rest.body.next).toBeNull();
  });

  it("cancel: a queued run at once, a running one once the executor says it stopped; redeploy; logs", async () => {
    const s = await setup();
    await linked(s);
    const base = `/api/workspaces/${s.ws.id}/apps/${s.app.id}/runs`;
    await push(s, "main", SHA(30));
    await tick(s);
    const [running] = await runs(s);
    await push(s, "main", SHA(31));
    const [queued] = await runs(s);
    expect(queued.status).toBe("queued");

    // Any member may cancel.
    const cancelled = await call("POST", `${base}/${queued.id}/cancel`, { token: s.member.token, body: {} });
    expect(cancelled.body.run).toMatchObject({ status: "cancelled", supersededBy: null, timeCompleted: expect.any(String) });
    expect(statusesOf(SHA(31)).at(-1)).toBe("console/production error Cancelled");
    expectError(await call("POST", `${base}/${queued.id}/cancel`, { token: s.member.token, body: {} }), 409, "conflict");

    const stopsBefore = executor.stops.length;
    const asked = await call("POST", `${base}/${running.id}/cancel`, { token: s.member.token, body: {} });
    expect(asked.body.run.status).toBe("running");
    expect(executor.stops.slice(stopsBefore)).toEqual([{ workspaceId: s.ws.id, connectionId: s.prod, region: "us-east-1", buildId: `console-autodeploy:${running.id}` }]);
    // Still running until the executor says so.
    await tick(s);
    expect((await call("GET", `${base}/${running.id}`, { token: s.member.token })).body.run.status).toBe("running");
    executor.set(running.id, { state: "cancelled" });
    await tick(s);
    expect((await call("GET", `${base}/${running.id}`, { token: s.member.token })).body.run).toMatchObject({ status: "cancelled", timeCompleted: expect.any(String) });
    expect(statusesOf(SHA(30)).at(-1)).toBe("console/production error Cancelled");

    // Logs of a run: pages by cursor; done once it is finished and every line read.
    executor.lines.set(`console-autodeploy:${running.id}`, [
      { timestamp: 1, message: "git checkout" },
      { timestamp: 2, message: "npm ci" },
      { timestamp: 3, message: "sst deploy --stage production" },
    ]);
    const l1 = (await call("GET", `${base}/${running.id}/logs`, { token: s.member.token })).body;
    expect(l1).toEqual({ lines: [{ timestamp: 1, message: "git checkout" }, { timestamp: 2, message: "npm ci" }], cursor: "2", done: false });
    const l2 = (await call("GET", `${base}/${running.id}/logs?cursor=${l1.cursor}`, { token: s.member.token })).body;
    expect(l2).toEqual({ lines: [{ timestamp: 3, message: "sst deploy --stage production" }], cursor: "3", done: false });
    expect((await call("GET", `${base}/${running.id}/logs?cursor=${l2.cursor}`, { token: s.member.token })).body).toEqual({ lines: [], cursor: "3", done: true });
    // Logs the executor cannot read: 503, said in a sentence.
    executor.failLogs = true;
    expectError(await call("GET", `${base}/${running.id}/logs?cursor=${l2.cursor}`, { token: s.member.token }), 503, "unavailable");
    executor.failLogs = false;
    // A queued run has no build yet: no lines, not done.
    await push(s, "main", SHA(32));
    const [waiting] = await runs(s);
    expect((await call("GET", `${base}/${waiting.id}/logs`, { token: s.member.token })).body).toEqual({ lines: [], cursor: null, done: false });

    // Redeploy (any member): a new run of the same commit, stage and action.
    const again = await call("POST", `${base}/${running.id}/redeploy`, { token: s.member.token, body: {} });
    expect(again.body.run).toMatchObject({ status: "queued", trigger: "redeploy", stageName: "production", action: "deploy", commit: { sha: SHA(30) }, branch: "main" });
    expect((await call("GET", `${base}/${waiting.id}`, { token: s.member.token })).body.run).toMatchObject({ status: "cancelled", supersededBy: again.body.run.id });
    await tick(s);
    expect(executor.starts.at(-1)).toMatchObject({ runId: again.body.run.id, commit: SHA(30) });

    // Unlinked: its queued run is cancelled, no redeploy, and a push queues nothing.
    await push(s, "main", SHA(34));
    const [left] = await runs(s);
    expect(left.status).toBe("queued");
    await call("DELETE", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/repository`, { token: s.owner.token });
    expect((await call("GET", `${base}/${left.id}`, { token: s.member.token })).body.run).toMatchObject({ status: "cancelled", error: "The repository was unlinked" });
    expect(statusesOf(SHA(34)).at(-1)).toBe("console/production error Cancelled");
    expectError(await call("POST", `${base}/${running.id}/redeploy`, { token: s.member.token, body: {} }), 409, "conflict");
    const count = (await runs(s)).length;
    await push(s, "main", SHA(33));
    expect(await runs(s)).toHaveLength(count);
    expectError(await call("GET", `${base}/${createId()}`, { token: s.member.token }), 404, "not_found");
  });

  it("only the workspace's own running builds are asked about; a run whose build never got an id fails after 15 minutes", async () => {
    const s = await setup();
    await linked(s);
    await push(s, "main", SHA(40));
    await tick(s);
    const [run] = await runs(s);
    const calls = executor.statusCalls.length;
    await tick(s);
    expect(executor.statusCalls.slice(calls)).toEqual([{ workspaceId: s.ws.id, connectionId: s.prod, region: "us-east-1", buildId: `console-autodeploy:${run.id}` }]);
    await Actor.system("test", { id: s.ws.id, slug: s.ws.slug }, async () => {
      expect((await Autodeploy.run(s.app.id, run.id)).status).toBe("running");
    });

    // The starter died between claiming the run and starting its build (no build id).
    await push(s, "feature/y", SHA(41));
    const [orphan] = await runs(s);
    await Database.use((db) =>
      db
        .update(autodeployRunTable)
        .set({ status: "running", timeStarted: new Date() })
        .where(and(eq(autodeployRunTable.workspaceId, s.ws.id), eq(autodeployRunTable.id, orphan.id))),
    );
    await Autodeploy.advance({ workspaceIds: [s.ws.id], now: new Date(Date.now() + 14 * 60_000) });
    expect((await runs(s))[0].status).toBe("running");
    await Autodeploy.advance({ workspaceIds: [s.ws.id], now: new Date(Date.now() + 16 * 60_000) });
    expect((await runs(s))[0]).toMatchObject({ id: orphan.id, status: "failed", error: "The build did not start" });
  });
});

describe("tenant wall and roles", () => {
  it("another workspace's member gets 404 on every autodeploy route; a member cannot change the repository or targets", async () => {
    const s = await setup();
    await linked(s);
    await push(s, "main", SHA(50));
    const [run] = await runs(s);
    const intruder = await signIn(randomEmail("intruder"));
    const own = await createWorkspace(intruder.token);
    const routes: [string, string, unknown?][] = [
      ["GET", "/github/repositories"],
      ["GET", `/apps/${s.app.id}/repository`],
      ["PUT", `/apps/${s.app.id}/repository`, { installationId: s.installationId, fullName: s.repo.full_name }],
      ["DELETE", `/apps/${s.app.id}/repository`],
      ["GET", `/apps/${s.app.id}/targets`],
      ["PUT", `/apps/${s.app.id}/targets`, { branches: [], pullRequests: null, environment: [] }],
      ["GET", `/apps/${s.app.id}/runs`],
      ["GET", `/apps/${s.app.id}/runs/${run.id}`],
      ["GET", `/apps/${s.app.id}/runs/${run.id}/logs`],
      ["POST", `/apps/${s.app.id}/runs/${run.id}/cancel`, {}],
      ["POST", `/apps/${s.app.id}/runs/${run.id}/redeploy`, {}],
    ];
    for (const [method, path, body] of routes) {
      for (const ref of [s.ws.id, s.ws.slug]) {
        const res = await call(method, `/api/workspaces/${ref}${path}`, { token: intruder.token, body });
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      // Through their own workspace, the victim's app and run ids reach nothing (GitHub repositories: their own, none).
      const res = await call(method, `/api/workspaces/${own.id}${path}`, { token: intruder.token, body });
      if (path === "/github/repositories") expect(res.body).toEqual({ repositories: [] });
      else expect(res.status, `${method} ${path} via own`).toBe(404);
    }
    expect((await runs(s))[0]).toMatchObject({ id: run.id, status: "queued" });
    expect((await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/targets`, { token: s.member.token })).body.branches).toHaveLength(2);
    expect((await call("GET", `/api/workspaces/${s.ws.id}/apps/${s.app.id}/repository`, { token: s.member.token })).body.repository).not.toBeNull();

    // Roles: a member reads everything, cancels and redeploys, but changes no setting.
    for (const [method, path, body] of routes) {
      const res = await call(method, `/api/workspaces/${s.ws.id}${path}`, { token: s.member.token, body });
      if (method === "PUT" || method === "DELETE") expectError(res, 403, "forbidden");
      else expect(res.status, `${method} ${path}`).toBe(200);
    }

    // A deleted workspace deploys nothing more: a push queues nothing, a queued run is not started.
    await push(s, "main", SHA(51));
    expect((await call("DELETE", `/api/workspaces/${s.ws.id}`, { token: s.owner.token })).status).toBe(200);
    const count = async () => (await Database.use((db) => db.select().from(autodeployRunTable).where(eq(autodeployRunTable.workspaceId, s.ws.id)))).length;
    const before = await count();
    await push(s, "main", SHA(52));
    expect(await count()).toBe(before);
    expect(await tick(s)).toEqual({ polled: 0, finished: 0, started: 0 });
  });
});
