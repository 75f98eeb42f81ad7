/**
 * Discovery on state SST itself wrote, beside the generated fixtures:
 * - v2: `.sst/cache/metadata.json` files committed to public repositories (real/, each
 *   file's repository and commit in real/SOURCES.json). SSR sites list their server
 *   function once, internal, never live, although v2's SsrFunction also reports itself as a
 *   `Function` carrying the site's server ARN.
 * - v3 (real): `.sst/.pulumi/stacks/<app>/<stage>.json` files committed to public
 *   repositories, the local copy of the checkpoint SST keeps in the project (same format as
 *   `app/<app>/<stage>.json` in the state bucket). Expected values below were read off the
 *   files themselves (each `aws:lambda/function:Function`, its `sst:aws:Function` parent and
 *   the URN's component chain), not from the parser's output.
 * - v3 (synthetic): SST names TanStack Start `sst:aws:TanstackStart` (platform/src/components/aws/
 *   tanstack-start.ts); the URNs below are those of a real `sst state export` quoted in a
 *   public write-up. Pulumi keeps the old copy of a replaced resource (`delete: true`) until
 *   it deletes it: the copy is not part of the stage, whatever its position.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plainJson } from "@console/testkit/sst";
import { LAMBDA_TYPE, parseV3Checkpoint, readV2Stage, readV3Stage, type StageFunction, type StageModel, type StageReadResult } from "./index";

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

/** A committed checkpoint read the way the scanner reads `app/<app>/<stage>.json`. */
function v3(file: string, app: string, stage: string): { model: StageModel; raw: RawCheckpoint } {
  const bytes = readFileSync(join(REAL, file));
  const raw = JSON.parse(bytes.toString("utf8")) as RawCheckpoint;
  return { model: ok(readV3Stage({ key: `app/${app}/${stage}.json`, body: bytes })), raw };
}

type RawResource = { urn: string; type: string; parent?: string; delete?: boolean; outputs?: Record<string, any> };
type RawCheckpoint = { checkpoint: { stack: string; latest: { resources: RawResource[] } } };

/** Facts every real checkpoint must keep: one function per Lambda in state, nothing else. */
function expectWellFormed(model: StageModel, raw: RawCheckpoint) {
  const resources = raw.checkpoint.latest.resources;
  expect(model.warnings).toEqual([]);
  // None of these files holds a pending-delete copy: every entry is a resource of the stage.
  expect(resources.some((r) => r.delete === true)).toBe(false);
  expect(model.resources).toHaveLength(resources.length);
  const lambdas = resources.filter((r) => r.type === LAMBDA_TYPE);
  expect(model.functions.map((f) => f.key)).toEqual(lambdas.map((r) => r.urn));
  for (const fn of model.functions) {
    // Every Lambda SST makes sits under an sst:aws:Function component.
    expect(fn.componentKey).toBe(lambdas.find((r) => r.urn === fn.key)!.parent);
  }
}

const summary = (f: StageFunction) => [f.component, f.internal, f.live];

describe("real SST v3 state", () => {
  it("Nextjs in production (getyousynced/Syinq): all four Lambdas are the site's, internal, none live", () => {
    const { model, raw } = v3("getyousynced-syinq.production.checkpoint.json", "sync-website", "production");
    expectWellFormed(model, raw);
    expect(model).toMatchObject({ sst: "v3", app: "sync-website", stage: "production", region: "us-east-1", personal: false, deployedAt: "2024-11-22T00:17:19.801Z" });
    expect(model.functions.map(summary)).toEqual([
      ["SyncWebsiteRevalidationSeeder", true, false],
      ["SyncWebsiteRevalidationEventsSubscriberUffhrsFunction", true, false],
      ["SyncWebsiteDefault", true, false],
      ["SyncWebsiteImageOptimizer", true, false],
    ]);
    for (const f of model.functions) {
      expect(f).toMatchObject({ region: "us-east-1", accountId: "831926620158", runtime: "nodejs20.x", handler: "index.handler", liveSignals: [] });
      expect(f.logGroup).toBe(`/aws/lambda/${f.name}`);
    }
    const server = model.functions.find((f) => f.component === "SyncWebsiteDefault")!;
    expect(server).toMatchObject({
      name: "sync-website-production-SyncWebsiteDefaultFunction",
      arn: "arn:aws:lambda:us-east-1:831926620158:function:sync-website-production-SyncWebsiteDefaultFunction",
      description: "SyncWebsite server",
      memorySize: 1024,
      timeout: 20,
      architecture: "x86_64",
      modifiedAt: "2024-11-22T00:17:00.942Z",
    });
    // The server's own component does not say internal: only its Nextjs parent does.
    const serverComponent = raw.checkpoint.latest.resources.find((r) => r.urn === server.componentKey)!;
    expect(serverComponent.outputs?._metadata).toEqual({ handler: "index.handler" });
    // The revalidation queue subscriber is nested one level deeper (Nextjs > QueueLambdaSubscriber).
    const subscriber = model.functions.find((f) => f.component.startsWith("SyncWebsiteRevalidationEvents"))!;
    expect(subscriber).toMatchObject({ name: "producti-SyncWebsiteRevalidationEventsSubscriberUffhrsFunctionFu", timeout: 30 });
    expect(model.functions.find((f) => f.component === "SyncWebsiteImageOptimizer")).toMatchObject({ architecture: "arm64", memorySize: 1536 });
  });

  it("an Api under sst dev (acher249/a16z-hack): seven user route functions, all live, with their source handlers", () => {
    const { model, raw } = v3("acher249-a16z-hack.dev.checkpoint.json", "notes", "dev");
    expectWellFormed(model, raw);
    expect(model).toMatchObject({ app: "notes", stage: "dev", region: "us-east-1", personal: true, deployedAt: "2024-11-09T23:53:13.414Z" });
    expect(model.functions).toHaveLength(7);
    for (const f of model.functions) {
      expect(f).toMatchObject({ internal: false, live: true, region: "us-east-1", accountId: "727646493992", runtime: "provided.al2023", handler: "bootstrap" });
      // `_live` and `_metadata.dev` on the component, `(live)` in the description; the
      // environment is Pulumi ciphertext, so it cannot tell.
      expect(f.liveSignals).toEqual(["component_live", "component_dev", "description"]);
      expect(f.name).toBe(`notes-dev-${f.component}Function`);
    }
    expect(model.functions.map((f) => [f.sourceHandler, f.description])).toEqual([
      ["packages/functions/src/delete.main", "Api route DELETE /notes/{id} (live)"],
      ["packages/functions/src/update.main", "Api route PUT /notes/{id} (live)"],
      ["packages/functions/src/billing.main", "Api route POST /billing (live)"],
      ["packages/functions/src/list.main", "Api route GET /notes (live)"],
      ["packages/functions/src/create.main", "Api route POST /notes (live)"],
      ["packages/functions/src/get.main", "Api route GET /notes/{id} (live)"],
      ["packages/functions/src/getSignedUrl.main", "Api route GET /signed-url (live)"],
    ]);
  });

  it("Realtime + Nextjs under sst dev (0xR/rank-force): the authorizer is the user's and live, the site's two are internal and deployed", () => {
    const { model, raw } = v3("0xr-rank-force.rjs.checkpoint.json", "rank-force", "rjs");
    expectWellFormed(model, raw);
    expect(model).toMatchObject({ region: "eu-west-1", personal: true, deployedAt: "2024-07-06T12:13:10.565Z" });
    expect(model.functions.map(summary)).toEqual([
      ["MyRealtimeAuthorizerHandler", false, true],
      ["WebDefault", true, false],
      ["WebImageOptimizer", true, false],
    ]);
    const [authorizer, server, images] = model.functions;
    expect(authorizer).toMatchObject({
      name: "rank-force-rjs-MyRealtimeAuthorizerHandlerFunction",
      region: "eu-west-1",
      accountId: "213432432513",
      runtime: "provided.al2023",
      handler: "bootstrap",
      sourceHandler: "src/function/realtime-authorizer.handler",
      description: "Authorizer for MyRealtime (live)",
    });
    // No `_metadata.dev` in this SST version; the environment is plain and carries SST_FUNCTION_ID.
    expect(authorizer!.liveSignals).toEqual(["component_live", "description", "environment"]);
    expect(server).toMatchObject({ name: "rank-force-rjs-WebDefaultFunction", runtime: "nodejs20.x", handler: "server-index.handler", description: "Web server", liveSignals: [] });
    expect(images).toMatchObject({ name: "rank-force-rjs-WebImageOptimizerFunction", runtime: "nodejs20.x", handler: "index.handler", architecture: "arm64", liveSignals: [] });
    expect(model.functions.every((f) => f.region === "eu-west-1")).toBe(true);
  });

  it("an Astro site in dev mode (mackenzienolan/www): its dev server is internal, not live, and keeps its own log group", () => {
    const { model, raw } = v3("mackenzienolan-www.mackenzienolan.checkpoint.json", "www", "mackenzienolan");
    expectWellFormed(model, raw);
    // Deployed by `sst dev` (the Astro component's `_metadata.mode` is "placeholder"): a
    // personal stage, although no function runs live.
    expect(model).toMatchObject({ region: "us-east-1", personal: true, deployedAt: "2025-02-12T14:48:35.592Z" });
    expect(model.functions).toHaveLength(1);
    expect(model.functions[0]).toMatchObject({
      component: "wwwDevServer",
      internal: true,
      live: false,
      liveSignals: [],
      name: "www-mackenzienolan-wwwDevServerFunction-zsedozca",
      region: "us-east-1",
      accountId: "412381756929",
      runtime: "nodejs20.x",
      handler: "index.handler",
      description: "www dev server",
      memorySize: 128,
      // Named by SST separately from the function (loggingConfig.logGroup), not `/aws/lambda/<name>`.
      logGroup: "/aws/lambda/www-mackenzienolan-wwwDevServer-tovcdefd",
    });
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
