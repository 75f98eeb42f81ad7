/**
 * Linking a GitHub App installation to a workspace, against a local fake of GitHub driven
 * by the real `@octokit` clients: the install `state` is bound to the workspace and the
 * admin who started it and is single use; the installation id from the browser is trusted
 * only when GitHub says (by the user's OAuth code) that this user can see it; one
 * installation belongs to one workspace; uninstalling on GitHub unlinks it.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhooks } from "@octokit/webhooks";
import { startFakeGithub, type FakeGithub } from "@console/testkit/github";
import { Actor } from "../../packages/core/src/actor";
import { Github } from "../../packages/core/src/github";
import { resetEnv } from "../../packages/core/src/env";
import { acceptInvitations, call, createWorkspace, expectError, signIn } from "../setup/api";

const APP_ID = "654321";
const SECRET = `whsec-${randomUUID()}`;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({
    appId: APP_ID,
    publicKey: keys.publicKey,
    installations: { 42: { login: "acme", type: "Organization" }, 43: { login: "globex", type: "Organization" } },
    client: { id: "Iv1.fakeclient", secret: "fake-client-secret" },
    users: { "alice-1": { installations: [42] }, "alice-2": { installations: [42] }, "alice-3": { installations: [42] }, "eve-1": { installations: [43] }, "eve-2": { installations: [42] }, "owner-1": { installations: [43] }, "owner-2": { installations: [43] } },
  });
  Object.assign(process.env, {
    GITHUB_APP_ID: APP_ID,
    GITHUB_APP_PRIVATE_KEY: keys.privateKey,
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: github.url,
    GITHUB_URL: github.url,
    GITHUB_APP_SLUG: "console-test",
    GITHUB_CLIENT_ID: "Iv1.fakeclient",
    GITHUB_CLIENT_SECRET: "fake-client-secret",
    PUBLIC_URL: "http://console.test",
  });
  resetEnv();
});

afterAll(async () => {
  await github?.close();
});

async function start(token: string, ws: string) {
  const res = await call("POST", `/api/workspaces/${ws}/github/install`, { token, body: {} });
  expect(res.status).toBe(200);
  const url = new URL(res.body.url);
  expect(url.origin + url.pathname).toBe(`${github.url}/apps/console-test/installations/new`);
  return url.searchParams.get("state")!;
}

const callback = (token: string | undefined, state: string, installation: number, code: string) =>
  call("GET", `/api/github/callback?state=${encodeURIComponent(state)}&installation_id=${installation}&setup_action=install&code=${code}`, { token });

describe("GitHub installs", () => {
  it("an admin links the installation they can see; the state works once, for them only", async () => {
    const alice = await signIn();
    const ws = await createWorkspace(alice.token);
    expect((await call("GET", `/api/workspaces/${ws.slug}/github`, { token: alice.token })).body).toEqual({ configured: true, installations: [] });

    // Someone else's session cannot use the state (and spends it).
    const eve = await signIn();
    const stolen = await start(alice.token, ws.slug);
    expectError(await callback(eve.token, stolen, 42, "eve-2"), 400, "bad_request");
    expectError(await callback(alice.token, stolen, 42, "alice-1"), 400, "bad_request");
    // Without a session: 401, the state stays unspent.
    const state = await start(alice.token, ws.slug);
    expectError(await callback(undefined, state, 42, "alice-1"), 401, "unauthorized");

    const done = await callback(alice.token, state, 42, "alice-1");
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`http://console.test/${ws.slug}/settings/accounts?github=connected`);
    const listed = (await call("GET", `/api/workspaces/${ws.slug}/github`, { token: alice.token })).body;
    expect(listed.installations).toEqual([{ id: expect.any(String), installationId: 42, accountLogin: "acme", accountType: "Organization", timeCreated: expect.any(String) }]);
    // Used once.
    expectError(await callback(alice.token, state, 42, "alice-2"), 400, "bad_request");

    // A state expires after 10 minutes.
    const late = await start(alice.token, ws.slug);
    await expect(Actor.provide({ type: "user", properties: { userId: alice.userId, email: alice.email } }, () => Github.consumeState(late, new Date(Date.now() + 11 * 60_000)))).rejects.toMatchObject({ code: "bad_request" });
  });

  it("refuses an installation the user cannot see on GitHub, and one another workspace holds", async () => {
    const eve = await signIn();
    const ws = await createWorkspace(eve.token);
    // Eve names acme's installation (42) but GitHub shows her only globex (43).
    const refused = await callback(eve.token, await start(eve.token, ws.slug), 42, "eve-1");
    expect(refused.headers.get("location")).toBe(`http://console.test/${ws.slug}/settings/accounts?github=forbidden`);
    expect((await call("GET", `/api/workspaces/${ws.slug}/github`, { token: eve.token })).body.installations).toEqual([]);

    // Linked elsewhere already (the first test's workspace holds 42): 409.
    const other = await signIn();
    const ws2 = await createWorkspace(other.token);
    const taken = await callback(other.token, await start(other.token, ws2.slug), 42, "alice-3");
    expect(taken.headers.get("location")).toBe(`http://console.test/${ws2.slug}/settings/accounts?github=conflict`);
  });

  it("members cannot start or remove; uninstalling on GitHub unlinks; admins can unlink", async () => {
    const owner = await signIn();
    const ws = await createWorkspace(owner.token);
    const { token: member, email } = await signIn();
    await call("POST", `/api/workspaces/${ws.slug}/members`, { token: owner.token, body: { email, role: "member" } });
    await acceptInvitations(member);
    expectError(await call("POST", `/api/workspaces/${ws.slug}/github/install`, { token: member, body: {} }), 403, "forbidden");
    expect((await call("GET", `/api/workspaces/${ws.slug}/github`, { token: member })).status).toBe(200);

    // Link 43 (globex) through a user who sees it.
    const state = await start(owner.token, ws.slug);
    expect((await callback(owner.token, state, 43, "owner-1")).headers.get("location")).toContain("github=connected");
    const [link] = (await call("GET", `/api/workspaces/${ws.slug}/github`, { token: owner.token })).body.installations;
    expectError(await call("DELETE", `/api/workspaces/${ws.slug}/github/installations/${link.id}`, { token: member }), 403, "forbidden");

    // GitHub tells of the uninstall: the link goes.
    const body = JSON.stringify({ action: "deleted", installation: { id: 43 } });
    const signature = await new Webhooks({ secret: SECRET }).sign(body);
    const res = await call("POST", "/api/github/webhook", { rawBody: body, headers: { "content-type": "application/json", "x-github-event": "installation", "x-github-delivery": randomUUID(), "x-hub-signature-256": signature } });
    expect(res.body.outcome).toBe("accepted");
    expect((await call("GET", `/api/workspaces/${ws.slug}/github`, { token: owner.token })).body.installations).toEqual([]);
    expectError(await call("DELETE", `/api/workspaces/${ws.slug}/github/installations/${link.id}`, { token: owner.token }), 404, "not_found");

    // Linked again, then unlinked by the admin.
    expect((await callback(owner.token, await start(owner.token, ws.slug), 43, "owner-2")).headers.get("location")).toContain("github=connected");
    const [again] = (await call("GET", `/api/workspaces/${ws.slug}/github`, { token: owner.token })).body.installations;
    expect((await call("DELETE", `/api/workspaces/${ws.slug}/github/installations/${again.id}`, { token: owner.token })).body).toEqual({ ok: true });
    expect((await call("GET", `/api/workspaces/${ws.slug}/github`, { token: owner.token })).body.installations).toEqual([]);
  });
});
