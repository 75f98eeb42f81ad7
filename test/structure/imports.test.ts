/**
 * The shape of the code, checked on every `npm test`: no import circle anywhere in
 * packages/ (type-only imports included); dependencies point one way (testkit and
 * test/ above everything; the local runtime is the only production code that may use
 * testkit, and nothing that runs on Lambda reaches the local runtime). The graph is
 * dpdm's, resolved through the workspace packages' exports.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCircular, parseDependencyTree, type DependencyTree } from "dpdm";

/** What runs on AWS: the handlers infra/ points at. */
const LAMBDA_ENTRIES = [
  "packages/functions/src/api/lambda.ts",
  "packages/functions/src/subscribers/lambda.ts",
  "packages/functions/src/events/bucket.ts",
  "packages/functions/src/issues/consumer.ts",
  "packages/functions/src/connect/lambda.ts",
  "packages/functions/src/cron/cleanup.ts",
  "packages/functions/src/migrate.ts",
];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);

/** Every file `entry` reaches. */
function reach(tree: DependencyTree, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const d of tree[file] ?? []) if (d.id && !d.id.startsWith("node_modules/")) stack.push(d.id);
  }
  return seen;
}

function edges(tree: DependencyTree, from: (file: string) => boolean, to: (file: string) => boolean) {
  return Object.entries(tree)
    .filter(([file]) => from(file))
    .flatMap(([file, deps]) => (deps ?? []).filter((d) => d.id && to(d.id)).map((d) => `${file} -> ${d.id}`));
}

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

  it("keeps test/ out of the packages", () => {
    // (a package's own test may use test/setup; the helpers it reaches there may use each other)
    expect(edges(tree, (f) => !isTest(f) && !f.startsWith("test/"), (d) => d.startsWith("test/"))).toEqual([]);
  });

  it("lets only the local runtime and tests use @console/testkit, and testkit use no functions code", () => {
    const production = (f: string) =>
      f.startsWith("packages/") && !f.startsWith("packages/testkit/") && !f.startsWith("packages/functions/src/local/") && !isTest(f);
    expect(edges(tree, production, (d) => d.startsWith("packages/testkit/"))).toEqual([]);
    expect(edges(tree, (f) => f.startsWith("packages/testkit/"), (d) => d.startsWith("packages/functions/"))).toEqual([]);
    // The local runtime does use it (the demo account), so the check above has something to hold.
    expect(edges(tree, (f) => f.startsWith("packages/functions/src/local/"), (d) => d.startsWith("packages/testkit/")).length).toBeGreaterThan(0);
  });

  it("keeps the local runtime and testkit out of every Lambda entry", () => {
    for (const entry of LAMBDA_ENTRIES) {
      expect(tree[entry], entry).toBeTruthy();
      const reached = [...reach(tree, entry)];
      expect(reached.length, entry).toBeGreaterThan(5);
      expect(
        reached.filter((f) => f.startsWith("packages/testkit/") || f.startsWith("packages/functions/src/local/") || f.startsWith("test/")),
        entry,
      ).toEqual([]);
    }
  });

  it("keeps the detector's browser entry pure: extract's own files only, no Node built-in, no package", () => {
    const entry = "packages/core/src/issue/extract/pure.ts";
    expect(tree[entry]).toBeTruthy();
    const reached = [...reach(tree, entry)];
    expect(reached).toContain("packages/core/src/issue/extract/detector.ts");
    const deps = reached.flatMap((f) => (tree[f] ?? []).map((d) => ({ from: f, request: d.request, id: d.id })));
    expect(deps.length).toBeGreaterThan(5);
    expect(deps.filter((d) => !d.id || !d.id.startsWith("packages/core/src/issue/extract/"))).toEqual([]);
    for (const heavy of ["decode.ts", "sourcemap.ts", "fingerprint.ts", "index.ts"]) {
      expect(reached).not.toContain(`packages/core/src/issue/extract/${heavy}`);
    }
  });

  it("keeps the web app to itself (it talks to the API over HTTP)", () => {
    const web = (f: string) => f.startsWith("packages/web/");
    expect(edges(tree, (f) => !web(f), web)).toEqual([]);
  });
});
