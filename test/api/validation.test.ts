/**
 * Route input is validated at the HTTP edge with the domains' schemas: a 400
 * `validation` error whose `details` name the fields (`[{ path, message }]`, what the web
 * app's `fieldErrors` reads), the same rules for JSON bodies everywhere (415 when not
 * JSON, `bad_request` when it does not parse, an empty body is `{}`), and the checks of
 * who may call a route still come first where they did.
 */
import { describe, expect, it } from "vitest";
import { acceptInvitations, call, createWorkspace, expectError, randomEmail, requestCode, signIn } from "../setup/api";

async function setup() {
  const owner = await signIn(randomEmail("owner"));
  const ws = await createWorkspace(owner.token);
  return { token: owner.token, ws };
}

describe("validation at the edge", () => {
  it("names the fields of a bad body in details", async () => {
    const { token } = await setup();
    const res = await call("POST", "/api/workspaces", { token, body: { name: "", slug: "Has Spaces" } });
    expectError(res, 400, "validation");
    expect(res.body.error.details).toEqual([
      { path: "name", message: "Give the workspace a name" },
      { path: "slug", message: expect.any(String) },
    ]);
    expect(res.body.error.message).toBe("name: Give the workspace a name");
  });

  it("POST /accounts validates its body instead of defaulting", async () => {
    const { token, ws } = await setup();
    const base = `/api/workspaces/${ws.slug}/accounts`;
    const bad = await call("POST", base, { token, body: { method: "carrier-pigeon" } });
    expectError(bad, 400, "validation");
    expect(bad.body.error.details[0].path).toBe("method");
    // The demo account has a route of its own.
    expectError(await call("POST", base, { token, body: { method: "demo" } }), 400, "validation");
    expectError(await call("POST", base, { token, rawBody: "{method:", headers: { "content-type": "application/json" } }), 400, "bad_request");
    expectError(await call("POST", base, { token, rawBody: "method=manual", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");

    const manual = await call("POST", base, { token, body: { method: "manual" } });
    expect(manual.status).toBe(201);
    expect(manual.body.account.method).toBe("manual");
    const defaulted = await call("POST", base, { token, body: {} });
    expect(defaulted.status).toBe(201);
    expect(defaulted.body.account.method).toBe("stack");
    const empty = await call("POST", base, { token, rawBody: "", headers: { "content-type": "application/json" } });
    expect(empty.status).toBe(201);
    expect(empty.body.account.method).toBe("stack");
    // Nothing was created by the refused calls.
    expect((await call("GET", base, { token })).body).toHaveLength(3);
  });

  it("validates query strings and path parameters", async () => {
    const { token, ws } = await setup();
    const base = `/api/workspaces/${ws.slug}`;
    const status = await call("GET", `${base}/issues?status=open`, { token });
    expectError(status, 400, "validation");
    expect(status.body.error.details[0].path).toBe("status");
    expectError(await call("GET", `${base}/issues?limit=0`, { token }), 400, "validation");
    expectError(await call("GET", `${base}/issues?limit=ten`, { token }), 400, "validation");
    // An empty filter means "all", as before.
    const all = await call("GET", `${base}/issues?status=active&stage=&function=&before=`, { token });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ issues: [], next: null });
    expect((await call("GET", `${base}/issues/counts?stage=`, { token })).body).toEqual({ active: 0, resolved: 0, ignored: 0 });

    const created = await call("POST", `${base}/accounts`, { token, body: {} });
    const variant = await call("GET", `${base}/accounts/${created.body.account.id}/connect?variant=root`, { token });
    expectError(variant, 400, "validation");
    expect(variant.body.error.message).toBe("variant: must be one of least, readonly, admin");
    expectError(await call("GET", "/api/template?variant=root"), 400, "validation");

    const long = "x".repeat(65);
    const param = await call("GET", `${base}/accounts/${long}`, { token });
    expectError(param, 400, "validation");
    expect(param.body.error.details[0].path).toBe("account");
    expectError(await call("GET", `${base}/accounts/unknown`, { token }), 404, "not_found");
  });

  it("reads a numeric sign-in code with its leading zeros", async () => {
    const email = randomEmail("numeric");
    const challenge = await requestCode(email);
    // 000123 typed as a number arrives as 123: it is checked as "000123" (a wrong code, not a malformed one).
    expectError(await call("POST", "/api/auth/verify", { body: { email, code: 123, challenge } }), 400, "invalid_code");
    expectError(await call("POST", "/api/auth/verify", { body: { email, code: 1234567, challenge } }), 400, "validation");
  });

  it("checks who may read the audit log before what they asked", async () => {
    const { token, ws } = await setup();
    const email = randomEmail("member");
    await call("POST", `/api/workspaces/${ws.id}/members`, { token, body: { email, role: "member" } });
    const member = await signIn(email);
    await acceptInvitations(member.token);
    expectError(await call("GET", `/api/workspaces/${ws.id}/audit?limit=0`, { token: member.token }), 403, "forbidden");
    expectError(await call("GET", `/api/workspaces/${ws.id}/audit?limit=0`, { token }), 400, "validation");
  });
});
