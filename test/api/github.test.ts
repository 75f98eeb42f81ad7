/**
 * The console as a GitHub App, against a local fake of GitHub driven by the real
 * `@octokit` clients: webhook deliveries are taken only with a valid signature and
 * once (a replayed delivery does nothing again); installation tokens are short-lived
 * and asked for with a JWT of the app that GitHub's checks accept.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhooks } from "@octokit/webhooks";
import { startFakeGithub, type FakeGithub } from "@console/testkit/github";
import { Github } from "../../packages/core/src/github";
import { resetEnv } from "../../packages/core/src/env";
import { call } from "../setup/api";

const APP_ID = "123456";
const SECRET = `whsec-${randomUUID()}`;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
let github: FakeGithub;

const ENV = ["GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET", "GITHUB_API_URL"] as const;

beforeAll(async () => {
  github = await startFakeGithub({ appId: APP_ID, publicKey: keys.publicKey, installations: { 42: { login: "acme", type: "Organization" } } });
});

afterAll(async () => {
  for (const k of ENV) delete process.env[k];
  resetEnv();
  await github?.close();
});

function configure() {
  Object.assign(process.env, { GITHUB_APP_ID: APP_ID, GITHUB_APP_PRIVATE_KEY: keys.privateKey, GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_API_URL: github.url });
  resetEnv();
}

const pushPayload = JSON.stringify({
  ref: "refs/heads/main",
  after: "6dcb09b5b57875f334f61aebed695e2e4193db5e",
  deleted: false,
  repository: { full_name: "acme/shop" },
  installation: { id: 42 },
});

describe("GitHub webhooks", () => {
  it("without a configured app, deliveries are refused", async () => {
    for (const k of ENV) delete process.env[k];
    resetEnv();
    const res = await call("POST", "/api/github/webhook", { body: JSON.parse(pushPayload), headers: { "x-github-event": "push", "x-github-delivery": randomUUID() } });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("unavailable");
  });

  it("takes a signed delivery once; a replay, a wrong or missing signature and a changed body are refused", async () => {
    configure();
    const signature = await new Webhooks({ secret: SECRET }).sign(pushPayload);
    const id = randomUUID();
    const send = (body: string, headers: Record<string, string>) => call("POST", "/api/github/webhook", { rawBody: body, headers: { "content-type": "application/json", ...headers } });

    const ok = await send(pushPayload, { "x-github-event": "push", "x-github-delivery": id, "x-hub-signature-256": signature });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ received: true, outcome: "accepted", event: "push" });
    const taken = await Github.receive({ id: randomUUID(), name: "push", signature, body: pushPayload });
    expect(taken).toMatchObject({ outcome: "accepted", installationId: 42, repository: "acme/shop", git: { type: "branch", action: "pushed", branch: "main" } });

    // The same delivery again (GitHub's redelivery, or a captured one replayed): nothing is done twice.
    const replay = await send(pushPayload, { "x-github-event": "push", "x-github-delivery": id, "x-hub-signature-256": signature });
    expect(replay.body).toEqual({ received: true, outcome: "replay", event: "push" });

    const wrong = await new Webhooks({ secret: "another-secret" }).sign(pushPayload);
    for (const [body, sig] of [
      [pushPayload, wrong],
      [pushPayload, ""],
      [pushPayload.replace("main", "prod"), signature],
      [pushPayload, signature.replace(/.$/, (c) => (c === "0" ? "1" : "0"))],
    ] as const) {
      const res = await send(body, { "x-github-event": "push", "x-github-delivery": randomUUID(), ...(sig ? { "x-hub-signature-256": sig } : {}) });
      expect(res.status, sig).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    // Signed, but without a delivery id: refused before anything is recorded.
    const noId = await send(pushPayload, { "x-github-event": "push", "x-hub-signature-256": signature });
    expect(noId.status).toBe(400);

    // Delivery ids are forgotten after 30 days (GitHub redelivers within 3).
    await Github.prune(new Date(Date.now() + 29 * 86_400_000));
    expect((await send(pushPayload, { "x-github-event": "push", "x-github-delivery": id, "x-hub-signature-256": signature })).body.outcome).toBe("replay");
    await Github.prune(new Date(Date.now() + 31 * 86_400_000));
    expect((await send(pushPayload, { "x-github-event": "push", "x-github-delivery": id, "x-hub-signature-256": signature })).body.outcome).toBe("accepted");
  });
});

describe("installation tokens", () => {
  it("are asked for with the app's JWT, expire within the hour and are not kept", async () => {
    configure();
    const before = github.tokens.length;
    const { token, expiresAt } = await Github.installationToken(42);
    expect(token).toMatch(/^ghs_/);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(github.tokens.slice(before)).toEqual([{ installationId: 42, iss: APP_ID, status: 201 }]);
    // Each call asks GitHub again rather than reading a stored token.
    const again = await Github.installationToken(42);
    expect(again.token).not.toBe(token);
  });

  it("are refused for an installation GitHub does not know, and for a key that is not the app's", async () => {
    configure();
    await expect(Github.installationToken(7)).rejects.toMatchObject({ status: 404 });
    const other = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    process.env.GITHUB_APP_PRIVATE_KEY = other.privateKey;
    resetEnv();
    await expect(Github.installationToken(42)).rejects.toMatchObject({ status: 401 });
    expect(github.tokens.at(-1)).toEqual({ installationId: 42, iss: null, status: 401 });
  });
});
