/**
 * Discovery on state SST itself wrote, beside the generated fixtures:
 * - v2: `.sst/cache/metadata.json` files committed to public repositories (real/, each
 *   file's repository and commit in real/SOURCES.json). SSR sites list their server
 *   function once, internal, never live, although v2's SsrFunction also reports itself as a
 *   `Function` carrying the site's server ARN.
 * - v3: SST names TanStack Start `sst:aws:TanstackStart` (platform/src/components/aws/
 *   tanstack-start.ts); the URNs below are those of a real `sst state export` quoted in a
 *   public write-up. Pulumi keeps the old copy of a replaced resource (`delete: true`) until
 *   it deletes it: the copy is not part of the stage, whatever its position.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plainJson } from "@console/testkit/sst";
import { parseV3Checkpoint, readV2Stage, type StageModel, type StageReadResult } from "./index";

const REAL = join(import.meta.dirname, "real");
const sources = (JSON.parse(readFileSync(join(REAL, "SOURCES.json"), "utf8")) as { files: Array<{ file: string; repo: string; commit: string; path: string }> }).files;

function ok(result: StageReadResult): StageModel {
  if (result.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.model;
}

/** A committed metadata.json (stack file name -> entries) as the stage's stack objects. */
function v2(file: string, mode: "deploy" | "dev" = "deploy"): StageModel {
  const doc = JSON.parse(readFileSync(join(REAL, file), "utf8")) as Record<string, unknown[]>;
  const stacks = Object.entries(doc).map(([name, entries]) => ({ stack: name, body: plainJson(entries), lastModified: "2024-01-01T00:00:00Z" }));
  return ok(readV2Stage({ app: "app", stage: "stage", stacks, appMetadata: plainJson({ mode }) }));
}

describe("real SST v2 state", () => {
  it("every file names its repository and commit", () => {
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const s of sources) {
      expect(s.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(() => JSON.parse(readFileSync(join(REAL, s.file), "utf8"))).not.toThrow();
    }
  });

  for (const file of ["streen9-nextjs-sst.metadata.json", "gty3-nextjs-sst.metadata.json"]) {
    it(`${file}: the Next.js server function is listed once, internal`, () => {
      for (const mode of ["deploy", "dev"] as const) {
        const model = v2(file, mode);
        expect(model.functions).toHaveLength(1);
        const [fn] = model.functions;
        expect(fn).toMatchObject({ component: "site", internal: true, live: false, runtime: "nodejs18.x" });
        expect(fn!.name).toMatch(/ServerFunction/);
        expect(fn!.key).toMatch(/\/server$/);
        // The construct is still a resource of the stage.
        expect(model.resources.filter((r) => r.type === "Function")).toHaveLength(1);
      }
    });
  }

  it("an Astro site with its site entry only: one internal function", () => {
    const model = v2("start-serverless-astrosst.metadata.json");
    expect(model.functions.map((f) => [f.component, f.internal, f.region])).toEqual([["site", true, "us-east-1"]]);
  });

  it("an API's functions over two stacks stay user functions, live under sst dev", () => {
    const model = v2("rudijs-sst-v2-demo-notes-app.metadata.json", "dev");
    expect(model.functions).toHaveLength(5);
    expect(model.functions.every((f) => !f.internal && f.live && f.region === "ap-southeast-1")).toBe(true);
    expect(model.functions.map((f) => f.sourceHandler)).toEqual([
      "packages/functions/src/create.main",
      "packages/functions/src/get.main",
      "packages/functions/src/list.main",
      "packages/functions/src/update.main",
      "packages/functions/src/delete.main",
    ]);
    expect(model.stacks).toEqual(["rudijs-notes-ApiStack", "rudijs-notes-StorageStack"]);
  });
});

const ACCOUNT = "123456789012";
const lambda = (name: string, extra: Record<string, unknown> = {}) => ({
  urn: `urn:pulumi:sin-uat::solstice::sst:aws:TanstackStart$sst:aws:Function$aws:lambda/function:Function::${name}Function`,
  type: "aws:lambda/function:Function",
  custom: true,
  id: `solstice-sin-uat-${name}Function`,
  parent: `urn:pulumi:sin-uat::solstice::sst:aws:TanstackStart$sst:aws:Function::${name}`,
  outputs: { arn: `arn:aws:lambda:ca-central-1:${ACCOUNT}:function:solstice-sin-uat-${name}Function-abc`, name: `solstice-sin-uat-${name}Function-abc`, runtime: "nodejs20.x", handler: "index.handler", ...extra },
  ...extra,
});

function checkpoint(resources: unknown[]) {
  return { version: 3, checkpoint: { stack: "organization/solstice/sin-uat", latest: { manifest: { time: "2025-05-01T00:00:00Z" }, resources } } };
}

const component = (name: string) => ({ urn: `urn:pulumi:sin-uat::solstice::sst:aws:TanstackStart$sst:aws:Function::${name}`, type: "sst:aws:Function", custom: false, parent: "urn:pulumi:sin-uat::solstice::sst:aws:TanstackStart::Web", outputs: { _metadata: { handler: "index.handler", internal: false } } });
const site = { urn: "urn:pulumi:sin-uat::solstice::sst:aws:TanstackStart::Web", type: "sst:aws:TanstackStart", custom: false, outputs: {} };

describe("SST v3 state", () => {
  it("TanStack Start's server function is internal (type sst:aws:TanstackStart)", () => {
    const parsed = parseV3Checkpoint(checkpoint([site, component("WebServer"), lambda("WebServer")]), { app: "solstice", stage: "sin-uat" });
    if (parsed.status !== "ok") throw new Error("expected ok");
    expect(parsed.model.functions.map((f) => [f.component, f.internal])).toEqual([["WebServer", true]]);
  });

  it("a pending-delete copy is skipped, before or after the live resource", () => {
    const live = lambda("WebServer", { memorySize: 2048 });
    const old = { ...lambda("WebServer", { memorySize: 1024 }), delete: true, id: "solstice-sin-uat-WebServerFunction-old", outputs: { ...lambda("WebServer").outputs, arn: `arn:aws:lambda:ca-central-1:${ACCOUNT}:function:old-copy`, name: "old-copy", memorySize: 1024 } };
    for (const order of [[old, live], [live, old]]) {
      const parsed = parseV3Checkpoint(checkpoint([site, component("WebServer"), ...order]), { app: "solstice", stage: "sin-uat" });
      if (parsed.status !== "ok") throw new Error("expected ok");
      expect(parsed.model.functions).toHaveLength(1);
      expect(parsed.model.functions[0]).toMatchObject({ memorySize: 2048, name: "solstice-sin-uat-WebServerFunction-abc" });
      expect(parsed.model.warnings.filter((w) => w.includes("appears twice"))).toEqual([]);
      expect(parsed.model.resources.filter((r) => r.type === "aws:lambda/function:Function")).toHaveLength(1);
    }
  });
});
