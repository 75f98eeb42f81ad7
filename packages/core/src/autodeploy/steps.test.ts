/**
 * The build's shell steps, run by bash as CodeBuild runs them (one shell): the secret leaves
 * the environment before anything else runs, the install step's processes see neither the
 * token nor the stage's variables, the deploy sees the variables exactly, and a commit is
 * checked out from a repository URL with the token handed to git alone.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CHECKOUT_REMOTE, EXPORT_ENV, TAKE_SECRETS, stepOf, INSTALL, deployCommand } from "./steps";

const dir = mkdtempSync(path.join(tmpdir(), "console-steps-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bash = (script: string, env: Record<string, string>, cwd = dir) =>
  execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env: { PATH: process.env.PATH!, HOME: dir, ...env } }).toString();

const SECRETS = JSON.stringify({ token: "ghs_token123", env: { API_KEY: "it's $HOME `x` \"q\"\nline 2", PLAIN: "p", "not-a-name": "x" } });

describe("build steps", () => {
  it("keeps the secrets from the install step's processes and gives the deploy the stage's variables", () => {
    const out = bash(
      `${TAKE_SECRETS}; bash -c 'echo "install sees [$CONSOLE_BUILD_SECRETS][$CONSOLE_TOKEN][$CONSOLE_SECRETS_JSON][$API_KEY]"'; ` +
        `${EXPORT_ENV}; bash -c 'printf "deploy sees %s|%s|%s\\n" "$API_KEY" "$PLAIN" "$CONSOLE_SECRETS_JSON"'`,
      { CONSOLE_BUILD_SECRETS: SECRETS },
    );
    expect(out).toContain("install sees [][][][]");
    expect(out).toContain("deploy sees it's $HOME `x` \"q\"\nline 2|p|\n");
  });

  it("checks out the commit and forgets the token", () => {
    const src = path.join(dir, "src");
    const dst = path.join(dir, "dst");
    execFileSync("mkdir", ["-p", src, dst]);
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: src, env: { PATH: process.env.PATH!, HOME: dir, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).toString().trim();
    git("init", "-q", "-b", "main");
    bash("echo one > file", {}, src);
    git("add", "-A");
    git("commit", "-q", "-m", "one");
    const first = git("rev-parse", "HEAD");
    bash("echo two > file", {}, src);
    git("commit", "-qam", "two");
    const out = bash(`CONSOLE_TOKEN=tok; ${CHECKOUT_REMOTE}; echo "token: [\${CONSOLE_TOKEN:-}]"; cat file`, {
      CONSOLE_REPOSITORY_URL: `file://${src}`,
      CONSOLE_COMMIT: first,
      CONSOLE_REPOSITORY: "acme/api",
    }, dst);
    expect(out).toBe(`Checked out ${first} of acme/api\ntoken: []\none\n`);
  });

  it("names the step of a failing command from CodeBuild's message", () => {
    const msg = (command: string) => `Error while executing command: ${command}. Reason: exit status 1`;
    expect(stepOf(msg(CHECKOUT_REMOTE))).toBe("checkout");
    expect(stepOf(msg(INSTALL))).toBe("install");
    expect(stepOf(msg(deployCommand("deploy")))).toBe("deploy");
    expect(stepOf(msg(deployCommand("remove")))).toBe("remove");
    expect(stepOf(msg(TAKE_SECRETS))).toBe("secrets");
    expect(stepOf("something else")).toBeUndefined();
  });
});
