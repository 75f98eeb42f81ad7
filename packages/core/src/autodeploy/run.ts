/**
 * Autodeploy runs: a commit deployed to (or removed from) one stage, in the customer's
 * account, by the build executor (./executor.ts).
 *
 *   queued ──start──▶ running ──executor says──▶ succeeded | failed | cancelled
 *     └──cancel / superseded──▶ cancelled
 *
 * - One running run per (app, stage). A newer queued run supersedes the older queued ones
 *   of its stage (they become `cancelled`, `supersededBy` the newer one). Enqueueing and
 *   starting lock the app's row, so two deliveries or two ticks cannot both start a stage.
 * - A running run's outcome is taken only from `Executors.use().status()`: nothing a
 *   build or an event says is trusted until the executor (CodeBuild's own API) confirms it.
 *   Cancelling a running run asks the build to stop; the run ends when the executor says
 *   the build is cancelled.
 * - `tick()` moves runs forward (poll running builds, start the next queued run of each
 *   stage): a cron on AWS, a timer in the local runtime, a call in tests.
 * - Each change is told to GitHub as a commit status (context `console/<stage>`, linking
 *   to the run's page). A status GitHub refuses is logged and never blocks the run.
 * - The deploy a run produced is the one of the stage's history whose `runID` (SST's
 *   `SST_RUN_ID`, which the build gets) is the run's id: found when read, not stored.
 */
import { and, desc, eq, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { appTable } from "../app/app.sql";
import { Audit } from "../audit";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { Github, type Delivery, type DeliveryCommit, type DeliveryOutcome } from "../github";
import { githubInstallationTable } from "../github/github.sql";
import { createId } from "../id";
import { describeError, log } from "../util/log";
import { workspaceTable } from "../workspace/workspace.sql";
import { autodeployRepositoryTable, autodeployRunTable, type RunStatus } from "./autodeploy.sql";
import { resolveApp, runUrl, workspaceSlug, type AppRef } from "./common";
import { Executors, type BuildLogLine, type BuildTarget } from "./executor";
import { environmentFor, targetConfig } from "./settings";
import { decide, type GitEvent } from "./targets";

export interface Run {
  id: string;
  appId: string;
  stageName: string;
  stageId: string | null;
  action: "deploy" | "remove";
  trigger: "push" | "pull_request" | "redeploy";
  status: RunStatus;
  commit: { sha: string; message: string; author: string; url: string };
  branch: string | null;
  pullRequest: number | null;
  connectionId: string;
  region: string;
  error: string | null;
  supersededBy: string | null;
  deployId: string | null;
  timeQueued: Date;
  timeStarted: Date | null;
  timeCompleted: Date | null;
  url: string;
}

type RunRow = typeof autodeployRunTable.$inferSelect;

const FINISHED: RunStatus[] = ["succeeded", "failed", "cancelled"];
const isFinished = (s: RunStatus) => FINISHED.includes(s);
/** A run marked running whose build never got an id (the starter died) is failed after this long. */
export const START_TIMEOUT_MS = 15 * 60_000;
const LIST_LIMIT = 50;

export const listSchema = z.object({
  stage: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).max(64).optional()),
  cursor: z.preprocess((v) => (v === "" ? undefined : v), z.string().length(26).optional()),
  limit: z.coerce.number().int().min(1).max(100).default(LIST_LIMIT),
});

const r = autodeployRunTable;
const selection = {
  run: autodeployRunTable,
  appName: appTable.name,
  stageId: sql<string | null>`(select s.id from stage s where s.workspace_id = ${r.workspaceId} and s.app_id = ${r.appId} and s.aws_account_id = ${r.connectionId} and s.region = ${r.region} and s.name = ${r.stageName} and s.time_deleted is null limit 1)`,
  deployId: sql<string | null>`(select d.id from deploy d where d.workspace_id = ${r.workspaceId} and d.run_id = ${r.id} order by d.time_started desc limit 1)`,
};

function toRun(row: { run: RunRow; appName: string; stageId: string | null; deployId: string | null }, slug: string): Run {
  const x = row.run;
  return {
    id: x.id,
    appId: x.appId,
    stageName: x.stageName,
    stageId: row.stageId,
    action: x.action,
    trigger: x.trigger,
    status: x.status,
    commit: { sha: x.commitSha, message: x.commitMessage, author: x.commitAuthor, url: x.commitUrl },
    branch: x.branch,
    pullRequest: x.pullRequest,
    connectionId: x.connectionId,
    region: x.region,
    error: x.error,
    supersededBy: x.supersededBy,
    deployId: row.deployId,
    timeQueued: x.timeQueued,
    timeStarted: x.timeStarted,
    timeCompleted: x.timeCompleted,
    url: runUrl(slug, row.appName, x.id),
  };
}

async function readRuns(where: ReturnType<typeof and>, limit = 1) {
  return Database.use((db) =>
    db
      .select(selection)
      .from(r)
      .innerJoin(appTable, and(eq(appTable.workspaceId, r.workspaceId), eq(appTable.id, r.appId)))
      .where(where)
      .orderBy(desc(r.id))
      .limit(limit),
  );
}

async function one(appId: string, runId: string): Promise<Run> {
  const workspaceId = Actor.workspaceId();
  const [row] = await readRuns(and(eq(r.workspaceId, workspaceId), eq(r.appId, appId), eq(r.id, runId)));
  if (!row) throw new NotFoundError("Run");
  return toRun(row, await workspaceSlug());
}

async function row(appId: string, runId: string): Promise<RunRow> {
  const workspaceId = Actor.workspaceId();
  const [found] = await Database.use((db) => db.select().from(r).where(and(eq(r.workspaceId, workspaceId), eq(r.appId, appId), eq(r.id, runId))));
  if (!found) throw new NotFoundError("Run");
  return found;
}

/** An app's runs, newest first (any member). */
export async function listRuns(appKey: string, input: z.input<typeof listSchema> = {}): Promise<{ runs: Run[]; next: string | null }> {
  const q = listSchema.parse(input);
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const rows = await readRuns(
    and(eq(r.workspaceId, workspaceId), eq(r.appId, app.id), q.stage ? eq(r.stageName, q.stage) : undefined, q.cursor ? lt(r.id, q.cursor) : undefined),
    q.limit + 1,
  );
  const slug = await workspaceSlug();
  const page = rows.slice(0, q.limit).map((x) => toRun(x, slug));
  return { runs: page, next: rows.length > q.limit ? page[page.length - 1]!.id : null };
}

export async function getRun(appKey: string, runId: string): Promise<Run> {
  const app = await resolveApp(appKey);
  return one(app.id, runId);
}

// ---------------------------------------------------------------------------------------
// GitHub commit statuses

async function installationNumber(workspaceId: string, installationId: string): Promise<number | null> {
  const [found] = await Database.use((db) =>
    db
      .select({ installationId: githubInstallationTable.installationId })
      .from(githubInstallationTable)
      .where(and(eq(githubInstallationTable.workspaceId, workspaceId), eq(githubInstallationTable.id, installationId))),
  );
  return found?.installationId ?? null;
}

const STATUS_TEXT: Record<RunStatus, { state: Github.CommitStatus["state"]; text: (run: RunRow) => string }> = {
  queued: { state: "pending", text: () => "Queued" },
  running: { state: "pending", text: (x) => (x.action === "remove" ? `Removing ${x.stageName}` : `Deploying ${x.stageName}`) },
  succeeded: { state: "success", text: (x) => (x.action === "remove" ? `Removed ${x.stageName}` : `Deployed ${x.stageName}`) + duration(x) },
  failed: { state: "failure", text: (x) => x.error ?? "The build failed" },
  cancelled: { state: "error", text: (x) => (x.supersededBy ? "Superseded by a newer run" : "Cancelled") },
};

function duration(x: RunRow): string {
  if (!x.timeStarted || !x.timeCompleted) return "";
  const s = Math.max(0, Math.round((x.timeCompleted.getTime() - x.timeStarted.getTime()) / 1000));
  return ` in ${s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`}`;
}

/** Tells GitHub a run's status on its commit (system or user, inside the run's workspace). */
export async function report(run: RunRow) {
  try {
    const number = await installationNumber(run.workspaceId, run.installationId);
    if (number === null) return;
    const [app] = await Database.use((db) =>
      db.select({ name: appTable.name }).from(appTable).where(and(eq(appTable.workspaceId, run.workspaceId), eq(appTable.id, run.appId))),
    );
    const s = STATUS_TEXT[run.status];
    await Github.setStatus(number, run.repositoryFullName, run.commitSha, {
      state: s.state,
      context: `console/${run.stageName}`,
      description: s.text(run),
      targetUrl: runUrl(await workspaceSlug(), app?.name ?? run.appId, run.id),
    });
  } catch (err) {
    log.warn("commit status not set", { run: run.id, status: run.status, err: describeError(err) });
  }
}

async function reread(run: { workspaceId: string; id: string }): Promise<RunRow | undefined> {
  const [found] = await Database.use((db) => db.select().from(r).where(and(eq(r.workspaceId, run.workspaceId), eq(r.id, run.id))));
  return found;
}

// ---------------------------------------------------------------------------------------
// Queueing

export interface EnqueueInput {
  app: AppRef;
  installationId: string;
  repositoryFullName: string;
  stageName: string;
  action: "deploy" | "remove";
  trigger: Run["trigger"];
  commit: DeliveryCommit;
  branch: string | null;
  pullRequest: number | null;
  connectionId: string;
  region: string;
}

/** Locks the app's row for the rest of the transaction: enqueueing and starting of one app take turns. */
async function lockApp(tx: Parameters<Parameters<typeof Database.transaction>[0]>[0], workspaceId: string, appId: string) {
  await tx.select({ id: appTable.id }).from(appTable).where(and(eq(appTable.workspaceId, workspaceId), eq(appTable.id, appId))).for("update");
}

/** Queues a run; the older queued runs of its stage are superseded by it. */
export async function enqueue(input: EnqueueInput): Promise<RunRow> {
  const workspaceId = Actor.workspaceId();
  const now = new Date();
  const id = createId();
  const { created, superseded } = await Database.transaction(async (tx) => {
    await lockApp(tx, workspaceId, input.app.id);
    await tx.insert(r).values({
      workspaceId,
      id,
      appId: input.app.id,
      installationId: input.installationId,
      repositoryFullName: input.repositoryFullName,
      stageName: input.stageName,
      action: input.action,
      trigger: input.trigger,
      status: "queued",
      commitSha: input.commit.sha.slice(0, 64),
      commitMessage: input.commit.message.slice(0, 1000),
      commitAuthor: input.commit.author.slice(0, 255),
      commitUrl: input.commit.url.slice(0, 1024),
      branch: input.branch?.slice(0, 255) ?? null,
      pullRequest: input.pullRequest,
      connectionId: input.connectionId,
      region: input.region,
      timeQueued: now,
    });
    const older = await tx
      .select()
      .from(r)
      .where(and(eq(r.workspaceId, workspaceId), eq(r.appId, input.app.id), eq(r.stageName, input.stageName), eq(r.status, "queued"), ne(r.id, id)));
    if (older.length) {
      await tx
        .update(r)
        .set({ status: "cancelled", supersededBy: id, timeCompleted: now })
        .where(and(eq(r.workspaceId, workspaceId), inArray(r.id, older.map((o) => o.id)), eq(r.status, "queued")));
    }
    const [created] = await tx.select().from(r).where(and(eq(r.workspaceId, workspaceId), eq(r.id, id)));
    return { created: created!, superseded: older.map((o) => ({ ...o, status: "cancelled" as const, supersededBy: id, timeCompleted: now })) };
  });
  for (const s of superseded) await report(s);
  await report(created);
  return created;
}

/**
 * Takes one accepted webhook delivery: a push or pull request of a repository linked to
 * an app (through the installation it came from) queues the run its targets decide.
 */
export async function receive(delivery: Delivery): Promise<{ taken: DeliveryOutcome; runs: string[] }> {
  const taken = await Github.receive(delivery);
  const runs: string[] = [];
  if (taken.outcome !== "accepted" || !taken.git || taken.installationId === null || !taken.commit) return { taken, runs };
  const { installationId, repositoryId, repository } = taken;
  const links = await Database.use((db) =>
    db
      .select({ link: autodeployRepositoryTable, appName: appTable.name })
      .from(autodeployRepositoryTable)
      .innerJoin(
        githubInstallationTable,
        and(eq(githubInstallationTable.workspaceId, autodeployRepositoryTable.workspaceId), eq(githubInstallationTable.id, autodeployRepositoryTable.installationId)),
      )
      .innerJoin(appTable, and(eq(appTable.workspaceId, autodeployRepositoryTable.workspaceId), eq(appTable.id, autodeployRepositoryTable.appId)))
      .innerJoin(workspaceTable, eq(workspaceTable.id, autodeployRepositoryTable.workspaceId))
      .where(
        and(
          // A deleted workspace deploys nothing more.
          isNull(workspaceTable.timeDeleted),
          eq(githubInstallationTable.installationId, installationId),
          repositoryId !== null ? eq(autodeployRepositoryTable.githubRepositoryId, repositoryId) : eq(autodeployRepositoryTable.fullName, repository ?? ""),
        ),
      ),
  );
  for (const { link, appName } of links) {
    await Actor.system("autodeploy.webhook", { id: link.workspaceId, slug: "" }, async () => {
      const decision = decide(taken.git!, await targetConfig(link.appId));
      if (decision.action === "skip") {
        log.info("autodeploy skipped", { app: link.appId, reason: decision.reason });
        return;
      }
      const git: GitEvent = taken.git!;
      const run = await enqueue({
        app: { id: link.appId, name: appName },
        installationId: link.installationId,
        repositoryFullName: repository ?? link.fullName,
        stageName: decision.stage,
        action: decision.action,
        trigger: git.type === "pull_request" ? "pull_request" : "push",
        commit: taken.commit!,
        branch: git.type === "tag" ? null : git.branch,
        pullRequest: git.type === "pull_request" ? git.number : null,
        connectionId: decision.connectionId,
        region: decision.region,
      });
      runs.push(run.id);
    });
  }
  return { taken, runs };
}

// ---------------------------------------------------------------------------------------
// Cancel and redeploy (any member)

export async function cancelRun(appKey: string, runId: string): Promise<Run> {
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const current = await row(app.id, runId);
  if (isFinished(current.status)) throw new VisibleError("conflict", `This run has already ${current.status === "cancelled" ? "been cancelled" : current.status}`);
  const now = new Date();
  const dequeued = await Database.use((db) =>
    db
      .update(r)
      .set({ status: "cancelled", timeCompleted: now })
      .where(and(eq(r.workspaceId, workspaceId), eq(r.id, runId), eq(r.status, "queued"))),
  );
  if (Database.affected(dequeued)) {
    await Audit.record("autodeploy.run.cancel", { type: "autodeploy_run", id: runId, label: `${app.name}/${current.stageName}` });
    await report((await reread(current))!);
    return one(app.id, runId);
  }
  // Running (or just started): ask the build to stop; the executor says when it has.
  await Database.use((db) => db.update(r).set({ stopRequested: true }).where(and(eq(r.workspaceId, workspaceId), eq(r.id, runId), eq(r.status, "running"))));
  const running = (await reread(current))!;
  if (running.status === "running" && running.buildId) await stopBuild(running);
  await Audit.record("autodeploy.run.cancel", { type: "autodeploy_run", id: runId, label: `${app.name}/${current.stageName}` });
  return one(app.id, runId);
}

async function stopBuild(run: RunRow) {
  try {
    await Executors.use().stop(target(run));
  } catch (err) {
    log.warn("build stop failed", { run: run.id, err: describeError(err) });
    throw new VisibleError("unavailable", `The build could not be asked to stop (${(err as Error).message}). Try again`);
  }
}

/** A new run of the same commit, stage and action (any member). The app must still have its repository. */
export async function redeployRun(appKey: string, runId: string): Promise<Run> {
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const source = await row(app.id, runId);
  const [link] = await Database.use((db) =>
    db
      .select()
      .from(autodeployRepositoryTable)
      .where(and(eq(autodeployRepositoryTable.workspaceId, workspaceId), eq(autodeployRepositoryTable.appId, app.id))),
  );
  if (!link) throw new VisibleError("conflict", "Link a repository to this app first");
  const created = await enqueue({
    app,
    installationId: link.installationId,
    repositoryFullName: link.fullName,
    stageName: source.stageName,
    action: source.action,
    trigger: "redeploy",
    commit: { sha: source.commitSha, message: source.commitMessage, author: source.commitAuthor, url: source.commitUrl },
    branch: source.branch,
    pullRequest: source.pullRequest,
    connectionId: source.connectionId,
    region: source.region,
  });
  await Audit.record("autodeploy.run.redeploy", { type: "autodeploy_run", id: created.id, label: `${app.name}/${created.stageName}` }, { from: source.id });
  return one(app.id, created.id);
}

// ---------------------------------------------------------------------------------------
// Logs

export async function runLogs(appKey: string, runId: string, cursor: string | null): Promise<{ lines: BuildLogLine[]; cursor: string | null; done: boolean }> {
  const app = await resolveApp(appKey);
  const run = await row(app.id, runId);
  const finished = isFinished(run.status);
  if (!run.buildId || !run.logGroup || !run.logStream) return { lines: [], cursor, done: finished };
  let res;
  try {
    res = await Executors.use().logs({ ...target(run), logGroup: run.logGroup, logStream: run.logStream }, cursor);
  } catch (err) {
    log.warn("build logs not read", { run: run.id, err: describeError(err) });
    throw new VisibleError("unavailable", `The build's logs could not be read (${(err as Error).message}). Try again`);
  }
  return { lines: res.lines, cursor: res.cursor ?? cursor, done: finished && res.lines.length === 0 };
}

// ---------------------------------------------------------------------------------------
// Moving runs forward

function target(run: RunRow): BuildTarget {
  return { workspaceId: run.workspaceId, connectionId: run.connectionId, region: run.region, buildId: run.buildId! };
}

async function finish(run: RunRow, status: Exclude<RunStatus, "queued" | "running">, error: string | null): Promise<boolean> {
  const done = await Database.use((db) =>
    db
      .update(r)
      .set({ status, error: error?.slice(0, 4000) ?? null, timeCompleted: new Date() })
      .where(and(eq(r.workspaceId, run.workspaceId), eq(r.id, run.id), eq(r.status, "running"))),
  );
  if (!Database.affected(done)) return false;
  await report((await reread(run))!);
  return true;
}

/** Asks the executor how a running run's build is; ends the run when the build has. */
async function poll(run: RunRow, now: Date): Promise<boolean> {
  if (!run.buildId) {
    if (run.timeStarted && now.getTime() - run.timeStarted.getTime() > START_TIMEOUT_MS) return finish(run, "failed", "The build did not start");
    return false;
  }
  let state;
  try {
    state = await Executors.use().status(target(run));
  } catch (err) {
    log.warn("build status not read", { run: run.id, err: describeError(err) });
    return false;
  }
  if (state.state === "running") return false;
  return finish(run, state.state, state.state === "failed" ? (state.error ?? "The build failed") : null);
}

/** Starts the next queued run of a stage when none runs there. Returns the run started, if any. */
async function startNext(appId: string, stageName: string): Promise<RunRow | undefined> {
  const workspaceId = Actor.workspaceId();
  const now = new Date();
  const claimed = await Database.transaction(async (tx) => {
    await lockApp(tx, workspaceId, appId);
    const active = await tx
      .select()
      .from(r)
      .where(and(eq(r.workspaceId, workspaceId), eq(r.appId, appId), eq(r.stageName, stageName), inArray(r.status, ["queued", "running"])))
      .orderBy(desc(r.id));
    if (active.some((a) => a.status === "running")) return undefined;
    const [next, ...older] = active;
    if (!next) return undefined;
    if (older.length) {
      await tx
        .update(r)
        .set({ status: "cancelled", supersededBy: next.id, timeCompleted: now })
        .where(and(eq(r.workspaceId, workspaceId), inArray(r.id, older.map((o) => o.id))));
    }
    await tx.update(r).set({ status: "running", timeStarted: now }).where(and(eq(r.workspaceId, workspaceId), eq(r.id, next.id)));
    return { next: { ...next, status: "running" as const, timeStarted: now }, older: older.map((o) => ({ ...o, status: "cancelled" as const, supersededBy: next.id, timeCompleted: now })) };
  });
  if (!claimed) return undefined;
  for (const o of claimed.older) await report(o);
  const run = claimed.next;
  try {
    const number = await installationNumber(workspaceId, run.installationId);
    if (number === null) throw new Error("the GitHub installation is no longer linked to this workspace");
    const { token } = await Github.installationToken(number);
    const env = await environmentFor(appId, stageName);
    // SST records this id on the deploy it makes (`update/…json` `runID`): the run's deploy is found by it.
    env.SST_RUN_ID = run.id;
    const ref = await Executors.use().start({
      workspaceId,
      runId: run.id,
      connectionId: run.connectionId,
      region: run.region,
      repository: { fullName: run.repositoryFullName, cloneUrl: `${Github.webUrl()}/${run.repositoryFullName}.git` },
      commit: run.commitSha,
      stage: run.stageName,
      action: run.action,
      token,
      env,
    });
    await Database.use((db) =>
      db
        .update(r)
        .set({ buildId: ref.buildId.slice(0, 255), logGroup: ref.logGroup.slice(0, 512), logStream: ref.logStream.slice(0, 512) })
        .where(and(eq(r.workspaceId, workspaceId), eq(r.id, run.id))),
    );
    const started = (await reread(run))!;
    await report(started);
    // Cancelled while it was starting: the build is asked to stop now that it has an id.
    if (started.stopRequested && started.status === "running") await stopBuild(started).catch(() => undefined);
    return started;
  } catch (err) {
    log.warn("build not started", { run: run.id, err: describeError(err) });
    await finish(run, "failed", `The build could not start: ${(err as Error).message}`);
    return (await reread(run))!;
  }
}

export interface TickResult {
  polled: number;
  finished: number;
  started: number;
}

/**
 * Moves runs forward: polls every running build, then starts the next queued run of each
 * stage that has none running. `workspaceIds` limits it to those workspaces (tests).
 */
export async function tick(options: { workspaceIds?: string[]; now?: Date } = {}): Promise<TickResult> {
  const now = options.now ?? new Date();
  const scope = options.workspaceIds ? inArray(r.workspaceId, options.workspaceIds.length ? options.workspaceIds : [""]) : undefined;
  const result: TickResult = { polled: 0, finished: 0, started: 0 };
  const running = await Database.use((db) => db.select().from(r).where(and(eq(r.status, "running"), scope)).limit(500));
  for (const run of running) {
    result.polled++;
    const ended = await Actor.system("autodeploy.tick", { id: run.workspaceId, slug: "" }, () => poll(run, now)).catch((err) => {
      log.error("run not polled", { run: run.id, err: describeError(err) });
      return false;
    });
    if (ended) result.finished++;
  }
  const waiting = await Database.use((db) =>
    db
      .selectDistinct({ workspaceId: r.workspaceId, appId: r.appId, stageName: r.stageName })
      .from(r)
      .innerJoin(workspaceTable, eq(workspaceTable.id, r.workspaceId))
      .where(and(eq(r.status, "queued"), isNull(workspaceTable.timeDeleted), scope))
      .limit(500),
  );
  for (const w of waiting) {
    const started = await Actor.system("autodeploy.tick", { id: w.workspaceId, slug: "" }, () => startNext(w.appId, w.stageName)).catch((err) => {
      log.error("run not started", { app: w.appId, err: describeError(err) });
      return undefined;
    });
    if (started) result.started++;
  }
  return result;
}
