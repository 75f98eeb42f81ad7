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
import { call, createWorkspace, randomEmail, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";
import { seedDemoAccount } from "../../packages/functions/src/local/demo/seed";

interface Victim {
  ws: { id: string; slug: string };
  memberId: string;
  invitationId: string;
  accountId: string;
  stageId: string;
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
  "GET /api/workspaces/:workspace/accounts": () => ({ path: "/accounts" }),
  "POST /api/workspaces/:workspace/accounts": () => ({ path: "/accounts", body: {} }),
  "POST /api/workspaces/:workspace/accounts/demo": () => ({ path: "/accounts/demo" }),
  "GET /api/workspaces/:workspace/accounts/:account": (v) => ({ path: `/accounts/${v.accountId}` }),
  "GET /api/workspaces/:workspace/accounts/:account/connect": (v) => ({ path: `/accounts/${v.accountId}/connect` }),
  "POST /api/workspaces/:workspace/accounts/:account/check": (v) => ({ path: `/accounts/${v.accountId}/check`, body: { accountId: "123456789012" } }),
  "POST /api/workspaces/:workspace/accounts/:account/scan": (v) => ({ path: `/accounts/${v.accountId}/scan` }),
  "DELETE /api/workspaces/:workspace/accounts/:account": (v) => ({ path: `/accounts/${v.accountId}` }),
  "GET /api/workspaces/:workspace/stages": () => ({ path: "/stages" }),
  "GET /api/workspaces/:workspace/stages/:stage": (v) => ({ path: `/stages/${v.stageId}` }),
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

async function snapshot(token: string, wsId: string) {
  const [ws, members, invitations, audit, accounts, stages] = await Promise.all([
    call("GET", `/api/workspaces/${wsId}`, { token }),
    call("GET", `/api/workspaces/${wsId}/members`, { token }),
    call("GET", `/api/workspaces/${wsId}/invitations`, { token }),
    call("GET", `/api/workspaces/${wsId}/audit?limit=200`, { token }),
    call("GET", `/api/workspaces/${wsId}/accounts`, { token }),
    call("GET", `/api/workspaces/${wsId}/stages`, { token }),
  ]);
  return { ws: ws.body, members: members.body, invitations: invitations.body, audit: audit.body, accounts: accounts.body, stages: stages.body };
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
    await signIn(memberEmail);
    const inv = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: randomEmail("pending") } });
    const members = await call("GET", `/api/workspaces/${ws.id}/members`, { token: owner.token });
    const seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    const connection = await connectAccount(owner.token, ws.slug, seed.accountId);
    const stages = await call("GET", `/api/workspaces/${ws.id}/stages`, { token: owner.token });
    expect(stages.body.length).toBeGreaterThan(0);
    const victim: Victim = {
      ws,
      memberId: members.body.find((m: { email: string }) => m.email === memberEmail).id,
      invitationId: inv.body.id,
      accountId: connection.id,
      stageId: stages.body[0].id,
    };

    const attacker = await signIn(randomEmail("attacker"));
    const own = await createWorkspace(attacker.token, "Attacker Co");
    const before = await snapshot(owner.token, ws.id);

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
      if (path.split("/").length > 2) {
        const res = await call(method, `/api/workspaces/${own.id}${path}`, { token: attacker.token, body });
        expect([403, 404], `${key} via own workspace`).toContain(res.status);
      }
    }
    await Bus.idle();
    expect(await snapshot(owner.token, ws.id)).toEqual(before);
  });

  it("a member without the admin role cannot manage AWS accounts", async () => {
    const owner = await signIn(randomEmail("owner"));
    const ws = await createWorkspace(owner.token);
    const email = randomEmail("member");
    await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
    const member = await signIn(email);
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
