/**
 * Facts about the AWS app that can be checked without deploying: every function on a
 * Lambda runtime AWS still accepts (and local Node in step with it), the SST version
 * pinned in package.json and in $config, migrations before the functions that use the
 * database, the router waiting as long as the API, secrets linked rather than in env.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const infra = readdirSync(path.join(root, "infra"))
  .filter((f) => f.endsWith(".ts"))
  .map((f) => ({ file: `infra/${f}`, text: read(`infra/${f}`) }));

describe("infra", () => {
  it("runs every function on nodejs22.x, and local Node is the same major", () => {
    for (const { file, text } of [...infra, { file: "sst.config.ts", text: read("sst.config.ts") }]) {
      expect(text, file).not.toMatch(/nodejs(1\d|20)\.x/);
      for (const m of text.matchAll(/runtime:\s*"([^"]+)"/g)) expect(m[1], file).toBe("nodejs22.x");
    }
    expect(read(".nvmrc").trim()).toBe("22");
    expect(JSON.parse(read("package.json")).engines.node).toBe(">=22");
  });

  it("pins the same SST version in package.json and in $config", () => {
    const pinned = JSON.parse(read("package.json")).devDependencies.sst;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(read("sst.config.ts")).toContain(`version: "${pinned}"`);
  });

  it("orders the migration before the API, the subscribers and the consumer", () => {
    const text = (f: string) => infra.find((i) => i.file === f)!.text;
    expect(text("infra/migrate.ts")).toMatch(/opts\.dependsOn = \[migration\]/);
    for (const f of ["infra/api.ts", "infra/bus.ts", "infra/issues.ts"]) expect(text(f), f).toContain("transform: afterMigration");
  });

  it("sets the router's read timeout to the API's timeout", () => {
    const api = infra.find((i) => i.file === "infra/api.ts")!.text;
    expect(api).toMatch(/timeout: API_TIMEOUT/);
    expect(api).toMatch(/readTimeout: API_TIMEOUT/);
  });

  it("links secrets instead of passing them as environment variables", () => {
    for (const { file, text } of infra) expect(text, file).not.toMatch(/(DATABASE_URL|SECRET_KEY):\s*secret\./);
  });
});
