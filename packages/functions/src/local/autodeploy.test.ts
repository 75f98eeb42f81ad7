/**
 * Autodeploy's demo in `npm run dev`: the GitHub stand-in drives the console's real
 * `@octokit` clients, a push to the demo repository is a commit plus GitHub's signed `push`
 * webhook that the console takes, and the local executor is the one runs use.
 */
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Octokit } from "@octokit/core";
import { Executors } from "@console/core/autodeploy/executor";
import { LocalRepositories } from "@console/core/autodeploy/local";
import { env, resetEnv } from "@console/core/env";
import { Github } from "@console/core/github";
import { startLocalServer, type LocalServer } from "./server";
import { DEMO_INSTALLATION_ID, startDemoAutodeploy, type DemoAutodeploy } from "./autodeploy";

const saved = { ...process.env };
let server: LocalServer;
let demo: DemoAutodeploy;

beforeAll(async () => {
  for (const k of Object.keys(process.env)) if (k.startsWith("GITHUB_")) delete process.env[k];
  server = await startLocalServer({ port: 0, host: "127.0.0.1", web: { type: "none" } });
  process.env.PUBLIC_URL = server.url;
  resetEnv();
  demo = (await startDemoAutodeploy())!;
});

afterAll(async () => {
  await demo?.stop();
  await server?.close();
  process.env = saved;
  resetEnv();
});

const head = () => execFileSync("git", ["rev-parse", "HEAD"], { cwd: demo.repository.dir }).toString().trim();

describe("autodeploy's demo", () => {
  it("configures the console's GitHub App against the stand-in, and sets the local executor and repository", async () => {
    expect(Github.configured()).toBe(true);
    expect(env.GITHUB_API_URL).toBe(demo.github.url);
    expect(LocalRepositories.path("acme/acme-api")).toBe(demo.repository.dir);
    expect(typeof Executors.use().start).toBe("function");
    // An installation token from the real @octokit/app flow lists the demo repository.
    const { token } = await Github.installationToken(DEMO_INSTALLATION_ID);
    const octokit = new (Octokit.defaults({ baseUrl: env.GITHUB_API_URL }))({ auth: token });
    const listed = await octokit.request("GET /installation/repositories");
    expect((listed.data.repositories as { full_name: string }[]).map((r) => r.full_name)).toEqual(["acme/acme-api"]);
  });

  it("a push commits to the demo repository and the console takes GitHub's signed webhook for it", async () => {
    const before = head();
    const pushed = await demo.push({ message: "Change the greeting" });
    expect(pushed.before).toBe(before);
    expect(pushed.sha).toBe(head());
    expect(pushed.sha).not.toBe(before);
    expect(pushed.status).toBe(200);
    expect(pushed.body).toEqual({ received: true, outcome: "accepted", event: "push" });
    const log = execFileSync("git", ["log", "-1", "--format=%s|%an"], { cwd: demo.repository.dir }).toString().trim();
    expect(log).toBe("Change the greeting|Jane Doe");
  });

  it("the stand-in's push route does the same (what the browser test and curl use)", async () => {
    const res = await fetch(demo.pushUrl, { method: "POST", body: JSON.stringify({ branch: "feature/login" }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sha: string; branch: string; body: { outcome: string } };
    expect(body.branch).toBe("feature/login");
    expect(body.body.outcome).toBe("accepted");
    expect(body.sha).toBe(head());
  });

  it("a delivery signed with another secret is refused by the console", async () => {
    const { deliverWebhook } = await import("@console/testkit/demo-repo");
    const refused = await deliverWebhook({ consoleUrl: server.url, secret: "not-the-app-secret", event: "push", payload: { ref: "refs/heads/main" } });
    expect(refused.status).toBe(401);
  });

  it("the install page installs at once and sends the browser to the console's callback with a one-use code", async () => {
    const res = await fetch(`${env.GITHUB_URL}/apps/${env.GITHUB_APP_SLUG}/installations/new?state=abc`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get("location")!);
    expect(`${back.origin}${back.pathname}`).toBe(`${server.url}/api/github/callback`);
    expect(back.searchParams.get("installation_id")).toBe(String(DEMO_INSTALLATION_ID));
    expect(back.searchParams.get("state")).toBe("abc");
    expect(back.searchParams.get("code")).toMatch(/^[0-9a-f]{20}$/);
  });
});
