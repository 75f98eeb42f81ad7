/**
 * Autodeploy in `npm run dev` (with the AWS emulator): everything a push in the demo needs.
 *
 * - A local fake of GitHub (`@console/testkit/github`) on 127.0.0.1, and the GITHUB_* variables
 *   pointing the console's real `@octokit` clients at it: a GitHub App (a fresh key pair and
 *   webhook secret per run) with one installation on `acme` that sees `acme/acme-api`. Its
 *   install page installs at once and sends the browser back to the console's callback.
 * - The demo repository `acme/acme-api`: a local git repository in a temporary folder whose
 *   deploy writes into the demo account's state bucket (`@console/testkit/demo-repo`).
 * - The local executor (`Executors.set`), which runs builds from that repository.
 * - A push: `POST <fake GitHub>/_demo/push` (body `{ "branch"?, "message"?, "fail"? }`), or
 *   `push` typed in the terminal of `npm run dev`: a commit, then GitHub's signed `push`
 *   webhook to the console.
 *
 * When GITHUB_APP_ID is set (a real GitHub App), none of this starts.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Executors } from "@console/core/autodeploy/executor";
import { LocalRepositories, localExecutor } from "@console/core/autodeploy/local";
import { env, resetEnv } from "@console/core/env";
import { startFakeGithub, type FakeGithub } from "@console/testkit/github";
import { createDemoRepository, demoBuildEnv, pushDemoCommit, type DemoRepository, type PushResult } from "@console/testkit/demo-repo";

/** The demo GitHub App's installation on the `acme` organisation. */
export const DEMO_INSTALLATION_ID = 5_550_001;

export interface DemoAutodeploy {
  github: FakeGithub;
  repository: DemoRepository;
  installationId: number;
  /** Where to POST for a push (the fake GitHub's demo route). */
  pushUrl: string;
  push(options?: { branch?: string; message?: string; fail?: boolean }): Promise<PushResult>;
  stop(): Promise<void>;
}

function consoleUrl(): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

async function readJson(req: AsyncIterable<unknown>): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    const parsed = text ? JSON.parse(text) : {};
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
}

export async function startDemoAutodeploy(options: { say?: (line: string) => void; printBuildLines?: boolean } = {}): Promise<DemoAutodeploy | undefined> {
  if (env.GITHUB_APP_ID) return undefined;
  const say = options.say ?? (() => {});
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const appId = "424242";
  const secret = randomBytes(24).toString("base64url");
  const client = { id: `Iv1.${randomBytes(8).toString("hex")}`, secret: randomBytes(20).toString("hex") };
  const dir = await mkdtemp(path.join(tmpdir(), "console-demo-repo-"));
  const repository = await createDemoRepository({ dir: path.join(dir, "acme-api") });

  let demo: DemoAutodeploy | undefined;
  const github = await startFakeGithub({
    appId,
    publicKey: keys.publicKey,
    installations: { [DEMO_INSTALLATION_ID]: { login: "acme", type: "Organization" } },
    repositories: {
      [DEMO_INSTALLATION_ID]: [{ id: repository.id, full_name: repository.fullName, default_branch: repository.defaultBranch, private: true }],
    },
    client,
    installPage: { callbackUrl: `${consoleUrl()}/api/github/callback`, installationId: DEMO_INSTALLATION_ID },
    extra: async (req, url) => {
      if (req.method !== "POST" || url.pathname !== "/_demo/push") return undefined;
      const body = await readJson(req);
      const pushed = await demo!.push({
        branch: typeof body.branch === "string" ? body.branch : undefined,
        message: typeof body.message === "string" ? body.message : undefined,
        fail: typeof body.fail === "boolean" ? body.fail : undefined,
      });
      return { status: 200, body: pushed };
    },
  });

  Object.assign(process.env, {
    GITHUB_APP_ID: appId,
    GITHUB_APP_PRIVATE_KEY: keys.privateKey,
    GITHUB_WEBHOOK_SECRET: secret,
    GITHUB_APP_SLUG: "console-dev",
    GITHUB_CLIENT_ID: client.id,
    GITHUB_CLIENT_SECRET: client.secret,
    GITHUB_API_URL: github.url,
    GITHUB_URL: github.url,
  });
  resetEnv();

  LocalRepositories.register(repository.fullName, repository.dir);
  Executors.set(
    localExecutor({
      env: demoBuildEnv(),
      ...(options.printBuildLines ? { onLine: (buildId: string, line: string) => say(`[build ${buildId.slice(-8)}] ${line}`) } : {}),
    }),
  );

  demo = {
    github,
    repository,
    installationId: DEMO_INSTALLATION_ID,
    pushUrl: `${github.url}/_demo/push`,
    async push(input = {}) {
      const pushed = await pushDemoCommit(repository, {
        consoleUrl: consoleUrl(),
        webhookSecret: secret,
        installationId: DEMO_INSTALLATION_ID,
        ...input,
      });
      say(`Console: pushed ${pushed.sha.slice(0, 7)} "${pushed.message}" to ${repository.fullName}@${pushed.branch}; the console answered ${pushed.status}.`);
      // The webhook queued the run; dev's 3 s timer (advanceRuns) starts it.
      return pushed;
    },
    async stop() {
      Executors.set(undefined);
      LocalRepositories.unregister(repository.fullName);
      await github.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return demo;
}
