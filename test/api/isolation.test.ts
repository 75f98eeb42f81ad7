/**
 * Tenant isolation: every route under /api/workspaces/:workspace, called by a
 * signed-in user who is not a member, with the other workspace's id or slug,
 * answers 404 and changes nothing. The route table below must cover every such
 * route the app has (checked against the app's own route list), so a new route
 * cannot skip this test.
 */
import { describe, expect, it } from "vitest";
import { createApi } from "../../packages/functions/src/api";
import { call, createWorkspace, randomEmail, signIn } from "../setup/api";

interface Victim {
  ws: { id: string; slug: string };
  memberId: string;
  invitationId: string;
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
  const [ws, members, invitations, audit] = await Promise.all([
    call("GET", `/api/workspaces/${wsId}`, { token }),
    call("GET", `/api/workspaces/${wsId}/members`, { token }),
    call("GET", `/api/workspaces/${wsId}/invitations`, { token }),
    call("GET", `/api/workspaces/${wsId}/audit?limit=200`, { token }),
  ]);
  return { ws: ws.body, members: members.body, invitations: invitations.body, audit: audit.body };
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
    const victim: Victim = {
      ws,
      memberId: members.body.find((m: { email: string }) => m.email === memberEmail).id,
      invitationId: inv.body.id,
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
    expect(await snapshot(owner.token, ws.id)).toEqual(before);
  });
});
