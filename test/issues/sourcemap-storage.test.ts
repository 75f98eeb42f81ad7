/**
 * Source maps in object storage (issue 7, item 9): an uploaded map's body goes to the
 * console's bucket (the emulator's S3 here), only metadata to the database; a 50 MiB
 * map uploads; the per-workspace count is capped with a clear code; a map stored in
 * the database by an older version still reads back; tenants stay apart.
 */
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { gunzipSync, gzipSync } from "node:zlib";
import { Database } from "../../packages/core/src/db";
import { Actor } from "../../packages/core/src/actor";
import { createId } from "../../packages/core/src/id";
import { sourcemapTable } from "../../packages/core/src/issue";
import { MAX_UPLOADS_PER_WORKSPACE, SourceMaps } from "../../packages/core/src/issue/sourcemaps";
import { SourceMapStore } from "../../packages/core/src/issue/sourcemap-store";
import { acceptInvitations, call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";

const small = JSON.stringify({ version: 3, sources: ["a.ts"], names: [], mappings: "AAAA" });

async function row(workspaceId: string, id: string) {
  const [r] = await Database.use((db) => db.select().from(sourcemapTable).where(and(eq(sourcemapTable.workspaceId, workspaceId), eq(sourcemapTable.id, id))));
  return r!;
}

describe("source maps in object storage", () => {
  it("stores a 50 MiB map's body in the bucket and only metadata in the database", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const filler = 50 * 1024 * 1024 - 200;
    const map = JSON.stringify({ version: 3, sources: ["a.ts"], names: [], mappings: "A".repeat(filler) });
    expect(Buffer.byteLength(map)).toBeLessThanOrEqual(50 * 1024 * 1024);
    const res = await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: "f", file: "index.mjs", map } });
    expect(res.status).toBe(201);
    const stored = await row(ws.id, res.body.id);
    expect(stored.content).toBeNull();
    expect(stored.objectKey).toBe(`workspaces/${ws.id}/sourcemaps/${res.body.id}.map.gz`);
    expect(stored.bytes).toBe(Buffer.byteLength(map));
    expect(gunzipSync(await SourceMapStore.get(stored.objectKey!)).length).toBe(Buffer.byteLength(map));
  }, 120_000);

  it("reads maps back from the bucket, and old ones from the database column", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const res = await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: "fn-a", file: "index.mjs", map: small } });
    expect(res.status).toBe(201);
    // An upload from before object storage: the body in the column.
    await Database.use((db) =>
      db.insert(sourcemapTable).values({ workspaceId: ws.id, id: createId(), functionName: "fn-old", file: "index.mjs", bytes: small.length, content: gzipSync(small), timeCreated: new Date() }),
    );
    const ref = (name: string) => ({ stageId: createId(), connectionId: createId(), name, arn: "x", region: "us-east-1", logGroup: "g", app: "a", stage: "s" });
    await Actor.system("test", { id: ws.id, slug: ws.slug }, async () => {
      for (const name of ["fn-a", "fn-old"]) {
        const handle = await SourceMaps.provider(() => ref(name)).locate({ file: "/var/task/index.mjs", timestamp: Date.now() + 60_000 } as never);
        expect(handle).toBeDefined();
        expect(Buffer.from((await handle!.load()) as Uint8Array).toString()).toBe(small);
      }
    });
    // Another workspace finds none of them.
    const other = await createWorkspace(token);
    await Actor.system("test", { id: other.id, slug: other.slug }, async () => {
      expect(await SourceMaps.provider(() => ref("fn-a")).locate({ file: "/var/task/index.mjs", timestamp: Date.now() } as never)).toBeUndefined();
    });
    expect((await call("GET", `/api/workspaces/${other.slug}/sourcemaps`, { token })).body).toEqual([]);
  });

  it("caps the maps a workspace keeps, with a clear code", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const rows = Array.from({ length: MAX_UPLOADS_PER_WORKSPACE }, () => ({
      workspaceId: ws.id,
      id: createId(),
      functionName: "f",
      file: "index.mjs",
      bytes: 1,
      objectKey: "x",
      timeCreated: new Date(),
    }));
    await Database.use((db) => db.insert(sourcemapTable).values(rows));
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps`, { token, body: { functionName: "f", file: "index.mjs", map: small } }), 409, "limit_exceeded");
  });
  it("takes a map larger than the router passes by a direct upload: presigned PUT, then complete", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const map = JSON.stringify({ version: 3, sources: ["a.ts"], names: [], mappings: "A".repeat(3 * 1024 * 1024) });
    const bytes = Buffer.byteLength(map);
    const started = await call("POST", `/api/workspaces/${ws.slug}/sourcemaps/uploads`, { token, body: { bytes } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ method: "PUT", expiresIn: 900 });
    // Completing before anything was uploaded finds nothing.
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps/uploads/${started.body.upload}/complete`, { token, body: { functionName: "f", file: "index.mjs" } }), 404, "not_found");
    // The URL is signed for exactly `bytes` (S3 refuses another length; the emulator does not check signatures).
    expect(new URL(started.body.url).searchParams.get("X-Amz-SignedHeaders")).toContain("content-length");
    const put = await fetch(started.body.url, { method: "PUT", body: map });
    expect(put.status).toBe(200);

    // Another workspace cannot complete it: its prefix is its own.
    const other = await createWorkspace(token);
    expectError(await call("POST", `/api/workspaces/${other.slug}/sourcemaps/uploads/${started.body.upload}/complete`, { token, body: { functionName: "f", file: "index.mjs" } }), 404, "not_found");
    // A member may not upload.
    const email = randomEmail("member");
    await call("POST", `/api/workspaces/${ws.id}/members`, { token, body: { email, role: "member" } });
    const member = await signIn(email);
    await acceptInvitations(member.token);
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps/uploads`, { token: member.token, body: { bytes } }), 403, "forbidden");

    const done = await call("POST", `/api/workspaces/${ws.slug}/sourcemaps/uploads/${started.body.upload}/complete`, { token, body: { functionName: "f", file: "dist/index.mjs.map" } });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ functionName: "f", file: "index.mjs", bytes });
    const stored = await row(ws.id, done.body.id);
    expect(gunzipSync(await SourceMapStore.get(stored.objectKey!)).toString()).toBe(map);
    // The pending object is gone: completing twice finds nothing.
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps/uploads/${started.body.upload}/complete`, { token, body: { functionName: "f", file: "index.mjs" } }), 404, "not_found");
    // Over 50 MiB is refused before any URL is given.
    expectError(await call("POST", `/api/workspaces/${ws.slug}/sourcemaps/uploads`, { token, body: { bytes: 50 * 1024 * 1024 + 1 } }), 413, "payload_too_large");
  }, 60_000);
});
