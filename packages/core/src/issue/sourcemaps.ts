/**
 * Where a deployment's source maps are, for one workspace. A frame in `/var/task/X`
 * of function F at time T is mapped with the first of:
 *
 * 1. a map uploaded through the API or CLI for F and X (the newest made before T,
 *    with ten minutes of grace for an upload right after a deploy);
 * 2. SST v3: the asset bucket of F's region, `sourcemap/<log group ARN>/<hash>.X.map`,
 *    the newest object written before T (that is the deployment live at T);
 * 3. SST v2: the bootstrap bucket, `sourcemap/<app>/<stage>/<function ARN>/...X.map`;
 * 4. a `X.map` shipped inside F's code package (read from the package once per code
 *    hash).
 *
 * Listings and packages are cached for a minute; the parsed maps themselves are
 * cached by the extraction engine's SourceMapCache, keyed by the object's identity, so
 * a map is parsed once, not once per event.
 */
import { and, desc, eq } from "drizzle-orm";
import { gunzipSync, gzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { z } from "zod";
import { Actor } from "../actor";
import { Account } from "../account";
import { awsRegionTable } from "../account/account.sql";
import { Customer } from "../aws/customer";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { createId } from "../id";
import { fn } from "../util/fn";
import type { RawSourceMap, SourceMapHandle, SourceMapProvider, SourceMapRequest } from "./extract";
import { sourcemapTable } from "./issue.sql";
import { extractFiles } from "./zip";
import { SourceMapStore } from "./sourcemap-store";
import { count } from "drizzle-orm";
import { sha256 } from "../id";

/** Uploaded maps a workspace may keep. */
export const MAX_UPLOADS_PER_WORKSPACE = 1000;

const GRACE_MS = 10 * 60_000;
const LIST_TTL_MS = 60_000;
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Largest code package downloaded to look for `.map` files (see README, "Source maps"). */
const MAX_PACKAGE_BYTES = 128 * 1024 * 1024;

export interface FunctionRef {
  stageId: string;
  connectionId: string;
  name: string;
  arn: string;
  region: string;
  logGroup: string;
  app: string;
  stage: string;
}

interface Listed {
  key: string;
  etag: string;
  time: number;
}

const listings = new Map<string, { at: number; value: Promise<Listed[]> }>();
const uploads = new Map<string, { at: number; value: Promise<{ id: string; time: Date }[]> }>();
const functions = new Map<string, { at: number; value: Promise<{ sha?: string; url?: string }> }>();
const packages = new Map<string, { at: number; value: Promise<Map<string, Buffer> | undefined> }>();

function cached<T>(map: Map<string, { at: number; value: Promise<T> }>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit && Date.now() - hit.at < LIST_TTL_MS) return hit.value;
  const value = load();
  map.set(key, { at: Date.now(), value });
  value.catch(() => map.delete(key));
  if (map.size > 5000) map.delete(map.keys().next().value!);
  return value;
}

function basename(path: string) {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** The newest candidate written before `timestamp` (within the grace), else the oldest after it. */
function pick<T extends { time: number }>(items: T[], timestamp: number): T | undefined {
  const before = items.filter((i) => i.time <= timestamp + GRACE_MS).sort((a, b) => b.time - a.time);
  return before[0] ?? [...items].sort((a, b) => a.time - b.time)[0];
}

async function regionBuckets(connectionId: string, region: string) {
  const workspaceId = Actor.workspaceId();
  const [row] = await Database.use((db) =>
    db
      .select({ asset: awsRegionTable.assetBucket, v2: awsRegionTable.v2Bucket })
      .from(awsRegionTable)
      .where(and(eq(awsRegionTable.workspaceId, workspaceId), eq(awsRegionTable.connectionId, connectionId), eq(awsRegionTable.region, region))),
  );
  return row;
}

async function s3For(ref: FunctionRef) {
  const access = await Account.access(ref.connectionId);
  const credentials = await Customer.credentials(access);
  return Customer.client(S3Client, { region: ref.region, credentials, accountId: access.accountId, connectionId: ref.connectionId });
}

async function listPrefix(ref: FunctionRef, bucket: string, prefix: string): Promise<Listed[]> {
  return cached(listings, `${ref.connectionId}|${bucket}|${prefix}`, async () => {
    const s3 = await s3For(ref);
    const out: Listed[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, etag: o.ETag ?? "", time: o.LastModified?.getTime() ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  });
}

function s3Handle(ref: FunctionRef, bucket: string, object: Listed): SourceMapHandle {
  return {
    id: `s3:${bucket}/${object.key}@${object.etag}`,
    async load() {
      const s3 = await s3For(ref);
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }));
      return (await res.Body!.transformToByteArray()) as RawSourceMap;
    },
  };
}

/** Files of a function's code package, by path, read once per code hash. */
async function codePackage(ref: FunctionRef): Promise<{ sha: string; files: Map<string, Buffer> } | undefined> {
  const access = await Account.access(ref.connectionId);
  const credentials = await Customer.credentials(access);
  const lambda = Customer.client(LambdaClient, { region: ref.region, credentials, accountId: access.accountId, connectionId: ref.connectionId });
  const { sha, url } = await cached(functions, ref.arn, async () => {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: ref.arn }));
    return { sha: fn.Configuration?.CodeSha256, url: fn.Code?.Location };
  });
  if (!sha || !url || !/^https?:\/\//.test(url)) return undefined;
  const files = await cached(packages, sha, () => SourceMaps.downloadMaps(url));
  return files ? { sha, files } : undefined;
}

export namespace SourceMaps {
  /** Downloads a code package and keeps its `.map` files. */
  export async function downloadMaps(url: string): Promise<Map<string, Buffer> | undefined> {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok || !res.body) return undefined;
    // A code package is read whole (zip's directory is at its end) but never beyond the cap.
    if (Number(res.headers.get("content-length") ?? 0) > MAX_PACKAGE_BYTES) {
      await res.body.cancel();
      throw new Error(`code package larger than ${MAX_PACKAGE_BYTES} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      size += r.value.length;
      if (size > MAX_PACKAGE_BYTES) {
        await reader.cancel();
        throw new Error(`code package larger than ${MAX_PACKAGE_BYTES} bytes`);
      }
      chunks.push(r.value);
    }
    return extractFiles(Buffer.concat(chunks), (name) => name.endsWith(".map"));
  }

  /** The provider for one workspace's functions; `resolve` finds a frame's function. */
  export function provider(resolve: (request: SourceMapRequest) => FunctionRef | undefined): SourceMapProvider {
    return {
      async locate(request) {
        const ref = resolve(request);
        if (!ref) return undefined;
        const file = basename(request.file);
        const workspaceId = Actor.workspaceId();

        const uploaded = await cached(uploads, `${workspaceId}|${ref.name}|${file}`, () =>
          Database.use((db) =>
            db
              .select({ id: sourcemapTable.id, time: sourcemapTable.timeCreated })
              .from(sourcemapTable)
              .where(and(eq(sourcemapTable.workspaceId, workspaceId), eq(sourcemapTable.functionName, ref.name), eq(sourcemapTable.file, file)))
              .orderBy(desc(sourcemapTable.timeCreated))
              .limit(20),
          ),
        );
        const upload = pick(uploaded.map((u) => ({ ...u, time: u.time.getTime() })), request.timestamp);
        if (upload) {
          return {
            id: `upload:${workspaceId}:${upload.id}`,
            load: async () => {
              const [row] = await Database.use((db) =>
                db
                  .select({ content: sourcemapTable.content, objectKey: sourcemapTable.objectKey })
                  .from(sourcemapTable)
                  .where(and(eq(sourcemapTable.workspaceId, workspaceId), eq(sourcemapTable.id, upload.id))),
              );
              if (!row) throw new Error("uploaded source map is gone");
              if (row.objectKey) return gunzipSync(await SourceMapStore.get(row.objectKey));
              if (!row.content) throw new Error("uploaded source map has no body");
              return gunzipSync(row.content);
            },
          };
        }

        const buckets = await regionBuckets(ref.connectionId, ref.region).catch(() => undefined);
        const accountId = ref.arn.split(":")[4];
        if (buckets?.asset) {
          const logGroupArn = `arn:aws:logs:${ref.region}:${accountId}:log-group:${ref.logGroup}`;
          const objects = (await listPrefix(ref, buckets.asset, `sourcemap/${logGroupArn}/`)).filter((o) => o.key.endsWith(`.${file}.map`));
          const found = pick(objects, request.timestamp);
          if (found) return s3Handle(ref, buckets.asset, found);
        }
        if (buckets?.v2) {
          const objects = (await listPrefix(ref, buckets.v2, `sourcemap/${ref.app}/${ref.stage}/${ref.arn}/`)).filter(
            (o) => o.key.endsWith(".map") && (o.key.endsWith(`${file}.map`) || !o.key.slice(o.key.lastIndexOf("/") + 1).includes(".js")),
          );
          const found = pick(objects, request.timestamp);
          if (found) return s3Handle(ref, buckets.v2, found);
        }

        const pkg = await codePackage(ref).catch(() => undefined);
        const path = request.file.replace(/^\/var\/task\//, "");
        const bundled = pkg?.files.get(`${path}.map`) ?? pkg?.files.get(`${file}.map`);
        if (pkg && bundled) return { id: `zip:${pkg.sha}:${path}`, load: async () => bundled };
        return undefined;
      },
    };
  }

  /** Stores an uploaded map (gzipped) for a function's bundle file (admin). */
  export const upload = fn(
    z.object({
      functionName: z.string().min(1).max(140),
      file: z.string().min(1).max(255).transform((f) => basename(f).replace(/\.map$/, "")),
      map: z.string().min(2),
      stageId: z.string().length(26).optional(),
    }),
    async (input) => {
      Actor.assertRole("admin");
      return store(input);
    },
  );

  /** Checks and keeps one map (an upload's body, or a direct upload's object once complete). */
  async function store(input: { functionName: string; file: string; map: string; stageId?: string }) {
    {
      if (Buffer.byteLength(input.map) > MAX_UPLOAD_BYTES) throw new VisibleError("payload_too_large", "A source map may be at most 50 MiB");
      let parsed: { version?: unknown; mappings?: unknown };
      try {
        parsed = JSON.parse(input.map);
      } catch {
        throw new VisibleError("validation", "map: not JSON");
      }
      if (parsed.version !== 3 || typeof parsed.mappings !== "string") throw new VisibleError("validation", "map: not a version 3 source map");
      const workspaceId = Actor.workspaceId();
      await assertUnderCount(workspaceId);
      const content = gzipSync(input.map);
      const id = createId();
      const objectKey = SourceMapStore.enabled() ? SourceMapStore.keyOf(workspaceId, id) : null;
      if (objectKey) await SourceMapStore.put(objectKey, content);
      await Database.use((db) =>
        db.insert(sourcemapTable).values({
          workspaceId,
          id,
          stageId: input.stageId ?? null,
          functionName: input.functionName,
          file: input.file,
          bytes: Buffer.byteLength(input.map),
          content: objectKey ? null : content,
          objectKey,
          sha256: sha256(input.map),
          timeCreated: new Date(),
        }),
      );
      uploads.clear();
      return { id, functionName: input.functionName, file: input.file, bytes: Buffer.byteLength(input.map) };
    }
  }

  async function assertUnderCount(workspaceId: string) {
    const [counted] = await Database.use((db) => db.select({ n: count() }).from(sourcemapTable).where(eq(sourcemapTable.workspaceId, workspaceId)));
    if ((counted?.n ?? 0) >= MAX_UPLOADS_PER_WORKSPACE) {
      throw new VisibleError("limit_exceeded", `A workspace may keep at most ${MAX_UPLOADS_PER_WORKSPACE} uploaded source maps`);
    }
  }

  /** How long a direct upload's URL works. */
  export const DIRECT_UPLOAD_SECONDS = 15 * 60;

  /**
   * A direct upload, for maps larger than a request through the router may carry (on AWS,
   * CloudFront passes at most 1 MB of body): a presigned PUT of exactly `bytes` bytes into
   * the workspace's own prefix of the source-map bucket, then `completeUpload`.
   */
  export const startUpload = fn(
    z.object({ bytes: z.number().int().min(2) }),
    async (input) => {
      Actor.assertRole("admin");
      if (!SourceMapStore.enabled()) throw new VisibleError("unavailable", "Direct uploads need the console's source-map bucket (SOURCEMAP_BUCKET); upload the map in the request body instead");
      if (input.bytes > MAX_UPLOAD_BYTES) throw new VisibleError("payload_too_large", "A source map may be at most 50 MiB");
      const workspaceId = Actor.workspaceId();
      await assertUnderCount(workspaceId);
      const id = createId();
      const url = await SourceMapStore.presignPut(SourceMapStore.pendingKeyOf(workspaceId, id), input.bytes, DIRECT_UPLOAD_SECONDS);
      return { upload: id, url, method: "PUT" as const, expiresIn: DIRECT_UPLOAD_SECONDS };
    },
  );

  /** Reads a direct upload's object (only in the caller's workspace prefix), checks it like any upload, and keeps it. */
  export const completeUpload = fn(
    z.object({
      upload: z.string().length(26),
      functionName: z.string().min(1).max(140),
      file: z.string().min(1).max(255).transform((f) => basename(f).replace(/\.map$/, "")),
      stageId: z.string().length(26).optional(),
    }),
    async (input) => {
      Actor.assertRole("admin");
      if (!SourceMapStore.enabled()) throw new VisibleError("unavailable", "Direct uploads need the console's source-map bucket");
      const key = SourceMapStore.pendingKeyOf(Actor.workspaceId(), input.upload);
      const bytes = await SourceMapStore.size(key);
      if (bytes === undefined) throw new NotFoundError("Upload");
      try {
        if (bytes > MAX_UPLOAD_BYTES) throw new VisibleError("payload_too_large", "A source map may be at most 50 MiB");
        const map = (await SourceMapStore.get(key)).toString("utf8");
        return await store({ functionName: input.functionName, file: input.file, map, stageId: input.stageId });
      } finally {
        await SourceMapStore.remove(key).catch(() => {});
      }
    },
  );

  export async function list() {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({ id: sourcemapTable.id, functionName: sourcemapTable.functionName, file: sourcemapTable.file, bytes: sourcemapTable.bytes, timeCreated: sourcemapTable.timeCreated })
        .from(sourcemapTable)
        .where(eq(sourcemapTable.workspaceId, workspaceId))
        .orderBy(desc(sourcemapTable.timeCreated))
        .limit(200),
    );
  }

  export function clearCaches() {
    listings.clear();
    uploads.clear();
    functions.clear();
    packages.clear();
  }
}
