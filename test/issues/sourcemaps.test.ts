/**
 * Source maps uploaded with the CLI (through the API) map the frames of a function
 * that has no map in its SST bucket; a bad upload is refused with a clear error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { Ingest } from "../../packages/core/src/issue";
import { bundleDemo, invoke } from "@console/testkit/programs";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { startLocalServer, type LocalServer } from "../../packages/functions/src/local/server";
import { acceptInvitations, call, createWorkspace, expectError, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";

const execFileAsync = promisify(execFile);
let server: LocalServer;
let seed: SeedResult;

beforeAll(async () => {
  server = await startLocalServer({ port: 0, web: { type: "none" } });
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe("uploaded source maps", () => {
  it("the CLI uploads a map that then maps the function's frames", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const conn = await connectAccount(token, ws.slug, seed.accountId);
    const fn = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "Api")!;
    const bundle = await bundleDemo();
    const dir = mkdtempSync(path.join(tmpdir(), "console-maps-"));
    writeFileSync(path.join(dir, "index.mjs.map"), bundle.map);

    // Asynchronously: the server answering the CLI runs in this process.
    const cli = await execFileAsync(
      process.execPath,
      ["--import", "tsx", "packages/functions/src/cli/index.ts", "sourcemaps", "upload", "--function", fn.name, path.join(dir, "index.mjs.map")],
      { encoding: "utf8", env: { ...process.env, CONSOLE_URL: server.url, CONSOLE_TOKEN: token, CONSOLE_WORKSPACE: ws.slug } },
    );
    expect(JSON.parse(cli.stdout.trim())).toMatchObject({ functionName: fn.name, bundle: "index.mjs" });
    const listed = await call("GET", `/api/workspaces/${ws.slug}/sourcemaps`, { token });
    expect(listed.body).toHaveLength(1);

    // A map larger than a request through the router may carry goes by a direct upload.
    const big = JSON.stringify({ version: 3, sources: ["a.ts"], names: [], mappings: "A".repeat(1_200_000) });
    writeFileSync(path.join(dir, "big.mjs.map"), big);
    const direct = await execFileAsync(
      process.execPath,
      ["--import", "tsx", "packages/functions/src/cli/index.ts", "sourcemaps", "upload", "--function", fn.name, path.join(dir, "big.mjs.map")],
      { encoding: "utf8", env: { ...process.env, CONSOLE_URL: server.url, CONSOLE_TOKEN: token, CONSOLE_WORKSPACE: ws.slug } },
    );
    expect(JSON.parse(direct.stdout.trim())).toMatchObject({ functionName: fn.name, bundle: "big.mjs", bytes: Buffer.byteLength(big) });
    expect((await call("GET", `/api/workspaces/${ws.slug}/sourcemaps`, { token })).body).toHaveLength(2);

    const run = await invoke("node", "checkout", { total: 250, currency: "EUR" });
    const payload = {
      messageType: "DATA_MESSAGE",
      owner: seed.accountId,
      logGroup: fn.logGroup,
      logStream: "2026/11/22/[$LATEST]upload",
      subscriptionFilters: [`console-${conn.id}-${fn.region}`],
      logEvents: run.events.map((e) => ({ id: e.id, timestamp: e.timestamp + 60_000, message: e.message })),
    };
    const result = await Ingest.batch([{ id: "1", data: gzipSync(JSON.stringify(payload)) }]);
    expect(result.stats.stored).toBe(1);
    const issues = (await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues;
    const detail = (await call("GET", `/api/workspaces/${ws.slug}/issues/${issues[0].id}`, { token })).body;
    const top = detail.issue.error.frames.find((f: { inApp: boolean }) => f.inApp);
    expect(top).toMatchObject({ file: "node/handler.ts", function: "authorize" });
    expect(top.context.line).toContain("PaymentDeclinedError");
  });

  it("a minified error opens an issue before its map exists; once the map is uploaded the mapped error joins it", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const conn = await connectAccount(token, ws.slug, seed.accountId);
    const fn = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "Api")!;
    const bundle = await bundleDemo();
    const ingest = async (stream: string, offset: number) => {
      const run = await invoke("node", "checkout", { total: 250, currency: "EUR" });
      const payload = {
        messageType: "DATA_MESSAGE",
        owner: seed.accountId,
        logGroup: fn.logGroup,
        logStream: stream,
        subscriptionFilters: [`console-${conn.id}-${fn.region}`],
        logEvents: run.events.map((e) => ({ id: `${stream}-${e.id}`, timestamp: e.timestamp + offset, message: e.message })),
      };
      return Ingest.batch([{ id: stream, data: gzipSync(JSON.stringify(payload)) }]);
    };
    const list = async () => (await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues as { id: string; count: number }[];
    const detail = async (id: string) => (await call("GET", `/api/workspaces/${ws.slug}/issues/${id}`, { token })).body.issue;

    expect((await ingest("2026/11/22/[$LATEST]before-map", 120_000)).stats.stored).toBe(1);
    const [before] = await list();
    const first = await detail(before!.id);
    expect(first.groupingBasis.basis).toBe("minified");
    expect(first.error.frames.find((f: { inApp: boolean }) => f.inApp).file).toMatch(/^\/var\/task\/index\.m?js$/);

    const upload = await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: fn.name, file: "index.mjs", map: bundle.map } });
    expect(upload.status).toBe(201);
    // The consumer remembers unmapped results for a minute only (enrich.ts); here the minute has passed.
    Ingest.clearCaches();

    expect((await ingest("2026/11/22/[$LATEST]after-map", 180_000)).stats.stored).toBe(1);
    const after = await list();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before!.id, count: 2 });
    const second = await detail(before!.id);
    expect(second.error.frames.find((f: { inApp: boolean }) => f.inApp)).toMatchObject({ file: "node/handler.ts", function: "authorize" });
  });

  it("a map uploaded by one workspace never maps another workspace's errors of the same function", async () => {
    const bundle = await bundleDemo();
    const fn = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "Api")!;
    const tenant = async () => {
      const { token } = await signIn();
      const ws = await createWorkspace(token);
      const conn = await connectAccount(token, ws.slug, seed.accountId);
      return { token, ws, conn };
    };
    const [a, b] = [await tenant(), await tenant()];
    expect((await call("POST", `/api/workspaces/${a.ws.slug}/sourcemaps`, { token: a.token, body: { functionName: fn.name, file: "index.mjs", map: bundle.map } })).status).toBe(201);
    Ingest.clearCaches();
    const run = await invoke("node", "checkout", { total: 250, currency: "EUR" });
    const shown = async (t: Awaited<ReturnType<typeof tenant>>, stream: string) => {
      const payload = {
        messageType: "DATA_MESSAGE",
        owner: seed.accountId,
        logGroup: fn.logGroup,
        logStream: stream,
        subscriptionFilters: [`console-${t.conn.id}-${fn.region}`],
        logEvents: run.events.map((e) => ({ id: `${stream}-${e.id}`, timestamp: e.timestamp + 240_000, message: e.message })),
      };
      expect((await Ingest.batch([{ id: stream, data: gzipSync(JSON.stringify(payload)) }])).stats.stored).toBe(1);
      const [issue] = (await call("GET", `/api/workspaces/${t.ws.slug}/issues`, { token: t.token })).body.issues;
      const detail = (await call("GET", `/api/workspaces/${t.ws.slug}/issues/${issue.id}`, { token: t.token })).body.issue;
      return detail.error.frames.find((f: { inApp: boolean }) => f.inApp);
    };
    // The same raw stack, first in the workspace with the map, then in the one without.
    expect(await shown(a, "2026/11/22/[$LATEST]tenant-a")).toMatchObject({ file: "node/handler.ts", function: "authorize" });
    const other = await shown(b, "2026/11/22/[$LATEST]tenant-b");
    expect(other.file).toMatch(/^\/var\/task\/index\.m?js$/);
    expect(JSON.stringify(other)).not.toContain("handler.ts");
  });

  it("refuses what is not a source map, and members who are not admins", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: "f", file: "index.mjs", map: "{oops" } }), 400, "validation");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: "f", file: "index.mjs", map: '{"version":2}' } }), 400, "validation");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { file: "index.mjs", map: "{}" } }), 400, "validation");
    const email = `m-${Date.now()}@example.com`;
    await call("POST", `/api/workspaces/${ws.slug}/members`, { token, body: { email } });
    const member = await signIn(email);
    await acceptInvitations(member.token);
    expectError(
      await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token: member.token, body: { functionName: "f", file: "index.mjs", map: '{"version":3,"mappings":""}' } }),
      403,
      "forbidden",
    );
    // Large maps pass the route's own limit (bigger than the API's default 64 KiB).
    const big = JSON.stringify({ version: 3, sources: ["a.ts"], names: [], mappings: "AAAA;".repeat(40_000) });
    expect((await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: "f", file: "index.mjs", map: big } })).status).toBe(201);
  });
});
