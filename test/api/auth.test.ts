import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { signInCodeTable, sessionTable } from "../../packages/core/src/auth/auth.sql";
import { Email } from "../../packages/core/src/email";
import { call, expectError, lastCode, randomEmail, randomIp, requestCode, signIn } from "../setup/api";

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
    expect(res.body.challenge).toMatch(/^[\w-]{30,}$/);
    expect(res.headers.get("set-cookie")).toMatch(/console_signin=.*HttpOnly/i);
    const code = lastCode(email);
    expect(code).toMatch(/^\d{6}$/);
    const rows = await Database.use((db) => db.select().from(signInCodeTable).where(eq(signInCodeTable.email, email)));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(code);
    expect(JSON.stringify(rows[0])).not.toContain(res.body.challenge);

    const verified = await call("POST", "/api/auth/verify", { body: { email, code, challenge: res.body.challenge } });
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

  it("accepts the cookies the web app gets", async () => {
    const email = randomEmail();
    const requested = await call("POST", "/api/auth/code", { body: { email } });
    // The browser sends the sign-in cookie back; the body needs no challenge then.
    const signinCookie = requested.headers.get("set-cookie")!.split(";")[0]!;
    const verified = await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email) }, headers: { cookie: signinCookie } });
    expect(verified.status).toBe(200);
    const cookie = verified.headers.get("set-cookie")!.split(/,(?=\s*console_)/).map((c) => c.trim().split(";")[0]!).find((c) => c.startsWith("console_session="))!;
    const me = await call("GET", "/api/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    // A cookie-authenticated write must be JSON (a cross-site form cannot be).
    const form = await call("POST", "/api/workspaces", {
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      rawBody: "name=evil",
    });
    expectError(form, 415, "unsupported_media_type");
  });

  it("signs in with the longest email address there can be", async () => {
    const email = `${"a".repeat(60)}${Date.now().toString(36).slice(-4)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(56)}.com`;
    expect(email.length).toBe(253);
    const user = await signIn(email, { ip: randomIp() });
    expect(user.email).toBe(email);
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
    expectError(await call("POST", "/api/auth/verify", { body: { email: randomEmail(), code: "123456" } }), 400, "code_expired");
    const challenge = await requestCode(randomEmail());
    expectError(await call("POST", "/api/auth/verify", { body: { email: randomEmail(), code: "123456", challenge } }), 400, "code_expired");
  });

  it("refuses an expired code", async () => {
    const email = randomEmail();
    const challenge = await requestCode(email);
    await Database.use((db) =>
      db.update(signInCodeTable).set({ timeExpires: new Date(Date.now() - 1000) }).where(eq(signInCodeTable.email, email)),
    );
    expectError(await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email), challenge } }), 400, "code_expired");
  });

  it("refuses a code used once already", async () => {
    const email = randomEmail();
    const challenge = await requestCode(email);
    const code = lastCode(email);
    expect((await call("POST", "/api/auth/verify", { body: { email, code, challenge } })).status).toBe(200);
    expectError(await call("POST", "/api/auth/verify", { body: { email, code, challenge } }), 400, "code_expired");
  });

  it("a new code replaces the older one asked for by the same browser", async () => {
    const email = randomEmail();
    const first = await requestCode(email);
    const old = lastCode(email);
    const second = await requestCode(email, { challenge: first });
    const fresh = lastCode(email);
    expectError(await call("POST", "/api/auth/verify", { body: { email, code: old, challenge: first } }), 400, "code_expired");
    if (old !== fresh) expectError(await call("POST", "/api/auth/verify", { body: { email, code: old, challenge: second } }), 400, "invalid_code");
    expect((await call("POST", "/api/auth/verify", { body: { email, code: fresh, challenge: second } })).status).toBe(200);
  });

  it("allows five tries per code and refuses the sixth, even when right; a fresh code then works", async () => {
    const email = randomEmail();
    const challenge = await requestCode(email);
    const code = lastCode(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const res = await call("POST", "/api/auth/verify", { body: { email, code: wrong, challenge } });
      expect(res.status).toBe(i < 4 ? 400 : 429);
      expect(res.body.error.code).toBe(i < 4 ? "invalid_code" : "too_many_attempts");
    }
    expectError(await call("POST", "/api/auth/verify", { body: { email, code, challenge } }), 429, "too_many_attempts");
    const [row] = await Database.use((db) => db.select().from(signInCodeTable).where(eq(signInCodeTable.email, email)));
    expect(row!.timeUsed).toBeNull();
    expect(row!.attempts).toBe(5);

    const again = await requestCode(email, { challenge });
    expect((await call("POST", "/api/auth/verify", { body: { email, code: lastCode(email), challenge: again } })).status).toBe(200);
  });

  it("limits code requests per email and address, per address, and per email", async () => {
    const email = randomEmail();
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call("POST", "/api/auth/code", { body: { email }, ip })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
    const limited = await call("POST", "/api/auth/code", { body: { email }, ip });
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Email.sent(email).length).toBe(5);

    const other = randomIp();
    const byIp: number[] = [];
    for (let i = 0; i < 35; i++) byIp.push((await call("POST", "/api/auth/code", { body: { email: randomEmail() }, ip: other })).status);
    expect(byIp.filter((s) => s === 202)).toHaveLength(30);
    expect(byIp.slice(30).every((s) => s === 429)).toBe(true);

    // From many addresses, one email still gets at most 20 codes an hour.
    const target = randomEmail();
    const spread: number[] = [];
    for (let i = 0; i < 22; i++) spread.push((await call("POST", "/api/auth/code", { body: { email: target } })).status);
    expect(spread.filter((s) => s === 202)).toHaveLength(20);
    expect(spread.slice(20)).toEqual([429, 429]);
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

describe("sign-in limits strangers cannot use", () => {
  it("twenty wrong guesses by a stranger do not lock the owner of the email out", async () => {
    const owner = await signIn();
    const ownerIp = randomIp();
    const challenge = await requestCode(owner.email, { ip: ownerIp });
    const code = lastCode(owner.email);
    const stranger = randomIp();
    const wrong = (c: string) => (c === "000000" ? "111111" : "000000");
    // Guesses without the owner's challenge never reach the owner's code.
    for (let i = 0; i < 5; i++) {
      expectError(await call("POST", "/api/auth/verify", { body: { email: owner.email, code: wrong(code) }, ip: stranger }), 400, "code_expired");
    }
    // The stranger asks for codes of their own (they go to the owner's inbox) and guesses.
    let guesses = 0;
    for (let c = 0; c < 4; c++) {
      const own = await requestCode(owner.email, { ip: stranger });
      for (let i = 0; i < 5; i++) {
        const res = await call("POST", "/api/auth/verify", { body: { email: owner.email, code: wrong(lastCode(owner.email)), challenge: own }, ip: stranger });
        expect([400, 429]).toContain(res.status);
        guesses++;
      }
    }
    expect(guesses).toBe(20);
    // The owner's own code still works.
    const verified = await call("POST", "/api/auth/verify", { body: { email: owner.email, code, challenge }, ip: ownerIp });
    expect(verified.status).toBe(200);
    expect(verified.body.user.id).toBe(owner.userId);
  });

  it("a stranger asking for codes cannot stop the owner from getting a fresh one", async () => {
    const owner = await signIn(randomEmail(), { ip: randomIp() });
    const stranger = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await call("POST", "/api/auth/code", { body: { email: owner.email }, ip: stranger })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const fresh = await call("POST", "/api/auth/code", { body: { email: owner.email }, ip: randomIp() });
    expect(fresh.status).toBe(202);
    const verified = await call("POST", "/api/auth/verify", { body: { email: owner.email, code: lastCode(owner.email), challenge: fresh.body.challenge } });
    expect(verified.status).toBe(200);
  });

  it("an email whose hourly codes were used up from many addresses still gets a code at an address it signed in from", async () => {
    const ownerIp = randomIp();
    const owner = await signIn(randomEmail(), { ip: ownerIp });
    // One code went to the sign-in above; strangers spread over addresses use up the rest.
    const spread: number[] = [];
    for (let i = 0; i < 20; i++) spread.push((await call("POST", "/api/auth/code", { body: { email: owner.email } })).status);
    expect(spread.filter((s) => s === 202)).toHaveLength(19);
    expectError(await call("POST", "/api/auth/code", { body: { email: owner.email } }), 429, "rate_limited");
    const home = await call("POST", "/api/auth/code", { body: { email: owner.email }, ip: ownerIp });
    expect(home.status).toBe(202);
    expect((await call("POST", "/api/auth/verify", { body: { email: owner.email, code: lastCode(owner.email), challenge: home.body.challenge }, ip: ownerIp })).status).toBe(200);
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
