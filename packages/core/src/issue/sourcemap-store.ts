/**
 * Where uploaded source-map bodies live: an S3 bucket of the console (SOURCEMAP_BUCKET
 * on AWS; with the AWS emulator, a bucket it creates there), gzipped, under
 * `workspaces/<workspace>/sourcemaps/<id>.map.gz`. Only metadata stays in the
 * database. With neither (a laptop on real AWS credentials and no bucket), bodies go
 * to the database column as before.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
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

  export async function put(key: string, body: Buffer) {
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
    await s3().send(new PutObjectCommand({ Bucket: name, Key: key, Body: body, ContentType: "application/gzip" }));
  }

  export async function get(key: string): Promise<Buffer> {
    const res = await s3().send(new GetObjectCommand({ Bucket: bucket()!, Key: key }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }
}
