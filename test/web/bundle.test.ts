/**
 * The web app takes the server's types only: nothing of packages/functions, core or
 * workspace-template, and no server library, is in the built bundle (checked through the
 * bundle's source maps, and its text). Uses the build of the test run (WEB_DIST).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The packages the browser may run: the UI libraries, and the request side of Hono's client. */
const ALLOWED = ["solid-js", "@solidjs/router", "@tanstack/query-core", "@tanstack/solid-query", "lucide-solid", "uplot", "hono", "jsonc-parser"];
const HONO_CLIENT = /^hono\/dist\/(client\/|utils\/cookie\.js$)/;
/**
 * The one piece of core the browser runs: the error detector of Issues, through its pure
 * entry (core/src/issue/extract/pure.ts; test/structure keeps it free of Node and packages),
 * for the Local tab. Its decoding, source maps and fingerprints stay on the server.
 */
const PURE_DETECTOR = /packages\/core\/src\/issue\/extract\/(pure|detector|classify|memo|header|platform|text|parse-json|parse-text|frames|types)\.ts$/;

function packageOf(source: string): string | undefined {
  const after = source.split("node_modules/").pop()!;
  if (after === source) return undefined;
  const parts = after.split("/");
  return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

describe("the web bundle", () => {
  const dir = path.join(process.env.WEB_DIST!, "assets");
  const files = readdirSync(dir);
  const sources = files
    .filter((f) => f.endsWith(".js.map"))
    .flatMap((f) => (JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { sources: string[] }).sources);

  it("holds the web app and its browser libraries only", () => {
    expect(sources.some((s) => s.includes("packages/web/src/lib/api/client.ts"))).toBe(true);
    expect(sources.filter((s) => /packages\/(functions|core|workspace-template)\//.test(s) && !PURE_DETECTOR.test(s))).toEqual([]);
    const packages = new Set(sources.map(packageOf).filter((p): p is string => !!p));
    expect([...packages].filter((p) => !ALLOWED.includes(p))).toEqual([]);
    const hono = sources.filter((s) => packageOf(s) === "hono").map((s) => s.split("node_modules/").pop()!);
    expect(hono.length).toBeGreaterThan(0);
    expect(hono.filter((s) => !HONO_CLIENT.test(s))).toEqual([]);
  });

  it("has no server code in its text", () => {
    const text = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(path.join(dir, f), "utf8")).join("\n");
    for (const marker of ["drizzle-orm", "mysql2", "@aws-sdk", "VisibleError", "zValidator", "createApi"]) {
      expect(text.includes(marker), marker).toBe(false);
    }
  });
});
