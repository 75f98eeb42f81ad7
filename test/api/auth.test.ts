import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { signInCodeTable, sessionTable } from "../../packages/core/src/auth/auth.sql";
import { Email } from "../../packages/core/src/email";
import { call, expectError, lastCode, randomEmail, randomIp, signIn } from "../setup/api";

describe("health", () => {
  it("answers when the database does", async () => {
    const res = await call("GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, database: "up" });
  });
});

describe("sign-in by email code", () => {
  it("emails a 6-digit code, stores only its hash, and signs in a new user", async () => {
    const email = randomEmail();
    const res = await call("POST", "/api/auth/code", { body: { email: email.toUpperCase() } });
    expect(res.status).toBe(202);
    const code = lastCode(email);
    expect(code).toMatch(/^\d{6}$/);
    const rows = await Database.use((db) => db.select().from(signInCodeTable).where(eq(signInCodeTable.email, email)));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(code);

    const verified = await call("POST", "/api/auth/verify", { body: { email, code } });
    expect(verified.status).toBe(200);
    expect(verified.body.token).toMatch(/^[\w-]{40,}$/);
    expect(verified.body.user.email).toBe(email);
    expect(verified.headers.get("set-cookie")).toMatch(/console_session=.*HttpOnly/i);

    const sessions = await Database.use((db) => db.select().from(sessionTable).where(eq(sessionTable.userId, verified.body.user.id)));
    expect(sessions[0]!.tokenHash).not.toBe(verified.body.token);

    const me = await call("GET", "/api/me", { token: verified.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email }, workspaces: [] });
  });

  it("signs in an existing user as the same user", async () => {
    const first = await signIn();
    const second = await signIn(first.email);
    expect(second.userId).toBe(first.userId);
    expect(second.token).not.toBe(first.token);
  });

  it("accepts the cookie the web app gets", async () => {
    const email = randomEmail();
    await call("POST", "/api/auth/code", { body: { email } });
    const verified = await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email) } });
    const cookie = verified.headers.get("set-cookie")!.split(";")[0]!;
    const me = await call("GET", "/api/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    // A cookie-authenticated write must be JSON (a cross-site form cannot be).
    const form = await call("POST", "/api/workspaces", {
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      rawBody: "name=evil",
    });
    expectError(form, 415, "unsupported_media_type");
  });

  it("refuses an invalid email, a malformed body and a wrong content type", async () => {
    expectError(await call("POST", "/api/auth/code", { body: { email: "not-an-email" } }), 400, "validation");
    expectError(await call("POST", "/api/auth/code", { body: {} }), 400, "validation");
    expectError(await call("POST", "/api/auth/code", { rawBody: "{\"email\":", headers: { "content-type": "application/json" } }), 400, "bad_request");
    expectError(await call("POST", "/api/auth/code", { rawBody: "[1,2]", headers: { "content-type": "application/json" } }), 400, "bad_request");
    expectError(await call("POST", "/api/auth/code", { rawBody: "email=a@b.c", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type");
    expectError(await call("POST", "/api/auth/verify", { body: { email: randomEmail(), code: "12ab56" } }), 400, "validation");
  });

  it("refuses an oversized body", async () => {
    const res = await call("POST", "/api/auth/code", { body: { email: randomEmail(), pad: "x".repeat(70 * 1024) } });
    expectError(res, 413, "payload_too_large");
  });

  it("refuses a code for an email that never asked", async () => {
    expectError(await call("POST", "/api/auth/verify", { body: { email: randomEmail(), code: "123456" } }), 400, "invalid_code");
  });

  it("refuses an expired code", async () => {
    const email = randomEmail();
    await call("POST", "/api/auth/code", { body: { email } });
    await Database.use((db) =>
      db.update(signInCodeTable).set({ timeExpires: new Date(Date.now() - 1000) }).where(eq(signInCodeTable.email, email)),
    );
    expectError(await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email) } }), 400, "code_expired");
  });

  it("refuses a code used once already", async () => {
    const email = randomEmail();
    await call("POST", "/api/auth/code", { body: { email } });
    const code = lastCode(email);
    expect((await call("POST", "/api/auth/verify", { body: { email, code } })).status).toBe(200);
    expectError(await call("POST", "/api/auth/verify", { body: { email, code } }), 400, "code_expired");
  });

  it("a new code replaces the older one", async () => {
    const email = randomEmail();
    await call("POST", "/api/auth/code", { body: { email } });
    const old = lastCode(email);
    await call("POST", "/api/auth/code", { body: { email } });
    const fresh = lastCode(email);
    if (old !== fresh) expectError(await call("POST", "/api/auth/verify", { body: { email, code: old } }), 400, "invalid_code");
    expect((await call("POST", "/api/auth/verify", { body: { email, code: fresh } })).status).toBe(200);
  });

  it("allows five tries per code and refuses the sixth, even when right", async () => {
    const email = randomEmail();
    await call("POST", "/api/auth/code", { body: { email } });
    const code = lastCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const res = await call("POST", "/api/auth/verify", { body: { email, code: wrong } });
      expect(res.status).toBe(i < 4 ? 400 : 429);
      expect(res.body.error.code).toBe(i < 4 ? "invalid_code" : "too_many_attempts");
    }
    expectError(await call("POST", "/api/auth/verify", { body: { email, code } }), 429, "too_many_attempts");
    const [row] = await Database.use((db) => db.select().from(signInCodeTable).where(eq(signInCodeTable.email, email)));
    expect(row!.timeUsed).toBeNull();
    expect(row!.attempts).toBe(5);
  });

  it("limits code requests per email and per IP", async () => {
    const email = randomEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call("POST", "/api/auth/code", { body: { email } })).status);
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await call("POST", "/api/auth/code", { body: { email } });
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Email.sent(email).length).toBe(5);

    const ip = randomIp();
    const byIp: number[] = [];
    for (let i = 0; i < 35; i++) byIp.push((await call("POST", "/api/auth/code", { body: { email: randomEmail() }, ip })).status);
    expect(byIp.filter((s) => s === 202)).toHaveLength(30);
    expect(byIp.slice(30).every((s) => s === 429)).toBe(true);
  });

  it("limits verify floods per IP across emails", async () => {
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) {
      statuses.push((await call("POST", "/api/auth/verify", { body: { email: randomEmail(), code: "123456" }, ip })).status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true);
  });
});

describe("sessions", () => {
  it("needs a token, and a revoked token stops working at once", async () => {
    expectError(await call("GET", "/api/me"), 401, "unauthorized");
    expectError(await call("GET", "/api/me", { token: "nope" }), 401, "unauthorized");
    const { token } = await signIn();
    expect((await call("GET", "/api/me", { token })).status).toBe(200);
    expect((await call("POST", "/api/auth/logout", { token })).status).toBe(200);
    expectError(await call("GET", "/api/me", { token }), 401, "unauthorized");
  });

  it("lists sessions and revokes another one of your own, not someone else's", async () => {
    const a = await signIn();
    const a2 = await signIn(a.email);
    const b = await signIn();
    const list = await call("GET", "/api/sessions", { token: a.token });
    expect(list.body).toHaveLength(2);
    expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = list.body.find((s: { current: boolean }) => !s.current);
    const bSessions = await call("GET", "/api/sessions", { token: b.token });
    expectError(await call("DELETE", `/api/sessions/${bSessions.body[0].id}`, { token: a.token }), 404, "not_found");
    expect((await call("GET", "/api/me", { token: b.token })).status).toBe(200);
    expect((await call("DELETE", `/api/sessions/${other.id}`, { token: a.token })).status).toBe(200);
    expectError(await call("GET", "/api/me", { token: a2.token }), 401, "unauthorized");
    expect((await call("GET", "/api/me", { token: a.token })).status).toBe(200);
  });
});

describe("unknown routes", () => {
  it("answer a JSON 404 (or 401 before sign-in)", async () => {
    const { token } = await signIn();
    expectError(await call("GET", "/api/nothing-here", { token }), 404, "not_found");
    expectError(await call("GET", "/api/nothing-here"), 401, "unauthorized");
  });
});
