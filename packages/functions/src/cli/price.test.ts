import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const cli = (...args: string[]) =>
  spawnSync("npx", ["tsx", "packages/functions/src/cli/index.ts", "price", ...args], { cwd: root, encoding: "utf8" });

describe("cli price", () => {
  it("prints exactly one JSON line", () => {
    const out = execFileSync("npm", ["run", "--silent", "cli", "--", "price", "10000001"], { cwd: root, encoding: "utf8" });
    const lines = out.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    expect(Object.keys(json)).toEqual(["invocations", "costUsd", "tiers"]);
    expect(json.invocations).toBe(10_000_001);
    expect(json.costUsd).toBe("180.000002");
    expect(json.tiers).toHaveLength(3);
  });

  it("fails on bad input", () => {
    const r = cli("lots");
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
  });
});
