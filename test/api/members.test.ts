import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { Email } from "../../packages/core/src/email";
import { invitationTable } from "../../packages/core/src/member/member.sql";
import { call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";

async function setup(name?: string) {
  const owner = await signIn(randomEmail("owner"));
  const ws = await createWorkspace(owner.token, name);
  return { owner, ws };
}

/** Invites a new person, who signs in and accepts. */
async function join(token: string, wsId: string, role: "owner" | "admin" | "member" = "member") {
  const email = randomEmail(role);
  const invited = await call("POST", `/api/workspaces/${wsId}/members`, { token, body: { email, role } });
  if (invited.status !== 201) throw new Error(JSON.stringify(invited.body));
  const user = await signIn(email);
  const accepted = await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: user.token, body: {} });
  if (accepted.status !== 200) throw new Error(JSON.stringify(accepted.body));
  const members = await call("GET", `/api/workspaces/${wsId}/members`, { token });
  const member = members.body.find((m: { email: string }) => m.email === email);
  return { ...user, memberId: member.id as string };
}

describe("members", () => {
  it("invites by email; the invitee sees the invitation after sign-in and joins by accepting it", async () => {
    const { owner, ws } = await setup();
    const email = randomEmail("invitee");
    const invited = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: email.toUpperCase(), role: "admin" } });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email, role: "admin", invitedBy: { email: owner.email } });
    const mail = Email.sent(email).at(-1)!;
    expect(mail.subject).toContain("Join");
    expect(mail.text).toContain(`/auth?email=${encodeURIComponent(email)}&next=%2Finvitations`);
    expect(mail.text).toContain("/invitations");
    const pending = await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token });
    expect(pending.body.map((i: { email: string }) => i.email)).toEqual([email]);
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: owner.email } }), 409, "already_member");
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: "bad" } }), 400, "validation");
    expectError(await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email, role: "god" } }), 400, "validation");

    // Signing in and loading the app joins nothing by itself.
    const invitee = await signIn(email);
    const me = await call("GET", "/api/me", { token: invitee.token });
    expect(me.body.workspaces).toEqual([]);
    expectError(await call("GET", `/api/workspaces/${ws.id}`, { token: invitee.token }), 404, "not_found");
    const mine = await call("GET", "/api/invitations", { token: invitee.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([
      expect.objectContaining({
        id: invited.body.id,
        role: "admin",
        workspace: { id: ws.id, slug: ws.slug, name: ws.name },
        invitedBy: { email: owner.email },
      }),
    ]);

    const accepted = await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: invitee.token, body: {} });
    expect(accepted.status).toBe(200);
    expect(accepted.body.workspace).toMatchObject({ id: ws.id, slug: ws.slug, role: "admin" });
    expect((await call("GET", "/api/me", { token: invitee.token })).body.workspaces).toEqual([expect.objectContaining({ id: ws.id, role: "admin" })]);
    expect((await call("GET", "/api/invitations", { token: invitee.token })).body).toEqual([]);
    expectError(await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: invitee.token, body: {} }), 404, "not_found");
    expect((await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token })).body).toEqual([]);
    const members = await call("GET", `/api/workspaces/${ws.id}/members`, { token: invitee.token });
    expect(members.body.map((m: { email: string; role: string }) => [m.email, m.role]).sort()).toEqual(
      [[owner.email, "owner"], [email, "admin"]].sort(),
    );
    const audit = await call("GET", `/api/workspaces/${ws.id}/audit`, { token: owner.token });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(["member.join", "member.invite", "workspace.create"]);
  });

  it("the invitee may decline; only the invitee can answer an invitation", async () => {
    const { owner, ws } = await setup();
    const email = randomEmail("invitee");
    const invited = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
    const other = await signIn();
    // Someone else, even the inviter, cannot accept or decline it for the invitee.
    expectError(await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: other.token, body: {} }), 404, "not_found");
    expectError(await call("POST", `/api/invitations/${invited.body.id}/decline`, { token: owner.token, body: {} }), 404, "not_found");
    expect((await call("GET", "/api/invitations", { token: other.token })).body).toEqual([]);
    expectError(await call("GET", "/api/invitations"), 401, "unauthorized");

    const invitee = await signIn(email);
    const declined = await call("POST", `/api/invitations/${invited.body.id}/decline`, { token: invitee.token, body: {} });
    expect(declined.status).toBe(200);
    expect((await call("GET", "/api/invitations", { token: invitee.token })).body).toEqual([]);
    expect((await call("GET", "/api/me", { token: invitee.token })).body.workspaces).toEqual([]);
    expectError(await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: invitee.token, body: {} }), 404, "not_found");
    expect((await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token })).body).toEqual([]);
    const audit = await call("GET", `/api/workspaces/${ws.id}/audit`, { token: owner.token });
    expect(audit.body.entries[0]).toMatchObject({ action: "member.invite.decline", actor: { email }, target: { label: email } });
  });

  it("an expired invitation, or one of a deleted workspace, cannot be accepted", async () => {
    const { owner, ws } = await setup();
    const late = randomEmail("late");
    const expired = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: late } });
    await Database.use((db) => db.update(invitationTable).set({ timeExpires: new Date(Date.now() - 1000) }).where(eq(invitationTable.email, late)));
    const lateUser = await signIn(late);
    expect((await call("GET", "/api/invitations", { token: lateUser.token })).body).toEqual([]);
    expectError(await call("POST", `/api/invitations/${expired.body.id}/accept`, { token: lateUser.token, body: {} }), 404, "not_found");

    const email = randomEmail("invitee");
    const invited = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
    const invitee = await signIn(email);
    expect((await call("GET", "/api/invitations", { token: invitee.token })).body).toHaveLength(1);
    expect((await call("DELETE", `/api/workspaces/${ws.id}`, { token: owner.token })).status).toBe(200);
    expect((await call("GET", "/api/invitations", { token: invitee.token })).body).toEqual([]);
    expectError(await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: invitee.token, body: {} }), 404, "not_found");
  });

  it("names in invitation emails are one capped line, with links neutralised", async () => {
    const hostile = "Acme\r\nBcc: victim@example.org\n\nLocked: https://evil.example/login \u202Egnp.exe www.phish.test";
    const { owner, ws } = await setup(hostile);
    const email = randomEmail("invitee");
    expect((await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } })).status).toBe(201);
    const mail = Email.sent(email).at(-1)!;
    expect(mail.subject).not.toMatch(/[\r\n\u202E]/);
    expect(mail.subject.length).toBeLessThanOrEqual(100);
    expect(mail.subject).toMatch(/^Join Acme Bcc: /);
    for (const text of [mail.subject, mail.text]) {
      expect(text).not.toContain("https://evil.example");
      expect(text).not.toContain("evil.example/");
      expect(text).not.toContain("www.phish.test");
      expect(text).not.toContain("\u202E");
    }
    // The name stays on one line of the body, and the only links are the console's own.
    const nameLines = mail.text.split("\n").filter((l) => l.includes("Acme"));
    expect(nameLines).toHaveLength(1);
    expect(nameLines[0]).not.toContain("victim@example.org\n");
    const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith("http://localhost:")).toBe(true);
  });

  it("invitations are rate limited per workspace and per invitee", async () => {
    const { owner, ws } = await setup();
    const again = randomEmail("again");
    const repeats: number[] = [];
    for (let i = 0; i < 4; i++) repeats.push((await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: again } })).status);
    expect(repeats).toEqual([201, 201, 201, 429]);
    expect(Email.sent(again)).toHaveLength(3);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: randomEmail() } })).status);
    }
    // 3 went to `again` (the refused one is counted too): 20 an hour per workspace in all.
    expect(statuses.filter((s) => s === 201)).toHaveLength(16);
    const limited = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email: randomEmail() } });
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another workspace is not held by this one's limit.
    const other = await createWorkspace(owner.token);
    expect((await call("POST", `/api/workspaces/${other.id}/members`, { token: owner.token, body: { email: randomEmail() } })).status).toBe(201);
  });

  it("revokes an invitation before it is used", async () => {
    const { owner, ws } = await setup();
    const email = randomEmail();
    const inv = await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
    expect((await call("DELETE", `/api/workspaces/${ws.id}/invitations/${inv.body.id}`, { token: owner.token })).status).toBe(200);
    expectError(await call("DELETE", `/api/workspaces/${ws.id}/invitations/${inv.body.id}`, { token: owner.token }), 404, "not_found");
    const invitee = await signIn(email);
    expect((await call("GET", "/api/invitations", { token: invitee.token })).body).toEqual([]);
    expectError(await call("POST", `/api/invitations/${inv.body.id}/accept`, { token: invitee.token, body: {} }), 404, "not_found");
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
