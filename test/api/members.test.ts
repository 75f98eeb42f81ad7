import { describe, expect, it } from "vitest";
import { Email } from "../../packages/core/src/email";
import { call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";

async function setup() {
  const owner = await signIn(randomEmail("owner"));
  const ws = await createWorkspace(owner.token);
  return { owner, ws };
}

async function join(token: string, wsId: string, role: "owner" | "admin" | "member" = "member") {
  const email = randomEmail(role);
  const invited = await call("POST", `/api/workspaces/${wsId}/members`, { token, body: { email, role } });
  if (invited.status !== 201) throw new Error(JSON.stringify(invited.body));
  const user = await signIn(email);
  const members = await call("GET", `/api/workspaces/${wsId}/members`, { token });
  const member = members.body.find((m: { email: string }) => m.email === email);
  return { ...user, memberId: member.id as string };
}

describe("members", () => {
  it("invites by email; the invitee joins on sign-in", async () => {
    const { owner, ws } = await setup();
    const email = randomEmail("invitee");
    const invited = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: email.toUpperCase(), role: "admin" } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, role: "admin", invitedBy: { email: owner.email } });
    const mail = Email.sent(email).at(-1)!;
    expect(mail.subject).toContain("Join");
    expect(mail.text).toContain("/auth?email=");
    const pending = await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token });
    expect(pending.body.map((i: { email: string }) => i.email)).toEqual([email]);
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: owner.email } }), 409, "already_member");
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: "bad" } }), 400, "validation");
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email, role: "god" } }), 400, "validation");

    const invitee = await signIn(email);
    const me = await call("GET", "/api/me", { token: invitee.token });
    expect(me.body.workspaces).toEqual([expect.objectContaining({ id: ws.id, role: "admin" })]);
    expect((await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token })).body).toEqual([]);
    const members = await call("GET", `/api/workspaces/${ws.id}/members`, { token: invitee.token });
    expect(members.body.map((m: { email: string; role: string }) => [m.email, m.role]).sort()).toEqual(
      [[owner.email, "owner"], [email, "admin"]].sort(),
    );
    const audit = await call("GET", `/api/workspaces/${ws.id}/audit`, { token: owner.token });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(["member.join", "member.invite", "workspace.create"]);
  });

  it("revokes an invitation before it is used", async () => {
    const { owner, ws } = await setup();
    const email = randomEmail();
    const inv = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
    expect((await call("DELETE", `/api/workspaces/${ws.id}/invitations/${inv.body.id}`, { token: owner.token })).status).toBe(200);
    expectError(await call("DELETE", `/api/workspaces/${ws.id}/invitations/${inv.body.id}`, { token: owner.token }), 404, "not_found");
    const invitee = await signIn(email);
    expect((await call("GET", "/api/me", { token: invitee.token })).body.workspaces).toEqual([]);
  });

  it("changes roles; only owners grant or take owner; the last owner stays", async () => {
    const { owner, ws } = await setup();
    const admin = await join(owner.token, ws.id, "admin");
    const member = await join(owner.token, ws.id, "member");
    const me = await call("GET", `/api/workspaces/${ws.id}/members`, { token: owner.token });
    const ownerMemberId = me.body.find((m: { email: string }) => m.email === owner.email).id;

    const promoted = await call("PATCH", `/api/workspaces/${ws.id}/members/${member.memberId}`, { token: admin.token, body: { role: "admin" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role).toBe("admin");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}/members/${member.memberId}`, { token: admin.token, body: { role: "owner" } }), 403, "forbidden");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}/members/${ownerMemberId}`, { token: admin.token, body: { role: "member" } }), 403, "forbidden");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}/members/${ownerMemberId}`, { token: owner.token, body: { role: "admin" } }), 409, "last_owner");
    expectError(await call("DELETE", `/api/workspaces/${ws.id}/members/${ownerMemberId}`, { token: owner.token }), 409, "last_owner");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}/members/${member.memberId}`, { token: owner.token, body: { role: "boss" } }), 400, "validation");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}/members/01aaaaaaaaaaaaaaaaaaaaaaaa`, { token: owner.token, body: { role: "admin" } }), 404, "not_found");

    expect((await call("PATCH", `/api/workspaces/${ws.id}/members/${admin.memberId}`, { token: owner.token, body: { role: "owner" } })).status).toBe(200);
    expect((await call("PATCH", `/api/workspaces/${ws.id}/members/${ownerMemberId}`, { token: owner.token, body: { role: "member" } })).status).toBe(200);
    const after = await call("GET", `/api/workspaces/${ws.id}/members`, { token: admin.token });
    expect(after.body.find((m: { email: string }) => m.email === owner.email).role).toBe("member");
  });

  it("a member cannot manage members, the audit log, or the workspace", async () => {
    const { owner, ws } = await setup();
    const member = await join(owner.token, ws.id, "member");
    const admin = await join(owner.token, ws.id, "admin");
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: member.token, body: { email: randomEmail() } }), 403, "forbidden");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}/members/${admin.memberId}`, { token: member.token, body: { role: "member" } }), 403, "forbidden");
    expectError(await call("DELETE", `/api/workspaces/${ws.id}/members/${admin.memberId}`, { token: member.token }), 403, "forbidden");
    expectError(await call("GET", `/api/workspaces/${ws.id}/audit`, { token: member.token }), 403, "forbidden");
    expectError(await call("PATCH", `/api/workspaces/${ws.id}`, { token: member.token, body: { name: "Mine" } }), 403, "forbidden");
    expectError(await call("DELETE", `/api/workspaces/${ws.id}`, { token: member.token }), 403, "forbidden");
    expectError(await call("DELETE", `/api/workspaces/${ws.id}`, { token: admin.token }), 403, "forbidden");
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: admin.token, body: { email: randomEmail(), role: "owner" } }), 403, "forbidden");
    // Reading is fine for members.
    expect((await call("GET", `/api/workspaces/${ws.id}/members`, { token: member.token })).status).toBe(200);
    expect((await call("GET", `/api/workspaces/${ws.id}`, { token: owner.token })).body.name).toBe(ws.name);
    expect((await call("GET", `/api/workspaces/${ws.id}/members`, { token: owner.token })).body).toHaveLength(3);
  });

  it("removing a member takes their access away at once; members can leave", async () => {
    const { owner, ws } = await setup();
    const member = await join(owner.token, ws.id);
    const leaver = await join(owner.token, ws.id);
    expect((await call("GET", `/api/workspaces/${ws.slug}`, { token: member.token })).status).toBe(200);
    expect((await call("DELETE", `/api/workspaces/${ws.id}/members/${member.memberId}`, { token: owner.token })).status).toBe(200);
    expectError(await call("GET", `/api/workspaces/${ws.slug}`, { token: member.token }), 404, "not_found");
    expectError(await call("GET", `/api/workspaces/${ws.id}/members`, { token: member.token }), 404, "not_found");
    expect((await call("GET", "/api/me", { token: member.token })).body.workspaces).toEqual([]);
    expect((await call("DELETE", `/api/workspaces/${ws.id}/members/${leaver.memberId}`, { token: leaver.token })).status).toBe(200);
    expect((await call("GET", "/api/workspaces", { token: leaver.token })).body).toEqual([]);
    const audit = await call("GET", `/api/workspaces/${ws.id}/audit`, { token: owner.token });
    expect(audit.body.entries.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(["member.leave", "member.remove"]);
  });
});
