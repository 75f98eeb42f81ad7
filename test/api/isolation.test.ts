/**
 * Tenant isolation: every route under /api/workspaces/:workspace, called by a
 * signed-in user who is not a member, with the other workspace's id or slug,
 * answers 404 and changes nothing. The route table below must cover every such
 * route the app has (checked against the app's own route list), so a new route
 * cannot skip this test.
 */
import { describe, expect, it } from "vitest";
import { createApi } from "../../packages/functions/src/api";
import { Bus } from "../../packages/core/src/event";
import { Actor } from "../../packages/core/src/actor";
import { Ingest } from "../../packages/core/src/issue";
import { Warning } from "../../packages/core/src/warning";
import { gzipSync } from "node:zlib";
import { acceptInvitations, call, createWorkspace, randomEmail, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";
import { seedDemoAccount } from "@console/testkit/seed";

interface Victim {
  ws: { id: string; slug: string };
  memberId: string;
  invitationId: string;
  accountId: string;
  stageId: string;
  issueId: string;
  occurrenceId: string;
  ruleId: string;
  warningId: string;
  functionId: string;
  payloadId: string;
  invocationId: string;
  deployId: string;
  appId: string;
}

type RouteCase = (v: Victim) => { path: string; body?: unknown };

/** Keyed by `METHOD /api/workspaces/:workspace/...` exactly as the app declares it. */
export const workspaceRouteCases: Record<string, RouteCase> = {
  "GET /api/workspaces/:workspace": (v) => ({ path: "" }),
  "PATCH /api/workspaces/:workspace": () => ({ path: "", body: { name: "Taken over" } }),
  "DELETE /api/workspaces/:workspace": () => ({ path: "" }),
  "GET /api/workspaces/:workspace/members": () => ({ path: "/members" }),
  "POST /api/workspaces/:workspace/members": () => ({ path: "/members", body: { email: randomEmail("intruder"), role: "owner" } }),
  "PATCH /api/workspaces/:workspace/members/:member": (v) => ({ path: `/members/${v.memberId}`, body: { role: "member" } }),
  "DELETE /api/workspaces/:workspace/members/:member": (v) => ({ path: `/members/${v.memberId}` }),
  "GET /api/workspaces/:workspace/invitations": () => ({ path: "/invitations" }),
  "DELETE /api/workspaces/:workspace/invitations/:invitation": (v) => ({ path: `/invitations/${v.invitationId}` }),
  "GET /api/workspaces/:workspace/audit": () => ({ path: "/audit" }),
  "GET /api/workspaces/:workspace/dead-letters": () => ({ path: "/dead-letters" }),
  "POST /api/workspaces/:workspace/sourcemaps/uploads": () => ({ path: "/sourcemaps/uploads", body: { bytes: 100 } }),
  "POST /api/workspaces/:workspace/sourcemaps/uploads/:upload/complete": (v) => ({ path: `/sourcemaps/uploads/${v.ruleId}/complete`, body: { functionName: "f", file: "index.mjs" } }),
  "GET /api/workspaces/:workspace/functions": () => ({ path: "/functions" }),
  "GET /api/workspaces/:workspace/accounts": () => ({ path: "/accounts" }),
  "POST /api/workspaces/:workspace/accounts": () => ({ path: "/accounts", body: {} }),
  "POST /api/workspaces/:workspace/accounts/demo": () => ({ path: "/accounts/demo" }),
  "GET /api/workspaces/:workspace/accounts/:account": (v) => ({ path: `/accounts/${v.accountId}` }),
  "GET /api/workspaces/:workspace/accounts/:account/connect": (v) => ({ path: `/accounts/${v.accountId}/connect` }),
  "POST /api/workspaces/:workspace/accounts/:account/check": (v) => ({ path: `/accounts/${v.accountId}/check`, body: { accountId: "123456789012" } }),
  "POST /api/workspaces/:workspace/accounts/:account/scan": (v) => ({ path: `/accounts/${v.accountId}/scan` }),
  "POST /api/workspaces/:workspace/accounts/:account/confirm-removal": (v) => ({ path: `/accounts/${v.accountId}/confirm-removal` }),
  "DELETE /api/workspaces/:workspace/accounts/:account": (v) => ({ path: `/accounts/${v.accountId}` }),
  "GET /api/workspaces/:workspace/stages": () => ({ path: "/stages" }),
  "GET /api/workspaces/:workspace/stages/:stage": (v) => ({ path: `/stages/${v.stageId}` }),
  "GET /api/workspaces/:workspace/stages/:stage/deploys": (v) => ({ path: `/stages/${v.stageId}/deploys` }),
  "GET /api/workspaces/:workspace/stages/:stage/deploys/:deploy": (v) => ({ path: `/stages/${v.stageId}/deploys/${v.deployId}` }),
  "GET /api/workspaces/:workspace/github": () => ({ path: "/github" }),
  "POST /api/workspaces/:workspace/github/install": () => ({ path: "/github/install", body: {} }),
  "DELETE /api/workspaces/:workspace/github/installations/:installation": (v) => ({ path: `/github/installations/${v.ruleId}` }),
  "GET /api/workspaces/:workspace/github/repositories": () => ({ path: "/github/repositories" }),
  "GET /api/workspaces/:workspace/apps/:app/repository": (v) => ({ path: `/apps/${v.appId}/repository` }),
  "PUT /api/workspaces/:workspace/apps/:app/repository": (v) => ({ path: `/apps/${v.appId}/repository`, body: { installationId: v.ruleId, fullName: "attacker/repo" } }),
  "DELETE /api/workspaces/:workspace/apps/:app/repository": (v) => ({ path: `/apps/${v.appId}/repository` }),
  "GET /api/workspaces/:workspace/apps/:app/targets": (v) => ({ path: `/apps/${v.appId}/targets` }),
  "PUT /api/workspaces/:workspace/apps/:app/targets": (v) => ({ path: `/apps/${v.appId}/targets`, body: { branches: [], pullRequests: null, environment: [] } }),
  "GET /api/workspaces/:workspace/apps/:app/runs": (v) => ({ path: `/apps/${v.appId}/runs` }),
  "GET /api/workspaces/:workspace/apps/:app/runs/:run": (v) => ({ path: `/apps/${v.appId}/runs/${v.ruleId}` }),
  "GET /api/workspaces/:workspace/apps/:app/runs/:run/logs": (v) => ({ path: `/apps/${v.appId}/runs/${v.ruleId}/logs` }),
  "POST /api/workspaces/:workspace/apps/:app/runs/:run/cancel": (v) => ({ path: `/apps/${v.appId}/runs/${v.ruleId}/cancel`, body: {} }),
  "POST /api/workspaces/:workspace/apps/:app/runs/:run/redeploy": (v) => ({ path: `/apps/${v.appId}/runs/${v.ruleId}/redeploy`, body: {} }),
  "GET /api/workspaces/:workspace/issues": (v) => ({ path: `/issues?stage=${v.stageId}` }),
  "GET /api/workspaces/:workspace/issues/counts": () => ({ path: "/issues/counts" }),
  "POST /api/workspaces/:workspace/issues/resolve": (v) => ({ path: "/issues/resolve", body: { ids: [v.issueId] } }),
  "POST /api/workspaces/:workspace/issues/ignore": (v) => ({ path: "/issues/ignore", body: { ids: [v.issueId] } }),
  "POST /api/workspaces/:workspace/issues/reopen": (v) => ({ path: "/issues/reopen", body: { ids: [v.issueId] } }),
  "POST /api/workspaces/:workspace/issues/merge": (v) => ({ path: "/issues/merge", body: { target: v.issueId, sources: [v.issueId] } }),
  "GET /api/workspaces/:workspace/issues/:issue": (v) => ({ path: `/issues/${v.issueId}` }),
  "GET /api/workspaces/:workspace/issues/:issue/occurrences/:occurrence/logs": (v) => ({ path: `/issues/${v.issueId}/occurrences/${v.occurrenceId}/logs` }),
  "GET /api/workspaces/:workspace/functions/:function/logs": (v) => ({ path: `/functions/${v.functionId}/logs` }),
  "GET /api/workspaces/:workspace/functions/:function/logs/live": (v) => ({ path: `/functions/${v.functionId}/logs/live` }),
  "POST /api/workspaces/:workspace/functions/:function/invoke": (v) => ({ path: `/functions/${v.functionId}/invoke`, body: { replay: v.invocationId } }),
  "GET /api/workspaces/:workspace/functions/:function/invocations": (v) => ({ path: `/functions/${v.functionId}/invocations` }),
  "GET /api/workspaces/:workspace/payloads": () => ({ path: "/payloads" }),
  "POST /api/workspaces/:workspace/payloads": () => ({ path: "/payloads", body: { name: "intruder", payload: {} } }),
  "GET /api/workspaces/:workspace/payloads/:payload": (v) => ({ path: `/payloads/${v.payloadId}` }),
  "PATCH /api/workspaces/:workspace/payloads/:payload": (v) => ({ path: `/payloads/${v.payloadId}`, body: { name: "taken over", payload: { x: 1 } } }),
  "DELETE /api/workspaces/:workspace/payloads/:payload": (v) => ({ path: `/payloads/${v.payloadId}` }),
  "GET /api/workspaces/:workspace/settings": () => ({ path: "/settings" }),
  "PATCH /api/workspaces/:workspace/settings": () => ({ path: "/settings", body: { invokeRole: "admin" } }),
  "GET /api/workspaces/:workspace/fingerprint-rules": () => ({ path: "/fingerprint-rules" }),
  "POST /api/workspaces/:workspace/fingerprint-rules": () => ({ path: "/fingerprint-rules", body: { match: { type: "Error" }, fingerprint: ["all"] } }),
  "DELETE /api/workspaces/:workspace/fingerprint-rules/:rule": (v) => ({ path: `/fingerprint-rules/${v.ruleId}` }),
  "GET /api/workspaces/:workspace/sourcemaps": () => ({ path: "/sourcemaps" }),
  "POST /api/workspaces/:workspace/sourcemaps": () => ({ path: "/sourcemaps", body: { functionName: "f", file: "index.mjs", map: '{"version":3,"sources":[],"names":[],"mappings":""}' } }),
  "GET /api/workspaces/:workspace/subscriptions": () => ({ path: "/subscriptions" }),
  "GET /api/workspaces/:workspace/warnings": () => ({ path: "/warnings" }),
  "POST /api/workspaces/:workspace/warnings/:warning/retry": (v) => ({ path: `/warnings/${v.warningId}/retry` }),
  // Alerts (test/alerts/alerts.test.ts checks them with the victim's own alert ids too).
  "GET /api/workspaces/:workspace/alerts/destinations": () => ({ path: "/alerts/destinations" }),
  "POST /api/workspaces/:workspace/alerts/destinations": () => ({ path: "/alerts/destinations", body: { type: "email", name: "x", allMembers: true } }),
  "GET /api/workspaces/:workspace/alerts/destinations/:destination": (v) => ({ path: `/alerts/destinations/${v.ruleId}` }),
  "PATCH /api/workspaces/:workspace/alerts/destinations/:destination": (v) => ({ path: `/alerts/destinations/${v.ruleId}`, body: { name: "x" } }),
  "DELETE /api/workspaces/:workspace/alerts/destinations/:destination": (v) => ({ path: `/alerts/destinations/${v.ruleId}` }),
  "POST /api/workspaces/:workspace/alerts/destinations/:destination/test": (v) => ({ path: `/alerts/destinations/${v.ruleId}/test`, body: {} }),
  "POST /api/workspaces/:workspace/alerts/destinations/:destination/rotate-secret": (v) => ({ path: `/alerts/destinations/${v.ruleId}/rotate-secret`, body: {} }),
  "GET /api/workspaces/:workspace/alerts/rules": () => ({ path: "/alerts/rules" }),
  "POST /api/workspaces/:workspace/alerts/rules": (v) => ({ path: "/alerts/rules", body: { events: ["issue.new"], destinations: [v.ruleId] } }),
  "GET /api/workspaces/:workspace/alerts/rules/:rule": (v) => ({ path: `/alerts/rules/${v.ruleId}` }),
  "PATCH /api/workspaces/:workspace/alerts/rules/:rule": (v) => ({ path: `/alerts/rules/${v.ruleId}`, body: { enabled: false } }),
  "DELETE /api/workspaces/:workspace/alerts/rules/:rule": (v) => ({ path: `/alerts/rules/${v.ruleId}` }),
  "GET /api/workspaces/:workspace/alerts/deliveries": () => ({ path: "/alerts/deliveries" }),
  "GET /api/workspaces/:workspace/alerts/slack": () => ({ path: "/alerts/slack" }),
  "DELETE /api/workspaces/:workspace/alerts/slack": () => ({ path: "/alerts/slack" }),
  "POST /api/workspaces/:workspace/alerts/slack/install": () => ({ path: "/alerts/slack/install", body: {} }),
  "GET /api/workspaces/:workspace/alerts/slack/channels": () => ({ path: "/alerts/slack/channels" }),
  "GET /api/workspaces/:workspace/usage": () => ({ path: "/usage" }),
  "POST /api/workspaces/:workspace/usage/refresh": () => ({ path: "/usage/refresh" }),
  "GET /api/workspaces/:workspace/billing": () => ({ path: "/billing" }),
  "POST /api/workspaces/:workspace/billing/checkout": () => ({ path: "/billing/checkout", body: { successUrl: "http://localhost/", cancelUrl: "http://localhost/" } }),
  "POST /api/workspaces/:workspace/billing/portal": () => ({ path: "/billing/portal", body: { returnUrl: "http://localhost/" } }),
};

export function declaredWorkspaceRoutes(): string[] {
  const seen = new Set<string>();
  for (const r of createApi().routes) {
    if (r.method === "ALL") continue;
    const path = r.path.replace(/\/$/, "");
    if (path.startsWith("/api/workspaces/:workspace")) seen.add(`${r.method} ${path}`);
  }
  return [...seen].sort();
}

async function snapshot(token: string, wsId: string, functionId?: string) {
  const [payloads, settings, invocations] = await Promise.all([
    call("GET", `/api/workspaces/${wsId}/payloads`, { token }),
    call("GET", `/api/workspaces/${wsId}/settings`, { token }),
    functionId ? call("GET", `/api/workspaces/${wsId}/functions/${functionId}/invocations?limit=100`, { token }) : undefined,
  ]);
  const [ws, members, invitations, audit, accounts, stages, issues, rules, sourcemaps, warnings] = await Promise.all([
    call("GET", `/api/workspaces/${wsId}`, { token }),
    call("GET", `/api/workspaces/${wsId}/members`, { token }),
    call("GET", `/api/workspaces/${wsId}/invitations`, { token }),
    call("GET", `/api/workspaces/${wsId}/audit?limit=200`, { token }),
    call("GET", `/api/workspaces/${wsId}/accounts`, { token }),
    call("GET", `/api/workspaces/${wsId}/stages`, { token }),
    Promise.all(["active", "resolved", "ignored"].map((s) => call("GET", `/api/workspaces/${wsId}/issues?status=${s}`, { token }))),
    call("GET", `/api/workspaces/${wsId}/fingerprint-rules`, { token }),
    call("GET", `/api/workspaces/${wsId}/sourcemaps`, { token }),
    call("GET", `/api/workspaces/${wsId}/warnings`, { token }),
  ]);
  return {
    ws: ws.body,
    members: members.body,
    invitations: invitations.body,
    audit: audit.body,
    accounts: accounts.body,
    stages: stages.body,
    issues: issues.map((r) => r.body),
    rules: rules.body,
    sourcemaps: sourcemaps.body,
    warnings: warnings.body,
    payloads: payloads.body,
    settings: settings.body,
    invocations: invocations?.body,
  };
}

describe("tenant isolation", () => {
  it("the route table covers every workspace route", () => {
    expect(declaredWorkspaceRoutes()).toEqual(Object.keys(workspaceRouteCases).sort());
  });

  it("a non-member gets 404 on every workspace route, by id and by slug, and nothing changes", async () => {
    const owner = await signIn(randomEmail("victim"));
    const ws = await createWorkspace(owner.token, "Victim Co");
    const memberEmail = randomEmail("victim-member");
    await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: memberEmail } });
    await acceptInvitations((await signIn(memberEmail)).token);
    const inv = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: randomEmail("pending") } });
    const members = await call("GET", `/api/workspaces/${ws.id}/members`, { token: owner.token });
    const seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    const connection = await connectAccount(owner.token, ws.slug, seed.accountId);
    const stages = await call("GET", `/api/workspaces/${ws.id}/stages`, { token: owner.token });
    expect(stages.body.length).toBeGreaterThan(0);
    const fn = seed.functions.find((f) => !f.live && f.sst === "v3")!;
    const stage = stages.body.find((s: { app: string; name: string }) => s.app === fn.app && s.name === fn.stage);
    const requestId = "6f1b2c3d-0000-4000-8000-000000000001";
    const payload = {
      messageType: "DATA_MESSAGE",
      owner: seed.accountId,
      logGroup: fn.logGroup,
      logStream: "2026/11/22/[$LATEST]abc",
      subscriptionFilters: [`console-${connection.id}-${fn.region}`],
      logEvents: [
        {
          id: "37000000000000000000000000000000000000000000000000000001",
          timestamp: Date.now(),
          message: `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t{"errorType":"VictimError","errorMessage":"secret","stack":["VictimError: secret","    at handler (/var/task/index.mjs:1:10)"]}`,
        },
      ],
    };
    const ingested = await Ingest.batch([{ id: "1", data: gzipSync(JSON.stringify(payload)) }]);
    expect(ingested.stats.stored).toBe(1);
    const issue = (await call("GET", `/api/workspaces/${ws.id}/issues?stage=${stage.id}`, { token: owner.token })).body.issues[0];
    const detail = await call("GET", `/api/workspaces/${ws.id}/issues/${issue.id}`, { token: owner.token });
    const rule = await call("POST", `/api/workspaces/${ws.id}/fingerprint-rules`, { token: owner.token, body: { match: { type: "VictimError" }, fingerprint: ["victim"] } });
    expect(rule.status).toBe(201);
    await Actor.system("test", { id: ws.id, slug: ws.slug }, () =>
      Warning.set({ type: "subscription_failed", target: "fn-x", stageId: stage.id, message: "test warning" }),
    );
    const warnings = await call("GET", `/api/workspaces/${ws.id}/warnings`, { token: owner.token });
    const stageDetail = await call("GET", `/api/workspaces/${ws.id}/stages/${stage.id}`, { token: owner.token });
    const functionId = stageDetail.body.functions[0].id;
    const saved = await call("POST", `/api/workspaces/${ws.id}/payloads`, { token: owner.token, body: { name: "victim payload", payload: { secret: "VictimError" } } });
    expect(saved.status).toBe(201);
    const invoked = await call("POST", `/api/workspaces/${ws.id}/functions/${functionId}/invoke`, { token: owner.token, body: { payload: { secret: "VictimError" } } });
    expect(invoked.status).toBe(200);
    const deploys = await call("GET", `/api/workspaces/${ws.id}/stages/${stage.id}/deploys`, { token: owner.token });
    expect(deploys.body.deploys.length).toBeGreaterThan(0);
    const victim: Victim = {
      functionId,
      payloadId: saved.body.id,
      invocationId: invoked.body.invocationId,
      ws,
      memberId: members.body.find((m: { email: string }) => m.email === memberEmail).id,
      invitationId: inv.body.id,
      accountId: connection.id,
      stageId: stage.id,
      issueId: issue.id,
      occurrenceId: detail.body.occurrences[0].id,
      ruleId: rule.body.id,
      warningId: warnings.body[0].id,
      deployId: deploys.body.deploys[0].id,
      appId: stage.appId,
    };

    const attacker = await signIn(randomEmail("attacker"));
    const own = await createWorkspace(attacker.token, "Attacker Co");
    const before = await snapshot(owner.token, ws.id, victim.functionId);

    for (const [key, build] of Object.entries(workspaceRouteCases)) {
      const method = key.split(" ")[0]!;
      for (const ref of [ws.id, ws.slug]) {
        const { path, body } = build(victim);
        const res = await call(method, `/api/workspaces/${ref}${path}`, { token: attacker.token, body });
        expect(res.status, `${key} with ${ref}`).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
      // The attacker's own workspace in the path, with the victim's ids after it, reaches nothing either.
      const { path, body } = build(victim);
      const victimIds = [victim.functionId, victim.payloadId, victim.invocationId, victim.memberId, victim.invitationId, victim.accountId, victim.stageId, victim.issueId, victim.occurrenceId, victim.ruleId, victim.warningId, victim.deployId, victim.appId];
      if (victimIds.some((id) => JSON.stringify({ path, body }).includes(id))) {
        const res = await call(method, `/api/workspaces/${own.id}${path}`, { token: attacker.token, body });
        // Either refused, or answered from the attacker's own (empty) workspace, with nothing of the victim's.
        if (res.status === 200 || res.status === 201) {
          const text = JSON.stringify(res.body);
          expect(text, `${key} via own workspace`).not.toContain("VictimError");
          for (const id of victimIds.filter((id) => !JSON.stringify({ path, body }).includes(id))) expect(text).not.toContain(id);
        } else expect([400, 403, 404], `${key} via own workspace`).toContain(res.status);
      }
    }
    await Bus.idle();
    expect(await snapshot(owner.token, ws.id, victim.functionId)).toEqual(before);
  });

  it("a member without the admin role cannot manage AWS accounts", async () => {
    const owner = await signIn(randomEmail("owner"));
    const ws = await createWorkspace(owner.token);
    const email = randomEmail("member");
    await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
    const member = await signIn(email);
    await acceptInvitations(member.token);
    const created = await call("POST", `/api/workspaces/${ws.id}/accounts`, { token: owner.token, body: {} });
    const id = created.body.account.id;
    for (const [method, path, body] of [
      ["POST", "/accounts", {}],
      ["POST", "/accounts/demo", undefined],
      ["GET", `/accounts/${id}/connect`, undefined],
      ["POST", `/accounts/${id}/check`, { accountId: "123456789012" }],
      ["POST", `/accounts/${id}/scan`, undefined],
      ["DELETE", `/accounts/${id}`, undefined],
    ] as const) {
      const res = await call(method, `/api/workspaces/${ws.id}${path}`, { token: member.token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await call("GET", `/api/workspaces/${ws.id}/accounts`, { token: member.token })).body).toHaveLength(1);
    expect((await call("GET", `/api/workspaces/${ws.id}/accounts/${id}`, { token: member.token })).body.status).toBe("connecting");
  });
});
