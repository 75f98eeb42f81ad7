/**
 * Autodeploy's data layer on a fake clock against a scripted API: a run's logs are polled
 * from the server's cursor every LOG_POLL_MS and merged without repeats until the server
 * says they are done (a finished run's long log is read at once); a run is polled while it
 * is queued or running and, when it finishes, the run lists and its stage's deploys reload;
 * run lists poll faster while a run is active; cancel and redeploy update the cache.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSignal } from "solid-js";
import type { Run, RunLogLine } from "../lib/api";
import {
  ACTIVE_RUNS_POLL_MS,
  DEPLOY_POLL_MS,
  DEPLOY_WAIT_MS,
  LOG_POLL_MS,
  RUNS_POLL_MS,
  RUN_POLL_MS,
  readLogs,
  useCancelRun,
  useRedeploy,
  useRun,
  useRunLogs,
  useRuns,
} from "./autodeploy";
import { keys } from "./keys";
import { failure, fakeApi } from "./testing/fake-api";
import { renderData } from "./testing/render";

const WS = "ws_1";
const APP = "app_1";
const base = `/api/workspaces/${WS}/apps/${APP}`;

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function run(status: Run["status"], over: Partial<Run> = {}): Run {
  return {
    id: "run_1",
    appId: APP,
    stageName: "production",
    stageId: "stg_1",
    action: "deploy",
    trigger: "push",
    status,
    commit: { sha: "0123456789abcdef0123456789abcdef01234567", message: "Ship it", author: "ada", url: "https://github.com/acme/api/commit/0123456" },
    branch: "main",
    pullRequest: null,
    connectionId: "acc_1",
    region: "us-east-1",
    error: null,
    supersededBy: null,
    deployId: status === "succeeded" ? "dep_1" : null,
    timeQueued: "2026-03-01T10:00:00.000Z",
    timeStarted: status === "queued" ? null : "2026-03-01T10:00:05.000Z",
    timeCompleted: status === "queued" || status === "running" ? null : "2026-03-01T10:02:00.000Z",
    url: `http://console.test/acme/app/api/autodeploy/runs/run_1`,
    ...over,
  };
}

const l = (timestamp: number, message: string): RunLogLine => ({ timestamp, message });

describe("a run's logs", () => {
  it("polls from the server's cursor, merges each page, and stops once done", async () => {
    const api = fakeApi();
    // The server's log: pages by cursor; the second page repeats the last line of the first.
    const pages: Record<string, { lines: RunLogLine[]; cursor: string | null; done: boolean }> = {
      "": { lines: [l(1, "Cloning"), l(2, "npm ci")], cursor: "c1", done: false },
      c1: { lines: [], cursor: "c1", done: false },
    };
    api.on("GET", `${base}/runs/:run/logs`, (req) => ({ body: pages[req.query.get("cursor") ?? ""] }));
    vi.stubGlobal("fetch", api.fetch);
    const { result } = renderData(() => useRunLogs(() => WS, () => APP, () => "run_1"));
    const gets = () => api.calls("GET", `${base}/runs/run_1/logs`);

    await tick(1);
    // A page with lines is followed at once by the next (empty) one.
    expect(gets().map((r) => r.query.get("cursor"))).toEqual([null, "c1"]);
    expect(result.data?.lines.map((x) => x.message)).toEqual(["Cloning", "npm ci"]);
    expect(result.data?.done).toBe(false);

    pages.c1 = { lines: [l(2, "npm ci"), l(3, "sst deploy --stage production")], cursor: "c2", done: false };
    pages.c2 = { lines: [], cursor: "c2", done: false };
    await tick(LOG_POLL_MS);
    expect(gets().map((r) => r.query.get("cursor"))).toEqual([null, "c1", "c1", "c2"]);
    expect(result.data?.lines.map((x) => x.message)).toEqual(["Cloning", "npm ci", "sst deploy --stage production"]);

    // Nothing new: one request per interval.
    await tick(LOG_POLL_MS);
    expect(gets()).toHaveLength(5);

    pages.c2 = { lines: [l(4, "Complete")], cursor: "c3", done: true };
    await tick(LOG_POLL_MS);
    expect(result.data?.done).toBe(true);
    expect(result.data?.lines.map((x) => x.message)).toEqual(["Cloning", "npm ci", "sst deploy --stage production", "Complete"]);
    const after = gets().length;
    await tick(LOG_POLL_MS * 20);
    expect(gets()).toHaveLength(after);
  });

  it("keeps the lines shown and goes on polling after a failed poll", async () => {
    const api = fakeApi();
    let fail = false;
    let served = 0;
    api.on("GET", `${base}/runs/:run/logs`, (req) => {
      if (fail) return failure(503, "unavailable", "CloudWatch is slow");
      const cursor = req.query.get("cursor");
      if (!cursor) return { body: { lines: [l(1, "a")], cursor: "c1", done: false } };
      served++;
      return { body: { lines: served === 3 ? [l(2, "b")] : [], cursor: served >= 3 ? "c2" : "c1", done: served >= 3 } };
    });
    vi.stubGlobal("fetch", api.fetch);
    const { result } = renderData(() => useRunLogs(() => WS, () => APP, () => "run_1"));
    await tick(1);
    expect(result.data?.lines.map((x) => x.message)).toEqual(["a"]);

    fail = true;
    await tick(LOG_POLL_MS);
    expect(result.error?.code).toBe("unavailable");
    expect(result.data?.lines.map((x) => x.message)).toEqual(["a"]);

    fail = false;
    await tick(LOG_POLL_MS);
    await tick(LOG_POLL_MS);
    expect(result.data?.lines.map((x) => x.message)).toEqual(["a", "b"]);
    expect(result.data?.done).toBe(true);
  });

  it("reads a finished run's long log page after page in one poll, up to a limit", async () => {
    let n = 0;
    const fetchPage = vi.fn(async (cursor: string | null) => {
      n++;
      const at = cursor ? Number(cursor) : 0;
      return { lines: [l(at, `line ${at}`)], cursor: String(at + 1), done: at + 1 === 5 };
    });
    const state = await readLogs(fetchPage, { lines: [], dropped: 0, cursor: null, done: false });
    expect(n).toBe(5);
    expect(state.done).toBe(true);
    expect(state.lines.map((x) => x.message)).toEqual(["line 0", "line 1", "line 2", "line 3", "line 4"]);

    const capped = await readLogs(fetchPage, { lines: [], dropped: 0, cursor: null, done: false }, 3);
    expect(capped).toMatchObject({ cursor: "3", done: false });
    expect(capped.lines).toHaveLength(3);
  });
});

describe("a run", () => {
  it("is polled while queued or running; when it finishes, the run lists and the stage's deploys reload", async () => {
    const api = fakeApi();
    let current = run("queued");
    api.on("GET", `${base}/runs/:run`, () => ({ body: { run: current } }));
    api.on("GET", `${base}/runs`, () => ({ body: { runs: [current], next: null } }));
    api.on("GET", `/api/workspaces/${WS}/stages/:stage/deploys`, () => ({ body: { deploys: [], next: null } }));
    vi.stubGlobal("fetch", api.fetch);
    const { result, client } = renderData(() => ({ run: useRun(() => WS, () => APP, () => "run_1"), runs: useRuns(() => WS, () => APP) }));
    // The stage's Deploys tab has its list cached (another page showed it).
    client.setQueryData(keys.deploys.list(WS, "stg_1"), { pages: [], pageParams: [] });
    const runGets = () => api.calls("GET", `${base}/runs/run_1`).length;
    const listGets = () => api.calls("GET", `${base}/runs`).length;

    await tick(1);
    expect(result.run.data?.run.status).toBe("queued");
    expect(runGets()).toBe(1);
    expect(listGets()).toBe(1);

    current = run("running");
    await tick(RUN_POLL_MS);
    expect(result.run.data?.run.status).toBe("running");
    expect(runGets()).toBe(2);
    // Its state changed: the lists reload.
    await tick(1);
    expect(listGets()).toBe(2);

    current = run("succeeded");
    await tick(RUN_POLL_MS);
    await tick(1);
    expect(result.run.data?.run).toMatchObject({ status: "succeeded", deployId: "dep_1" });
    expect(listGets()).toBe(3);
    expect(client.getQueryState(keys.deploys.list(WS, "stg_1"))?.isInvalidated).toBe(true);

    // Finished: no more polling of the run.
    const runs = runGets();
    await tick(RUN_POLL_MS * 10);
    expect(runGets()).toBe(runs);
  });
});

describe("a finished run", () => {
  it("is polled until the stage's history has its deploy, then the deploys reload; not for ever", async () => {
    vi.setSystemTime(Date.parse("2026-03-01T10:02:01.000Z"));
    const api = fakeApi();
    let current = run("succeeded", { deployId: null });
    api.on("GET", `${base}/runs/:run`, () => ({ body: { run: current } }));
    vi.stubGlobal("fetch", api.fetch);
    const { result, client } = renderData(() => useRun(() => WS, () => APP, () => "run_1"));
    client.setQueryData(keys.deploys.list(WS, "stg_1"), { pages: [], pageParams: [] });
    const gets = () => api.calls("GET", `${base}/runs/run_1`).length;
    await tick(1);
    expect(gets()).toBe(1);

    await tick(DEPLOY_POLL_MS);
    expect(gets()).toBe(2);
    expect(client.getQueryState(keys.deploys.list(WS, "stg_1"))?.isInvalidated).toBe(false);

    current = run("succeeded", { deployId: "dep_9" });
    await tick(DEPLOY_POLL_MS);
    await tick(1);
    expect(result.data?.run.deployId).toBe("dep_9");
    expect(client.getQueryState(keys.deploys.list(WS, "stg_1"))?.isInvalidated).toBe(true);
    await tick(DEPLOY_POLL_MS * 10);
    expect(gets()).toBe(3);
  });

  it("stops waiting for a deploy that never comes, and never waits for a cancelled run's", async () => {
    vi.setSystemTime(Date.parse("2026-03-01T10:02:01.000Z"));
    const api = fakeApi();
    api.on("GET", `${base}/runs/:run`, (_req, params) => ({ body: { run: run(params.run === "run_1" ? "failed" : "cancelled", { id: params.run!, deployId: null }) } }));
    vi.stubGlobal("fetch", api.fetch);
    renderData(() => ({ failed: useRun(() => WS, () => APP, () => "run_1"), cancelled: useRun(() => WS, () => APP, () => "run_2") }));
    await tick(1);
    await tick(DEPLOY_WAIT_MS + DEPLOY_POLL_MS * 2);
    const failed = api.calls("GET", `${base}/runs/run_1`).length;
    expect(failed).toBeGreaterThan(DEPLOY_WAIT_MS / DEPLOY_POLL_MS - 2);
    expect(failed).toBeLessThanOrEqual(DEPLOY_WAIT_MS / DEPLOY_POLL_MS + 2);
    await tick(DEPLOY_POLL_MS * 10);
    expect(api.calls("GET", `${base}/runs/run_1`)).toHaveLength(failed);
    expect(api.calls("GET", `${base}/runs/run_2`)).toHaveLength(1);
  });
});

describe("the run list", () => {
  it("polls every 5 s while a run is active, every 30 s once none is, and asks one stage's runs", async () => {
    const api = fakeApi();
    let list = [run("running")];
    api.on("GET", `${base}/runs`, () => ({ body: { runs: list, next: null } }));
    vi.stubGlobal("fetch", api.fetch);
    const [stage, setStage] = createSignal<string | null>(null);
    const { result } = renderData(() => useRuns(() => WS, () => APP, stage));
    const gets = () => api.calls("GET", `${base}/runs`);
    await tick(1);
    expect(result.runs()?.map((r) => r.status)).toEqual(["running"]);

    await tick(ACTIVE_RUNS_POLL_MS);
    expect(gets()).toHaveLength(2);
    list = [run("succeeded")];
    await tick(ACTIVE_RUNS_POLL_MS);
    expect(gets()).toHaveLength(3);
    await tick(ACTIVE_RUNS_POLL_MS * 2);
    expect(gets()).toHaveLength(3);
    await tick(RUNS_POLL_MS);
    expect(gets()).toHaveLength(4);

    setStage("pr-12");
    await tick(1);
    expect(gets().at(-1)?.query.get("stage")).toBe("pr-12");
  });
});

describe("cancel and redeploy", () => {
  it("put the server's answer in the cache and reload the lists", async () => {
    const api = fakeApi();
    api.on("GET", `${base}/runs/:run`, () => ({ body: { run: run("running") } }));
    api.on("GET", `${base}/runs`, () => ({ body: { runs: [run("running")], next: null } }));
    api.on("POST", `${base}/runs/:run/cancel`, () => ({ body: { run: run("cancelled") } }));
    api.on("POST", `${base}/runs/:run/redeploy`, () => ({ body: { run: run("queued", { id: "run_2", trigger: "redeploy" }) } }));
    vi.stubGlobal("fetch", api.fetch);
    const { result, client } = renderData(() => ({
      run: useRun(() => WS, () => APP, () => "run_1"),
      runs: useRuns(() => WS, () => APP),
      cancel: useCancelRun(() => WS),
      redeploy: useRedeploy(() => WS),
    }));
    await tick(1);
    const lists = () => api.calls("GET", `${base}/runs`).length;
    expect(lists()).toBe(1);

    await result.cancel.mutateAsync(result.run.data!.run);
    await tick(1);
    expect(result.run.data?.run.status).toBe("cancelled");
    expect(lists()).toBe(2);

    const { run: next } = await result.redeploy.mutateAsync(result.run.data!.run);
    expect(next.id).toBe("run_2");
    expect(client.getQueryData<{ run: Run }>(keys.autodeploy.run(WS, APP, "run_2"))?.run.trigger).toBe("redeploy");
    await tick(1);
    expect(lists()).toBe(3);
    expect(api.calls("POST", `${base}/runs/run_1/redeploy`)).toHaveLength(1);
  });
});
