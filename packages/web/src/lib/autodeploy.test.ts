/**
 * Autodeploy's presentation logic: durations, labels, the merge of polled log lines, the
 * follow-the-end rule of the log view, and the targets form (checks with the server's
 * field paths, the saved body with write-only secrets, the branch preview, and globs read
 * exactly as the server reads them).
 */
import { describe, expect, it } from "vitest";
import { matchGlob as serverMatchGlob, sanitizeStage as serverSanitize } from "../../../core/src/autodeploy/targets";
import type { Account, Targets } from "./api";
import {
  atBottom,
  commitSubject,
  draftChanged,
  draftOf,
  matchGlob,
  mergeLogLines,
  newBranchRow,
  newVariableRow,
  previewBranch,
  runDuration,
  runDurationText,
  runPath,
  runRef,
  sanitizeStage,
  targetsOf,
  validateTargets,
} from "./autodeploy";
import { formatDuration } from "./format";

const T0 = Date.parse("2026-03-01T10:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("durations", () => {
  it("formats seconds, minutes and hours", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(-5)).toBe("—");
    expect(formatDuration(400)).toBe("0 s");
    expect(formatDuration(44_600)).toBe("45 s");
    expect(formatDuration(95_000)).toBe("1 min 35 s");
    expect(formatDuration(120_000)).toBe("2 min");
    expect(formatDuration(3_900_000)).toBe("1 h 5 min");
    expect(formatDuration(7_200_000)).toBe("2 h");
  });

  it("times a run from its start: to its end, or to now while it runs; not before it starts", () => {
    const started = { timeStarted: iso(T0), timeCompleted: iso(T0 + 95_000) };
    expect(runDuration(started, T0 + 999_999)).toBe(95_000);
    expect(runDuration({ timeStarted: iso(T0), timeCompleted: null }, T0 + 30_000)).toBe(30_000);
    expect(runDuration({ timeStarted: null, timeCompleted: iso(T0) }, T0)).toBeNull();
    expect(runDurationText({ ...started, status: "succeeded" }, 0)).toBe("1 min 35 s");
    expect(runDurationText({ timeStarted: null, timeCompleted: null, status: "queued" }, T0)).toBe("waiting");
    expect(runDurationText({ timeStarted: null, timeCompleted: iso(T0), status: "cancelled" }, T0)).toBe("—");
  });
});

describe("labels and addresses", () => {
  it("names the branch or the pull request, and a commit by its subject", () => {
    expect(runRef({ branch: "main", pullRequest: null })).toBe("main");
    expect(runRef({ branch: "feature/x", pullRequest: 12 })).toBe("PR #12");
    expect(runRef({ branch: null, pullRequest: null })).toBe("—");
    expect(commitSubject("Fix the login\n\nLong body")).toBe("Fix the login");
    expect(commitSubject("  \n")).toBe("(no message)");
  });

  it("encodes app and run in a run's address", () => {
    expect(runPath("acme", "my app", "run/1")).toBe("/acme/app/my%20app/autodeploy/runs/run%2F1");
  });
});

const line = (timestamp: number, message: string) => ({ timestamp, message });

describe("mergeLogLines", () => {
  it("appends a poll's lines in order", () => {
    const a = mergeLogLines({ lines: [], dropped: 0 }, [line(1, "a"), line(2, "b")]);
    const b = mergeLogLines(a, [line(3, "c")]);
    expect(b.lines.map((l) => l.message)).toEqual(["a", "b", "c"]);
  });

  it("does not repeat lines a page brings again, but keeps a line that really repeats in one page", () => {
    const first = mergeLogLines({ lines: [], dropped: 0 }, [line(1, "install"), line(5, "."), line(5, ".")]);
    // The next page starts again at the last timestamp (two dots already shown), and brings a third dot.
    const next = mergeLogLines(first, [line(5, "."), line(5, "."), line(5, "."), line(6, "done")]);
    expect(next.lines.map((l) => `${l.timestamp}${l.message}`)).toEqual(["1install", "5.", "5.", "5.", "6done"]);
    // The same page again (a retried poll) changes nothing, and keeps the same object.
    expect(mergeLogLines(next, [line(5, "."), line(6, "done")])).toBe(next);
  });

  it("puts late lines in time order, stable for equal times", () => {
    const merged = mergeLogLines({ lines: [line(10, "x"), line(30, "z")], dropped: 0 }, [line(20, "y1"), line(20, "y2"), line(40, "w")]);
    expect(merged.lines.map((l) => l.message)).toEqual(["x", "y1", "y2", "z", "w"]);
  });

  it("keeps the newest lines beyond the cap and counts the dropped ones", () => {
    const lines = Array.from({ length: 8 }, (_, i) => line(i, `l${i}`));
    const first = mergeLogLines({ lines: [], dropped: 0 }, lines.slice(0, 5), 6);
    expect(first).toEqual({ lines: lines.slice(0, 5), dropped: 0 });
    const next = mergeLogLines(first, lines.slice(5), 6);
    expect(next.lines.map((l) => l.message)).toEqual(["l2", "l3", "l4", "l5", "l6", "l7"]);
    expect(next.dropped).toBe(2);
  });
});

describe("atBottom", () => {
  it("follows within the threshold of the end, not further up", () => {
    expect(atBottom({ scrollTop: 500, scrollHeight: 1000, clientHeight: 500 })).toBe(true);
    expect(atBottom({ scrollTop: 480, scrollHeight: 1000, clientHeight: 500 })).toBe(true);
    expect(atBottom({ scrollTop: 400, scrollHeight: 1000, clientHeight: 500 })).toBe(false);
    expect(atBottom({ scrollTop: 0, scrollHeight: 300, clientHeight: 500 })).toBe(true);
  });
});

const account = (id: string, over: Partial<Account> = {}): Account =>
  ({
    id,
    accountId: "123456789012",
    status: "connected",
    method: "stack",
    reason: null,
    progress: null,
    roleArn: null,
    timeCreated: iso(T0),
    timeConnected: iso(T0),
    timeScanned: iso(T0),
    timeStackDeleted: null,
    ...over,
  }) as Account;

const ACCOUNTS = [account("acc_1"), account("acc_pending", { accountId: null, status: "connecting" })];
const HOME = { connectionId: "acc_1", region: "eu-west-1" };

const stored: Targets = {
  branches: [
    { branch: "main", stage: "production", connectionId: "acc_1", region: "eu-west-1" },
    { branch: "**", stage: "{branch}", connectionId: "acc_1", region: "us-east-1" },
  ],
  pullRequests: { connectionId: "acc_1", region: "us-east-1" },
  environment: [
    { stage: "production", name: "API_KEY", secret: true, value: null },
    { stage: "*", name: "LOG_LEVEL", secret: false, value: "info" },
  ],
};

describe("the targets form", () => {
  it("round-trips stored targets: a stored secret goes back as null (kept), and nothing counts as changed", () => {
    const draft = draftOf(stored, HOME);
    expect(validateTargets(draft, ACCOUNTS)).toEqual({});
    expect(targetsOf(draft)).toEqual(stored);
    expect(draftChanged(draft, stored)).toBe(false);
  });

  it("sends a replaced secret's new value, and counts it as a change", () => {
    const draft = draftOf(stored, HOME);
    draft.environment[0]!.replacing = true;
    expect(validateTargets(draft, ACCOUNTS)).toEqual({ "environment.0.value": "Enter the secret's value." });
    draft.environment[0]!.value = "s3cr3t";
    expect(validateTargets(draft, ACCOUNTS)).toEqual({});
    expect(targetsOf(draft).environment[0]).toEqual({ stage: "production", name: "API_KEY", secret: true, value: "s3cr3t" });
    expect(draftChanged(draft, stored)).toBe(true);
  });

  it("turns pull request stages off as null, and starts them from the app's home when off", () => {
    const off = draftOf({ ...stored, pullRequests: null }, HOME);
    expect(off.pullRequests).toEqual({ enabled: false, ...HOME });
    expect(targetsOf(off).pullRequests).toBeNull();
    off.pullRequests.enabled = true;
    expect(targetsOf(off).pullRequests).toEqual(HOME);
  });

  it("names each mistake by the server's field path", () => {
    const draft = draftOf({ branches: [], pullRequests: null, environment: [] }, HOME);
    draft.branches.push(
      { ...newBranchRow({ connectionId: "", region: "" }), branch: "", stage: "" },
      { ...newBranchRow(HOME), branch: "feature/*", stage: "feat_{branch}" },
      { ...newBranchRow({ connectionId: "acc_pending", region: "Europe" }), branch: "feature/*", stage: "x".repeat(65) },
      { ...newBranchRow(HOME), branch: "my branch", stage: "pr-{branch}" },
    );
    draft.pullRequests = { enabled: true, connectionId: "acc_gone", region: "" };
    draft.environment.push(
      { ...newVariableRow(), name: "api_url", value: "x" },
      { ...newVariableRow(), name: "TOKEN", secret: true, value: "" },
      { ...newVariableRow(), name: "TOKEN", value: "again" },
      { ...newVariableRow(), stage: " ", name: "OK" },
    );
    expect(validateTargets(draft, ACCOUNTS)).toEqual({
      "branches.0.branch": "Enter a branch or a pattern such as main or feature/*.",
      "branches.0.stage": "Enter the stage, or {branch} for the branch's name.",
      "branches.0.connectionId": "Choose the AWS account to deploy to.",
      "branches.0.region": "Enter the AWS region.",
      "branches.1.stage": "Letters, digits, - and {branch} only.",
      "branches.2.branch": "Rule 2 already has this pattern: this rule would never be used.",
      "branches.2.stage": "At most 64 characters.",
      "branches.2.connectionId": "This account is no longer connected. Choose another.",
      "branches.2.region": "Not an AWS region (for example us-east-1).",
      "branches.3.branch": "A branch pattern has no spaces.",
      "pullRequests.connectionId": "This account is no longer connected. Choose another.",
      "pullRequests.region": "Enter the AWS region.",
      "environment.0.name": "Capital letters, digits and _, not starting with a digit.",
      "environment.1.value": "Enter the secret's value.",
      "environment.2.name": "This stage already has a variable of this name.",
      "environment.3.stage": "Enter a stage, a pattern, or * for every stage.",
    });
  });

  it("accepts GovCloud and two-digit regions, and an empty plain value", () => {
    const draft = draftOf({ branches: [{ branch: "main", stage: "prod", connectionId: "acc_1", region: "us-gov-west-1" }], pullRequests: null, environment: [] }, HOME);
    draft.environment.push({ ...newVariableRow(), name: "EMPTY" });
    expect(validateTargets(draft, ACCOUNTS)).toEqual({});
    draft.branches[0]!.region = "ap-southeast-10";
    expect(validateTargets(draft, ACCOUNTS)).toEqual({});
  });

  it("previews where a branch goes: the first matching rule, the stage made from the branch", () => {
    const draft = draftOf(stored, HOME);
    expect(previewBranch(draft, "main")).toEqual({ rule: 0, stage: "production" });
    expect(previewBranch(draft, "feature/Login_page")).toEqual({ rule: 1, stage: "feature-Login-page" });
    draft.branches.pop();
    expect(previewBranch(draft, "feature/x")).toBeNull();
  });

  it("reads globs and stage names exactly as the server does", () => {
    const globs = ["main", "*", "**", "feature/*", "release/**", "v?.*", "a.b", "(x)", "**/hotfix"];
    const branches = ["main", "feature/x", "feature/x/y", "release/1/2", "v1.2", "v10", "a.b", "aXb", "(x)", "x/hotfix", "hotfix", ""];
    for (const g of globs) for (const b of branches) expect(matchGlob(g, b), `${g} ~ ${b}`).toBe(serverMatchGlob(g, b));
    for (const name of ["feature/Login_page", "--a--b--", "ok", "ä", "a..b", "-"]) expect(sanitizeStage(name)).toBe(serverSanitize(name));
  });
});
