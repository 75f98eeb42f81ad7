/**
 * The web app names the server's answers through the typed client only (lib/api/types.ts,
 * `Data<typeof route.$get>`): no answer is re-declared by hand and no call's typed answer
 * is cast away, so a change of shape on the server fails `npm run typecheck` where the web
 * app reads it.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const src = path.join(root, "packages/web/src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "testing" ? [] : files(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe("web app types", () => {
  const all = files(src);

  it("finds the web app's files", () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((f) => f.endsWith("data/alerts.ts"))).toBe(true);
  });

  it("never casts a call's typed answer to a hand-written type", () => {
    const casts = all.flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => ({ at: `${path.relative(root, f)}:${i + 1}`, line }))
        .filter(({ line }) => /as Promise<unknown>|as unknown as Promise</.test(line)),
    );
    expect(casts).toEqual([]);
  });

  it("names answers in the data layer from the client, not by hand", () => {
    // Interfaces in data/ describe the web app's own state (filters, optimistic moves), never
    // an answer: those are `Data<...>` types. A hand-written copy of one is refused here.
    const answerNames = /^export interface (Destination|Slack\w*|Rule|Delivery|Account|Issue|Stage|Invocation|Deploy|Run|Member|Workspace|Usage\w*|Billing\w*)\b/;
    const found = all
      .filter((f) => f.includes(`${path.sep}data${path.sep}`) || f.endsWith(path.join("lib", "api", "types.ts")))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .filter((line) => answerNames.test(line))
          .map((line) => `${path.relative(root, f)}: ${line}`),
      );
    expect(found).toEqual([]);
  });
});
