import { describe, expect, it } from "vitest";
import { decide, defaultTargets, gitEventFromGithub, matchGlob, sanitizeStage, type TargetConfig } from "./targets";

const prod = { connectionId: "01PROD0000000000000000000A", region: "us-east-1" };
const dev = { connectionId: "01DEV00000000000000000000A", region: "eu-west-1" };
const sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

/** GitHub webhook payloads, trimmed to the fields read (docs.github.com "Webhook events and payloads"). */
const push = (ref: string, extra: Record<string, unknown> = {}) => ({ ref, before: "0".repeat(40), after: sha, created: false, deleted: false, ...extra });
const pr = (action: string, number: number, head = "feature/login", headRepo = "acme/shop") => ({
  action,
  number,
  pull_request: { number, head: { ref: head, sha, repo: { full_name: headRepo } }, base: { ref: "main", repo: { full_name: "acme/shop" } } },
  repository: { full_name: "acme/shop" },
});

const config: TargetConfig = {
  branches: [
    { branch: "main", stage: "production", ...prod },
    { branch: "release/*", stage: "rc-{branch}", ...prod },
    { branch: "**", stage: "{branch}", ...dev },
  ],
  pullRequests: dev,
};

const event = (name: string, payload: unknown) => {
  const e = gitEventFromGithub(name, payload);
  if (!e) throw new Error("no event");
  return e;
};

describe("autodeploy targets", () => {
  it("a push to branch X deploys stage X by default, sanitised as SST does", () => {
    const d = defaultTargets(dev);
    expect(decide(event("push", push("refs/heads/main")), d)).toEqual({ action: "deploy", stage: "main", commit: sha, ...dev });
    expect(decide(event("push", push("refs/heads/feature/Login_page--v2")), d)).toMatchObject({ action: "deploy", stage: "feature-Login-page-v2" });
    expect(sanitizeStage("--a//b__c-")).toBe("a-b-c");
    expect(decide(event("push", push("refs/heads/___")), d)).toMatchObject({ action: "skip" });
  });

  it("branch globs pick the first matching rule: stage, account and region", () => {
    expect(decide(event("push", push("refs/heads/main")), config)).toEqual({ action: "deploy", stage: "production", commit: sha, ...prod });
    expect(decide(event("push", push("refs/heads/release/2.1")), config)).toEqual({ action: "deploy", stage: "rc-release-2-1", commit: sha, ...prod });
    // `*` stops at `/`, `**` does not.
    expect(decide(event("push", push("refs/heads/release/2.1/hotfix")), config)).toMatchObject({ stage: "release-2-1-hotfix", ...dev });
    expect(matchGlob("release/*", "release/a/b")).toBe(false);
    expect(matchGlob("release/**", "release/a/b")).toBe(true);
    expect(matchGlob("v?.x", "v2.x")).toBe(true);
    expect(matchGlob("v?.x", "v2-x")).toBe(false);
    expect(matchGlob("a+b", "aab")).toBe(false);
    // No rule matches: nothing deploys.
    expect(decide(event("push", push("refs/heads/main")), { branches: [{ branch: "release/*", stage: "{branch}", ...prod }], pullRequests: null })).toMatchObject({
      action: "skip",
      reason: expect.stringContaining("no target"),
    });
  });

  it("a pull request deploys pr-<number>; its new commits redeploy; closing it removes the stage", () => {
    expect(decide(event("pull_request", pr("opened", 12)), config)).toEqual({ action: "deploy", stage: "pr-12", commit: sha, ...dev });
    expect(decide(event("pull_request", pr("synchronize", 12)), config)).toMatchObject({ action: "deploy", stage: "pr-12" });
    expect(decide(event("pull_request", pr("reopened", 12)), config)).toMatchObject({ action: "deploy", stage: "pr-12" });
    expect(decide(event("pull_request", pr("closed", 12)), config)).toEqual({ action: "remove", stage: "pr-12", ...dev });
    expect(decide(event("pull_request", pr("opened", 12)), { ...config, pullRequests: null })).toMatchObject({ action: "skip" });
  });

  it("never runs a fork's pull request, but removes its stage on close", () => {
    expect(decide(event("pull_request", pr("opened", 7, "main", "mallory/shop")), config)).toMatchObject({ action: "skip", reason: expect.stringContaining("fork") });
    expect(decide(event("pull_request", { ...pr("opened", 7), pull_request: { number: 7, head: { ref: "x", sha, repo: null }, base: { repo: { full_name: "acme/shop" } } } }), config)).toMatchObject({
      action: "skip",
    });
    expect(decide(event("pull_request", pr("closed", 7, "main", "mallory/shop")), config)).toMatchObject({ action: "remove", stage: "pr-7" });
  });

  it("removed branches and tags deploy nothing; other events and actions are not git events", () => {
    expect(decide(event("push", push("refs/heads/feature", { deleted: true, after: "0".repeat(40) })), config)).toMatchObject({ action: "skip" });
    expect(decide(event("push", push("refs/tags/v1.0.0")), config)).toMatchObject({ action: "skip", reason: "tags are not deployed" });
    expect(gitEventFromGithub("pull_request", pr("labeled", 3))).toBeNull();
    expect(gitEventFromGithub("issues", { action: "opened" })).toBeNull();
    expect(gitEventFromGithub("push", { ref: "refs/notes/x", after: sha })).toBeNull();
    expect(gitEventFromGithub("push", "not an object")).toBeNull();
  });
});
