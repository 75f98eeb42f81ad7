/** docs/api.md lists every route of the API, and no route the API does not have. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createApi } from "../../packages/functions/src/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("docs/api.md", () => {
  it("has one row per route", () => {
    const routes = new Set(
      createApi()
        .routes.filter((r) => r.method !== "ALL")
        .map((r) => `${r.method} ${r.path}`),
    );
    const doc = readFileSync(path.join(root, "docs/api.md"), "utf8");
    const documented = new Set([...doc.matchAll(/^\| (GET|POST|PATCH|PUT|DELETE) \| `([^`?]+)/gm)].map((m) => `${m[1]} ${m[2]}`));
    expect([...routes].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !routes.has(r)).sort()).toEqual([]);
  });
});
