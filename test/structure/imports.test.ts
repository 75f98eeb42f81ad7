/**
 * The shape of the code, checked on every `npm test`: no import circle anywhere in
 * packages/ (type-only imports included), and production code never reaches into
 * test/. The graph is dpdm's, resolved through the workspace packages' exports.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCircular, parseDependencyTree, type DependencyTree } from "dpdm";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let tree: DependencyTree;

beforeAll(async () => {
  tree = await parseDependencyTree(["packages/*/src/**/*.ts", "packages/*/src/**/*.tsx"], {
    context: root,
    cwd: root,
    exclude: /node_modules/,
    transform: false,
    skipDynamicImports: false,
  });
}, 120_000);

describe("imports", () => {
  it("finds the packages' files", () => {
    const files = Object.keys(tree);
    expect(files.some((f) => f.startsWith("packages/core/src/account/"))).toBe(true);
    expect(files.some((f) => f.startsWith("packages/functions/src/subscribers/"))).toBe(true);
    expect(files.length).toBeGreaterThan(150);
  });

  it("has no circle in packages/", () => {
    expect(parseCircular(tree).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("keeps test/ out of production code", () => {
    const offenders = Object.entries(tree)
      .filter(([file]) => !/\.test\.tsx?$/.test(file))
      .flatMap(([file, deps]) => (deps ?? []).filter((d) => d.id?.startsWith("test/")).map((d) => `${file} -> ${d.id}`));
    expect(offenders).toEqual([]);
  });
});
