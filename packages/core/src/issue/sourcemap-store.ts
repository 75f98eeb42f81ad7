/**
 * Where uploaded source-map bodies live: an S3 bucket of the console (SOURCEMAP_BUCKET
 * on AWS; with the AWS emulator, a bucket it creates there), gzipped, under
 * `workspaces/<workspace>/sourcemaps/<id>.map.gz`. Only metadata stays in the
 * database. With neither (a laptop on real AWS credentials and no bucket), bodies go
 * to the database column as before.
 */
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { AwsConfig } from "../aws/config";
import { env } from "../env";

const LOCAL_BUCKET = "console-sourcemaps";
let client: S3Client | undefined;
let ensured: Promise<void> | undefined;

function bucket(): string | undefined {
  return env.SOURCEMAP_BUCKET ?? (env.AWS_ENDPOINT_URL ? LOCAL_BUCKET : undefined);
}

function s3() {
  client ??= new S3Client(AwsConfig.console());
  return client;
}

export namespace SourceMapStore {
  export function enabled(): boolean {
    return !!bucket();
  }

  export function keyOf(workspaceId: string, id: string) {
    return `workspaces/${workspaceId}/sourcemaps/${id}.map.gz`;
  }

  /** Where a direct upload (a presigned PUT, for maps larger than a request through the router may be) waits. */
  export function pendingKeyOf(workspaceId: string, id: string) {
    return `workspaces/${workspaceId}/sourcemaps/uploads/${id}.map`;
  }

  /** A URL that lets its holder PUT exactly `bytes` bytes at `key` for `expiresIn` seconds. */
  export async function presignPut(key: string, bytes: number, expiresIn: number): Promise<string> {
    await ensureBucket();
    return getSignedUrl(s3(), new PutObjectCommand({ Bucket: bucket()!, Key: key, ContentLength: bytes }), { expiresIn });
  }

  /** The object's size, or undefined when there is none. */
  export async function size(key: string): Promise<number | undefined> {
    try {
      const head = await s3().send(new HeadObjectCommand({ Bucket: bucket()!, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404) return undefined;
      throw err;
    }
  }

  export async function remove(key: string) {
    await s3().send(new DeleteObjectCommand({ Bucket: bucket()!, Key: key }));
  }

  async function ensureBucket() {
    const name = bucket()!;
    if (!env.SOURCEMAP_BUCKET) {
      ensured ??= s3()
        .send(new CreateBucketCommand({ Bucket: name }))
        .then(() => undefined)
        .catch((err) => {
          if (!/BucketAlready/.test((err as { name?: string }).name ?? "")) {
            ensured = undefined;
            throw err;
          }
        });
      await ensured;
    }
  }

  export async function put(key: string, body: Buffer) {
    await ensureBucket();
    await s3().send(new PutObjectCommand({ Bucket: bucket()!, Key: key, Body: body, ContentType: "application/gzip" }));
  }

  export async function get(key: string): Promise<Buffer> {
    const res = await s3().send(new GetObjectCommand({ Bucket: bucket()!, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }
}
