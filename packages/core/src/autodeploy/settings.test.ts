import { describe, expect, it } from "vitest";
import { resolveEnvironment, targetsSchema } from "./settings";

const row = (stage: string, name: string, value: string) => ({ stage, name, value });
const plain = (r: { value: string }) => r.value;

describe("autodeploy environment", () => {
  it("applies glob rows first and lets rows naming the stage win", () => {
    const rows = [row("production", "LOG_LEVEL", "warn"), row("*", "LOG_LEVEL", "info"), row("pr-*", "PREVIEW", "1"), row("*", "REGION", "eu")];
    expect(resolveEnvironment(rows, "production", plain)).toEqual({ LOG_LEVEL: "warn", REGION: "eu" });
    expect(resolveEnvironment(rows, "pr-12", plain)).toEqual({ LOG_LEVEL: "info", PREVIEW: "1", REGION: "eu" });
    // `pr-*` is a glob, not a prefix of every stage.
    expect(resolveEnvironment(rows, "staging", plain)).toEqual({ LOG_LEVEL: "info", REGION: "eu" });
  });

  it("reads (decrypts) only the rows that apply to the stage", () => {
    const read: string[] = [];
    resolveEnvironment([row("production", "SECRET", "s"), row("dev", "OTHER", "o")], "dev", (r) => (read.push(r.name), r.value));
    expect(read).toEqual(["OTHER"]);
  });
});

describe("autodeploy targets input", () => {
  const ok = { branches: [{ branch: "release/**", stage: "rc-{branch}", connectionId: "0".repeat(26), region: "us-east-1" }], pullRequests: null, environment: [] };
  it("accepts globs, {branch} and regions; refuses what would not make a stage or a variable", () => {
    expect(targetsSchema.safeParse(ok).success).toBe(true);
    const bad = (patch: Record<string, unknown>) => targetsSchema.safeParse({ ...ok, ...patch }).success;
    expect(bad({ branches: [{ ...ok.branches[0], stage: "rc {branch}" }] })).toBe(false);
    expect(bad({ branches: [{ ...ok.branches[0], branch: "main;rm -rf" }] })).toBe(false);
    expect(bad({ branches: [{ ...ok.branches[0], region: "us-east" }] })).toBe(false);
    expect(bad({ environment: [{ stage: "*", name: "1ABC", secret: false, value: "x" }] })).toBe(false);
    expect(bad({ environment: [{ stage: "*", name: "ABC", secret: false, value: "x".repeat(16_385) }] })).toBe(false);
    expect(bad({ extra: true })).toBe(false);
    expect(bad({ branches: Array.from({ length: 51 }, () => ok.branches[0]) })).toBe(false);
  });
});
