/**
 * The issue data layer against a scripted API, on a fake clock: triage is optimistic and
 * rolls back when the server says no; lists, counts and details reload when the last
 * triage call settles; no poll runs while a triage call is out (it would bring the old
 * state back).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IssueSummary } from "../lib/api";
import { moveOf, reverse, useIssue, useIssueCounts, useIssueList, useSetStatus } from "./issues";
import { deferred, failure, fakeApi } from "./testing/fake-api";
import { renderData } from "./testing/render";

const WS = "ws_1";
const base = `/api/workspaces/${WS}`;

function issue(id: string, minutesAgo: number, status: IssueSummary["status"] = "active"): IssueSummary {
  const t = new Date(Date.UTC(2026, 0, 10, 12, 0) - minutesAgo * 60_000).toISOString();
  return {
    id,
    stageId: "stage_1",
    app: "acme",
    stage: "production",
    type: `TypeError${id}`,
    message: "Cannot read properties of undefined",
    kind: "invoke",
    functionName: "acme-production-Api",
    status,
    count: 3,
    timeFirstSeen: t,
    timeLastSeen: t,
    timeResolved: null,
    timeIgnored: null,
    timeRegressed: null,
    last24h: new Array<number>(24).fill(0),
  };
}

/** A server holding issues: lists, counts, one issue, and the triage routes (answered by `triage`). */
function server() {
  const api = fakeApi();
  const issues = new Map([issue("a", 1), issue("b", 2), issue("c", 3, "resolved")].map((i) => [i.id, i]));
  let triage: (to: IssueSummary["status"], ids: string[]) => Promise<{ status?: number; body?: unknown }> = async (to, ids) => {
    for (const id of ids) issues.set(id, { ...issues.get(id)!, status: to });
    return { body: { updated: ids.length } };
  };
  const counts = () => {
    const out = { active: 0, resolved: 0, ignored: 0 };
    for (const i of issues.values()) out[i.status]++;
    return out;
  };
  api.on("GET", `${base}/issues`, (r) => ({
    body: { issues: [...issues.values()].filter((i) => i.status === (r.query.get("status") ?? "active")), next: null },
  }));
  api.on("GET", `${base}/issues/:issue`, (_r, p) => {
    const i = issues.get(p.issue!)!;
    return { body: { issue: { ...i, error: {}, groupingVersion: 1, groupingBasis: null }, stage: null, hourly: { start: i.timeFirstSeen, counts: [] }, functions: [], occurrences: [], hashes: 1 } };
  });
  api.on("GET", `${base}/issues/counts`, () => ({ body: counts() }));
  api.on("POST", `${base}/issues/resolve`, (r) => triage("resolved", (r.body as { ids: string[] }).ids));
  api.on("POST", `${base}/issues/reopen`, (r) => triage("active", (r.body as { ids: string[] }).ids));
  api.on("GET", `${base}/warnings`, () => ({ body: [] }));
  return {
    api,
    issues,
    holdTriage: (next: typeof triage) => (triage = next),
  };
}

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
  vi.setSystemTime(new Date(Date.UTC(2026, 0, 10, 12, 0)));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function mount(s: ReturnType<typeof server>) {
  vi.stubGlobal("fetch", s.api.fetch);
  return renderData(() => {
    const ws = () => WS;
    return {
      active: useIssueList(ws, () => ({ status: "active" })),
      resolved: useIssueList(ws, () => ({ status: "resolved" })),
      counts: useIssueCounts(ws, () => undefined),
      detail: useIssue(ws, () => "a"),
      setStatus: useSetStatus(ws),
    };
  });
}

const ids = (list: IssueSummary[] | undefined) => list?.map((i) => i.id);

describe("triage", () => {
  it("moves an issue at once, and puts everything back when the server fails", async () => {
    const s = server();
    const hold = deferred<{ status?: number; body?: unknown }>();
    s.holdTriage(() => hold.promise);
    const { result } = mount(s);
    await tick(1);
    expect(ids(result.active.issues())).toEqual(["a", "b"]);
    expect(result.counts.data).toEqual({ active: 2, resolved: 1, ignored: 0 });

    const a = result.active.issues()![0]!;
    const done = result.setStatus.mutateAsync([moveOf(a, "resolved")]).catch((err: unknown) => err);
    await tick(1);
    // Optimistic: every cached view moved.
    expect(ids(result.active.issues())).toEqual(["b"]);
    expect(ids(result.resolved.issues())).toEqual(["a", "c"]);
    expect(result.counts.data).toEqual({ active: 1, resolved: 2, ignored: 0 });
    expect(result.detail.data?.issue.status).toBe("resolved");

    // The reloads that follow are held: what the screen shows next is the rollback's doing.
    const reloads = deferred();
    for (const path of [`${base}/issues`, `${base}/issues/:issue`, `${base}/issues/counts`]) {
      s.api.on("GET", path, async () => {
        await reloads.promise;
        return failure(503, "unavailable", "held");
      });
    }
    hold.resolve(failure(500, "internal", "Something went wrong on our side. Try again."));
    const error = await done;
    await tick(1);
    expect((error as { code?: string }).code).toBe("internal");
    // Rolled back: as the server still has it.
    expect(ids(result.active.issues())).toEqual(["a", "b"]);
    expect(ids(result.resolved.issues())).toEqual(["c"]);
    expect(result.counts.data).toEqual({ active: 2, resolved: 1, ignored: 0 });
    expect(result.detail.data?.issue.status).toBe("active");
    expect(s.issues.get("a")!.status).toBe("active");
    reloads.resolve();
  });

  it("holds the polls while a triage call is out, then reloads lists, counts and details once", async () => {
    const s = server();
    const hold = deferred<{ status?: number; body?: unknown }>();
    s.holdTriage(async (to, list) => {
      const answer = await hold.promise;
      for (const id of list) s.issues.set(id, { ...s.issues.get(id)!, status: to });
      return answer;
    });
    const { result } = mount(s);
    await tick(1);
    const gets = () => s.api.calls("GET", `${base}/issues`).length;
    const countGets = () => s.api.calls("GET", `${base}/issues/counts`).length;
    const detailGets = () => s.api.calls("GET", `${base}/issues/a`).length;

    // The lists poll every 5 s while nothing is out.
    const before = gets();
    await tick(5000);
    expect(gets()).toBe(before + 2);

    const a = result.active.issues()!.find((i) => i.id === "a")!;
    const done = result.setStatus.mutateAsync([moveOf(a, "resolved")]);
    await tick(1);
    const [listsAt, countsAt, detailAt] = [gets(), countGets(), detailGets()];
    // 20 s with the call out: no poll of anything the call changes.
    await tick(20_000);
    expect([gets(), countGets(), detailGets()]).toEqual([listsAt, countsAt, detailAt]);
    expect(ids(result.active.issues())).toEqual(["b"]);

    hold.resolve({ body: { updated: 1 } });
    await done;
    await tick(1);
    // Settled: each list, the counts and the detail reload once, and show the server's state.
    expect(gets()).toBe(listsAt + 2);
    expect(countGets()).toBe(countsAt + 1);
    expect(detailGets()).toBe(detailAt + 1);
    expect(ids(result.resolved.issues())).toEqual(["a", "c"]);
    expect(result.counts.data).toEqual({ active: 1, resolved: 2, ignored: 0 });
    expect(s.api.calls("POST", `${base}/issues/resolve`).map((r) => r.body)).toEqual([{ ids: ["a"] }]);
  });

  it("undo puts each issue back in its old state with one call per state", async () => {
    const s = server();
    const { result } = mount(s);
    await tick(1);
    const moves = result.active.issues()!.map((i) => moveOf(i, "resolved"));
    await result.setStatus.mutateAsync(moves);
    await tick(1);
    expect(ids(result.active.issues())).toEqual([]);

    const undo = result.setStatus.mutateAsync(reverse(moves));
    await tick(1);
    // Back in their list at once, newest first, before the server answered.
    expect(ids(result.active.issues())).toEqual(["a", "b"]);
    await undo;
    expect(s.api.calls("POST", `${base}/issues/reopen`).map((r) => r.body)).toEqual([{ ids: ["a", "b"] }]);
    expect([...s.issues.values()].map((i) => i.status)).toEqual(["active", "active", "resolved"]);
  });
});
