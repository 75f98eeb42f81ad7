/**
 * No regular expression of the issue pipeline can be made to backtrack super-linearly.
 *
 * Every regex literal and every `new RegExp(...)` in packages/core/src/issue/**\/*.ts and app/sst
 * (tests excepted: they only ever see their own inputs) is found by parsing the sources
 * with the TypeScript compiler, and checked by recheck (automata-theoretic analysis,
 * fuzzing for large patterns). Anything but `safe` fails: rewrite the pattern without
 * overlapping quantifiers, or scan with indexOf/charCodeAt.
 *
 * `new RegExp` built from parts cannot be read from the source, so each one must be listed
 * in DYNAMIC with the module export that holds the compiled pattern; an unlisted one fails.
 *
 * recheck uses its native binary when installed (recheck-linux-x64 and friends), else Java,
 * else its pure JavaScript build in a worker: the result is the same, only slower.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check } from "recheck";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { SCANNER } from "./normalize";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The issue pipeline, and the SST state readers (they read customer objects too). */
const DIRS = ["issue", "app/sst"];

/** `new RegExp(...)` sites by file (relative to issue/), with the patterns they build. */
const DYNAMIC: Record<string, RegExp[]> = {
  // One alternation of the placeholders' patterns, compiled once (normalize.ts PARTS).
  "issue/extract/normalize.ts": [SCANNER],
};

/**
 * Patterns allowed although recheck does not call them safe, with the reason. Keep it empty
 * when possible; an entry needs an input bound that makes the worst case harmless.
 */
const ALLOWED: Record<string, string> = {
  // The placeholders' scanner (normalize.ts SCANNER) is polynomial on crafted hex/host runs,
  // but it only ever reads the first two lines of a message, each cut at MAX_INPUT (4096)
  // characters: measured worst case on 4 KB of recheck's attack string about 100 ms.
  "issue/extract/normalize.ts:0": "input capped at 4096 characters per line, two lines",
};

interface Site {
  file: string;
  line: number;
  source: string;
  flags: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === "node_modules" ? [] : sourceFiles(p);
    return d.name.endsWith(".ts") && !d.name.endsWith(".test.ts") && !d.name.endsWith(".d.ts") ? [p] : [];
  });
}

function collect(): { literals: Site[]; dynamic: Map<string, number> } {
  const literals: Site[] = [];
  const dynamic = new Map<string, number>();
  for (const abs of DIRS.flatMap((d) => sourceFiles(path.join(SRC, d)))) {
    const file = path.relative(SRC, abs).split(path.sep).join("/");
    const sf = ts.createSourceFile(abs, readFileSync(abs, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const slash = text.lastIndexOf("/");
        literals.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, source: text.slice(1, slash), flags: text.slice(slash + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === "RegExp") {
        const arg = node.arguments?.[0];
        if (arg && ts.isStringLiteralLike(arg)) {
          const flags = node.arguments?.[1];
          literals.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, source: arg.text, flags: flags && ts.isStringLiteralLike(flags) ? flags.text : "" });
        } else dynamic.set(file, (dynamic.get(file) ?? 0) + 1);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}

describe("regular expressions of the issue pipeline", () => {
  const { literals, dynamic } = collect();

  it("finds them all", () => {
    // A broken walk would pass vacuously: the pipeline has dozens of patterns.
    expect(literals.length).toBeGreaterThan(50);
    expect(literals.some((s) => s.file === "issue/extract/platform.ts")).toBe(true);
    for (const [file, count] of dynamic) {
      expect(DYNAMIC[file], `${file}: new RegExp from a non-literal, list it in DYNAMIC`).toBeDefined();
      expect(DYNAMIC[file]!.length, `${file}: every new RegExp must be listed in DYNAMIC`).toBe(count);
    }
  });

  it("are all safe from super-linear backtracking (recheck)", async () => {
    const sites: Site[] = [...literals];
    for (const [file, list] of Object.entries(DYNAMIC)) for (const re of list) sites.push({ file, line: 0, source: re.source, flags: re.flags });
    const unsafe: string[] = [];
    for (const site of sites) {
      const where = `${site.file}:${site.line} /${site.source}/${site.flags}`;
      const d = await check(site.source, site.flags, { timeout: 30_000 });
      if (d.status === "safe") continue;
      if (ALLOWED[`${site.file}:${site.line}`]) continue;
      const detail = d.status === "vulnerable" ? `${d.complexity.type}${d.complexity.type === "polynomial" ? ` (degree ${d.complexity.degree})` : ""}, attack ${d.attack.pattern}` : `unknown: ${d.error.kind}`;
      unsafe.push(`${where}: ${detail}`);
    }
    expect(unsafe).toEqual([]);
  }, 600_000);
});
