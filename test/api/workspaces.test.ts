import { describe, expect, it } from "vitest";
import { call, createWorkspace, expectError, signIn } from "../setup/api";

describe("workspaces", () => {
  it("creates a workspace with a derived slug; the creator is owner", async () => {
    const { token } = await signIn();
    const res = await call("POST", "/api/workspaces", { token, body: { name: "Acme Payments Team" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "Acme Payments Team", role: "owner" });
    expect(res.body.slug).toMatch(/^acme-payments-team/);
    expect(res.body.id).toMatch(/^[0-9a-z]{26}$/);
    const list = await call("GET", "/api/workspaces", { token });
    expect(list.body.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
    const me = await call("GET", "/api/me", { token });
    expect(me.body.workspaces).toHaveLength(1);
    const byId = await call("GET", `/api/workspaces/${res.body.id}`, { token });
    const bySlug = await call("GET", `/api/workspaces/${res.body.slug}`, { token });
    expect(byId.body).toEqual(bySlug.body);
  });

  it("refuses a duplicate slug and changes nothing", async () => {
    const a = await signIn();
    const b = await signIn();
    const slug = `dup-${Date.now().toString(36)}`;
    expect((await call("POST", "/api/workspaces", { token: a.token, body: { name: "One", slug } })).status).toBe(201);
    expectError(await call("POST", "/api/workspaces", { token: b.token, body: { name: "Two", slug } }), 409, "slug_taken");
    expect((await call("GET", "/api/workspaces", { token: b.token })).body).toEqual([]);
    // Without an explicit slug, a taken derived slug gets a suffix instead.
    const derived = await call("POST", "/api/workspaces", { token: b.token, body: { name: slug } });
    expect(derived.status).toBe(201);
    expect(derived.body.slug).not.toBe(slug);
  });

  it("validates names and slugs", async () => {
    const { token } = await signIn();
    expectError(await call("POST", "/api/workspaces", { token, body: { name: "" } }), 400, "validation");
    expectError(await call("POST", "/api/workspaces", { token, body: { name: "x".repeat(101) } }), 400, "validation");
    expectError(await call("POST", "/api/workspaces", { token, body: { name: "Ok", slug: "Has Spaces" } }), 400, "validation");
    expectError(await call("POST", "/api/workspaces", { token, body: { name: "Ok", slug: "-dash" } }), 400, "validation");
    expectError(await call("POST", "/api/workspaces", { token, body: { name: "Ok", slug: "api" } }), 400, "validation");
    expectError(await call("POST", "/api/workspaces", { token, rawBody: "{name:", headers: { "content-type": "application/json" } }), 400, "bad_request");
    expectError(await call("POST", "/api/workspaces", { token, body: { name: "x", pad: "y".repeat(65 * 1024) } }), 413, "payload_too_large");
    expect((await call("GET", "/api/workspaces", { token })).body).toEqual([]);
  });

  it("renames, changes slug and deletes (owner); the audit log records it", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token, "Old Name");
    const renamed = await call("PATCH", `/api/workspaces/${ws.id}`, { token, body: { name: "New Name", slug: `new-${ws.id.slice(-8)}` } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "New Name", slug: `new-${ws.id.slice(-8)}` });
    expectError(await call("PATCH", `/api/workspaces/${ws.id}`, { token, body: {} }), 400, "validation");
    const audit = await call("GET", `/api/workspaces/${ws.id}/audit`, { token });
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(["workspace.update", "workspace.create"]);
    expect(audit.body.entries[0].actor.email).toBeTruthy();
    expect((await call("DELETE", `/api/workspaces/${ws.id}`, { token })).status).toBe(200);
    expectError(await call("GET", `/api/workspaces/${ws.id}`, { token }), 404, "not_found");
    expect((await call("GET", "/api/workspaces", { token })).body).toEqual([]);
    // The slug is free again.
    const again = await call("POST", "/api/workspaces", { token, body: { name: "Again", slug: `new-${ws.id.slice(-8)}` } });
    expect(again.status).toBe(201);
  });

  it("pages the audit log", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    for (let i = 0; i < 5; i++) await call("PATCH", `/api/workspaces/${ws.id}`, { token, body: { name: `Name ${i}` } });
    const first = await call("GET", `/api/workspaces/${ws.slug}/audit?limit=4`, { token });
    expect(first.body.entries).toHaveLength(4);
    expect(first.body.next).toBeTruthy();
    const second = await call("GET", `/api/workspaces/${ws.slug}/audit?limit=4&before=${first.body.next}`, { token });
    expect(second.body.entries).toHaveLength(2);
    expect(second.body.next).toBeNull();
    expect(second.body.entries.at(-1).action).toBe("workspace.create");
    expectError(await call("GET", `/api/workspaces/${ws.slug}/audit?limit=0`, { token }), 400, "validation");
  });
});
