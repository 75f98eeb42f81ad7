/**
 * Issue history through the API: a resolved issue that happens again is marked
 * regressed (list and detail) with the occurrence that brought it back; the detail's
 * timeline says first seen, who resolved, ignored or reopened it, and which issues
 * were merged into it; after a merge the kept issue keeps its own title, even when a
 * merged-in fingerprint happens later.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoAccount, type SeedResult, type SeededFunction } from "@console/testkit/seed";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";
import { happen as ingest } from "../setup/issues";

let seed: SeedResult;
let token: string;
let email: string;
let ws: { id: string; slug: string };
let stageId: string;
let worker: SeededFunction;
let connectionId: string;

interface Summary {
  id: string;
  type: string;
  message: string;
  status: string;
  count: number;
  timeRegressed: string | null;
}

const happen = (handler: string, event: unknown) => ingest({ accountId: seed.accountId, connectionId, fn: worker }, handler, event);

async function list(status = "active") {
  const res = await call("GET", `/api/workspaces/${ws.slug}/issues?stage=${stageId}&status=${status}`, { token });
  expect(res.status).toBe(200);
  return res.body.issues as Summary[];
}

async function detail(id: string) {
  const res = await call("GET", `/api/workspaces/${ws.slug}/issues/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body as {
    issue: Summary;
    occurrences: { id: string; requestId: string | null }[];
    mergedIssues: number;
    hashes: number;
    activity: { kind: string; actor: string | null; time: string; occurrence?: { id: string; requestId: string | null }; sources?: { id: string; type: string }[] }[];
  };
}

const post = (action: string, ids: string[]) => call("POST", `/api/workspaces/${ws.slug}/issues/${action}`, { token, body: { ids } });

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  ({ token, email } = await signIn());
  ws = await createWorkspace(token);
  connectionId = (await connectAccount(token, ws.slug, seed.accountId)).id;
  const stages = (await call("GET", `/api/workspaces/${ws.slug}/stages`, { token })).body as { id: string; app: string; name: string }[];
  stageId = stages.find((s) => s.app === "acme-api" && s.name === "production")!.id;
  worker = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
}, 120_000);

describe("issue history", () => {
  it("marks a regression with its occurrence, and keeps who resolved, ignored and reopened", async () => {
    await happen("shippingLabel", { customerId: "c2" });
    const issue = (await list()).find((i) => i.type === "TypeError")!;
    expect(issue.timeRegressed).toBeNull();
    expect((await detail(issue.id)).activity.map((a) => a.kind)).toEqual(["first_seen"]);

    expect((await post("resolve", [issue.id])).status).toBe(200);
    const resolved = await detail(issue.id);
    expect(resolved.activity.map((a) => [a.kind, a.actor])).toEqual([
      ["first_seen", null],
      ["resolved", email],
    ]);

    // It happens again: active, regressed, with the occurrence on the timeline.
    const again = await happen("shippingLabel", { customerId: "c2" });
    const back = (await list()).find((i) => i.id === issue.id)!;
    expect(back.status).toBe("active");
    expect(back.timeRegressed).not.toBeNull();
    const regressed = await detail(issue.id);
    expect(regressed.issue.timeRegressed).not.toBeNull();
    const entry = regressed.activity.at(-1)!;
    expect(entry.kind).toBe("regressed");
    expect(entry.occurrence?.requestId).toBe(again.requestId);
    expect(regressed.occurrences.map((o) => o.id)).toContain(entry.occurrence?.id);

    // Another occurrence while active is no new regression.
    await happen("shippingLabel", { customerId: "c2" });
    expect((await detail(issue.id)).activity.filter((a) => a.kind === "regressed")).toHaveLength(1);

    // Ignoring clears the badge; reopening is recorded too.
    expect((await post("ignore", [issue.id])).status).toBe(200);
    expect((await post("reopen", [issue.id])).status).toBe(200);
    const reopened = await detail(issue.id);
    expect(reopened.issue.timeRegressed).toBeNull();
    expect(reopened.activity.map((a) => a.kind)).toEqual(["first_seen", "resolved", "regressed", "ignored", "reopened"]);
    expect(reopened.activity.slice(-2).map((a) => a.actor)).toEqual([email, email]);
    expect(reopened.mergedIssues).toBe(0);
  });

  it("after a merge the kept issue keeps its title and lists what was merged into it", async () => {
    await happen("createOrder", { id: "x", items: [] });
    await happen("quote", { total: 120 });
    const issues = await list();
    const target = issues.find((i) => i.type === "ZodError")!;
    const source = issues.find((i) => i.type === "TypeError" && /toUpperCase/.test(i.message))!;
    expect(target && source).toBeTruthy();
    expect((await call("POST", `/api/workspaces/${ws.slug}/issues/merge`, { token, body: { target: target.id, sources: [source.id] } })).status).toBe(200);

    // The merged-in fingerprint happens again, later: the kept issue's title stays its own.
    await happen("quote", { total: 120 });
    const kept = await detail(target.id);
    expect(kept.issue.type).toBe(target.type);
    expect(kept.issue.message).toBe(target.message);
    expect(kept.mergedIssues).toBe(1);
    expect(kept.hashes).toBeGreaterThan(1);
    const merged = kept.activity.find((a) => a.kind === "merged")!;
    expect(merged.actor).toBe(email);
    expect(merged.sources).toEqual([expect.objectContaining({ id: source.id, type: "TypeError" })]);
    expect((await list()).find((i) => i.id === source.id)).toBeUndefined();

    // Its own fingerprint still updates it.
    await happen("createOrder", { id: "y", items: [] });
    expect((await detail(target.id)).issue.count).toBe(kept.issue.count + 1);
  });
});
