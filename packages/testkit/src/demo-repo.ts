/**
 * The demo's git repository: a local repository standing in for `acme/acme-api` on GitHub,
 * whose `console:deploy` script writes a new state and a deploy into the demo account's state
 * bucket (`demo-deploy.ts`: plain node with the testkit's writers; no SST CLI).
 *
 * `pushDemoCommit` is a `git push` seen from GitHub's side: it commits a change, then delivers
 * the `push` webhook GitHub would send to the console's GitHub App, signed with the app's
 * webhook secret (`X-Hub-Signature-256`), with a fresh `X-GitHub-Delivery` id.
 */
import { execFile } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const DEMO_REPOSITORY = {
  fullName: "acme/acme-api",
  /** GitHub's numeric id of the repository (any stable number). */
  id: 480_112_233,
  defaultBranch: "main",
  author: { name: "Jane Doe", email: "jane@acme.example", login: "jane-acme" },
} as const;

export interface DemoRepository {
  dir: string;
  fullName: string;
  id: number;
  defaultBranch: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * `NODE_OPTIONS` for the build that runs the demo's script: a TypeScript loader (tsx, by its
 * absolute path: the build's folder has no node_modules), since the script imports the
 * testkit's TypeScript sources.
 */
export function demoBuildEnv(): Record<string, string> {
  const loader = createRequire(import.meta.url).resolve("tsx");
  return { NODE_OPTIONS: `--import=${pathToFileURL(loader).href}` };
}

async function git(dir: string, args: string[], env: Record<string, string> = {}) {
  const { stdout } = await run("git", args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: DEMO_REPOSITORY.author.name,
      GIT_AUTHOR_EMAIL: DEMO_REPOSITORY.author.email,
      GIT_COMMITTER_NAME: DEMO_REPOSITORY.author.name,
      GIT_COMMITTER_EMAIL: DEMO_REPOSITORY.author.email,
      ...env,
    },
  });
  return stdout.trim();
}

function files(fullName: string): Record<string, string> {
  const deploy = pathToFileURL(path.join(here, "demo-deploy.ts")).href;
  const name = fullName.split("/")[1] ?? "acme-api";
  return {
    "package.json": `${JSON.stringify(
      {
        name,
        private: true,
        type: "module",
        scripts: { "console:deploy": "node deploy.mjs deploy", "console:remove": "node deploy.mjs remove" },
      },
      null,
      2,
    )}\n`,
    "package-lock.json": `${JSON.stringify({ name, lockfileVersion: 3, requires: true, packages: { "": { name } } }, null, 2)}\n`,
    "deploy.mjs": [
      "// Console's demo: what `sst deploy` would leave in the state bucket, written by the",
      "// testkit (the SST CLI does not run in the demo). A real app needs no such script:",
      "// without a `console:deploy` script the build runs `npx sst deploy --stage <stage>`.",
      `const { deployFromBuildEnv } = await import(${JSON.stringify(deploy)});`,
      "try {",
      "  await deployFromBuildEnv(process.argv[2] === 'remove' ? 'remove' : 'deploy');",
      "} catch (err) {",
      "  console.error(`Error: ${err.message}`);",
      "  process.exit(1);",
      "}",
      "",
    ].join("\n"),
    "sst.config.ts": [
      '/// <reference path="./.sst/platform/config.d.ts" />',
      "export default $config({",
      `  app(input) { return { name: ${JSON.stringify(name)}, home: "aws" }; },`,
      '  async run() { new sst.aws.Function("Api", { handler: "src/api.handler", url: true }); },',
      "});",
      "",
    ].join("\n"),
    "src/api.ts": 'export const handler = async () => ({ statusCode: 200, body: "ok" });\n',
    "src/version.ts": "export const version = 1;\n",
  };
}

/** Creates the demo repository in `dir` (a `main` branch with one commit), or opens it when it exists. */
export async function createDemoRepository(options: { dir: string; fullName?: string }): Promise<DemoRepository> {
  const fullName = options.fullName ?? DEMO_REPOSITORY.fullName;
  const repo = { dir: options.dir, fullName, id: DEMO_REPOSITORY.id, defaultBranch: DEMO_REPOSITORY.defaultBranch };
  if (existsSync(path.join(options.dir, ".git"))) return repo;
  await mkdir(options.dir, { recursive: true });
  await git(options.dir, ["init", "-q", "-b", DEMO_REPOSITORY.defaultBranch]);
  for (const [file, text] of Object.entries(files(fullName))) {
    await mkdir(path.dirname(path.join(options.dir, file)), { recursive: true });
    await writeFile(path.join(options.dir, file), text);
  }
  await git(options.dir, ["add", "-A"]);
  await git(options.dir, ["commit", "-q", "-m", "Initial commit"]);
  return repo;
}

export interface PushOptions {
  /** The console's base URL (the webhook goes to `<url>/api/github/webhook`). */
  consoleUrl: string;
  /** The GitHub App's webhook secret (GITHUB_WEBHOOK_SECRET). */
  webhookSecret: string;
  /** The app's installation on the repository's owner. */
  installationId: number;
  branch?: string;
  message?: string;
  /** Make this commit's deploy fail (a `deploy.fail` file); false removes it. */
  fail?: boolean;
}

export interface PushResult {
  sha: string;
  before: string;
  branch: string;
  message: string;
  deliveryId: string;
  status: number;
  body: unknown;
}

/** The `push` payload GitHub sends for one new commit on a branch (the fields the console reads, and GitHub's usual others). */
export function pushPayload(repo: DemoRepository, input: { branch: string; before: string; sha: string; message: string; installationId: number; time: Date }) {
  const [owner, name] = repo.fullName.split("/") as [string, string];
  const html = `https://github.com/${repo.fullName}`;
  const author = { name: DEMO_REPOSITORY.author.name, email: DEMO_REPOSITORY.author.email, username: DEMO_REPOSITORY.author.login };
  const commit = {
    id: input.sha,
    tree_id: input.sha,
    distinct: true,
    message: input.message,
    timestamp: input.time.toISOString(),
    url: `${html}/commit/${input.sha}`,
    author,
    committer: author,
    added: [],
    removed: [],
    modified: ["src/version.ts"],
  };
  return {
    ref: `refs/heads/${input.branch}`,
    before: input.before,
    after: input.sha,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${html}/compare/${input.before.slice(0, 12)}...${input.sha.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    repository: {
      id: repo.id,
      name,
      full_name: repo.fullName,
      private: true,
      owner: { login: owner, type: "Organization" },
      html_url: html,
      clone_url: `${html}.git`,
      default_branch: repo.defaultBranch,
    },
    pusher: { name: DEMO_REPOSITORY.author.login, email: DEMO_REPOSITORY.author.email },
    sender: { login: DEMO_REPOSITORY.author.login, type: "User" },
    installation: { id: input.installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${input.installationId}` },
  };
}

/** Signs and delivers a webhook the way GitHub does. */
export async function deliverWebhook(input: { consoleUrl: string; secret: string; event: string; payload: unknown }) {
  const body = JSON.stringify(input.payload);
  const deliveryId = randomUUID();
  const signature = `sha256=${createHmac("sha256", input.secret).update(body).digest("hex")}`;
  const res = await fetch(`${input.consoleUrl.replace(/\/$/, "")}/api/github/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/console-demo",
      "x-github-event": input.event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": signature,
    },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { deliveryId, status: res.status, body: parsed };
}

/** Commits a change to the demo repository, then delivers GitHub's signed `push` webhook for it. */
export async function pushDemoCommit(repo: DemoRepository, options: PushOptions): Promise<PushResult> {
  const branch = options.branch ?? repo.defaultBranch;
  const current = await git(repo.dir, ["rev-parse", "--abbrev-ref", "HEAD"]);
  if (current !== branch) {
    const exists = await git(repo.dir, ["branch", "--list", branch]);
    await git(repo.dir, ["checkout", "-q", ...(exists ? [] : ["-b"]), branch]);
  }
  const before = await git(repo.dir, ["rev-parse", "HEAD"]);
  const count = Number(await git(repo.dir, ["rev-list", "--count", "HEAD"]));
  await writeFile(path.join(repo.dir, "src/version.ts"), `export const version = ${count + 1};\n`);
  const failFile = path.join(repo.dir, "deploy.fail");
  if (options.fail) await writeFile(failFile, "the demo was asked to fail this deploy\n");
  else if (options.fail === false) await rm(failFile, { force: true });
  const message = options.message ?? `Update the API (version ${count + 1})`;
  await git(repo.dir, ["add", "-A"]);
  await git(repo.dir, ["commit", "-q", "-m", message]);
  const sha = await git(repo.dir, ["rev-parse", "HEAD"]);
  const payload = pushPayload(repo, { branch, before, sha, message, installationId: options.installationId, time: new Date() });
  const delivered = await deliverWebhook({ consoleUrl: options.consoleUrl, secret: options.webhookSecret, event: "push", payload });
  return { sha, before, branch, message, ...delivered };
}
