/**
 * SDK clients for seeding an account in the AWS emulator (moto_server). Moto keeps one
 * store per account; the header `x-moto-account-id` picks it, so every client gets a
 * middleware that sets it on each request.
 */
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";

export interface EmulatorTarget {
  endpoint: string;
  accountId: string;
}

interface MiddlewareClient {
  middlewareStack: {
    add(middleware: (next: (args: any) => Promise<any>) => (args: any) => Promise<any>, options: { step: "build"; name: string }): void;
  };
}

/** Makes every request of `client` act as `accountId` in moto. */
export function actAsAccount<T extends MiddlewareClient>(client: T, accountId: string): T {
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers["x-moto-account-id"] = accountId;
      return next(args);
    },
    { step: "build", name: "motoAccount" },
  );
  return client;
}

function base(target: EmulatorTarget, region: string) {
  return {
    region,
    endpoint: target.endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 5,
  };
}

export interface RegionClients {
  region: string;
  s3: S3Client;
  ssm: SSMClient;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  cloudformation: CloudFormationClient;
}

export function regionClients(target: EmulatorTarget, region: string): RegionClients {
  const cfg = base(target, region);
  return {
    region,
    s3: actAsAccount(new S3Client({ ...cfg, forcePathStyle: true }), target.accountId),
    ssm: actAsAccount(new SSMClient(cfg), target.accountId),
    lambda: actAsAccount(new LambdaClient(cfg), target.accountId),
    logs: actAsAccount(new CloudWatchLogsClient(cfg), target.accountId),
    cloudformation: actAsAccount(new CloudFormationClient(cfg), target.accountId),
  };
}

export function iamClient(target: EmulatorTarget): IAMClient {
  return actAsAccount(new IAMClient(base(target, "us-east-1")), target.accountId);
}

export function destroyClients(clients: RegionClients[], iam?: IAMClient) {
  for (const c of clients) {
    c.s3.destroy();
    c.ssm.destroy();
    c.lambda.destroy();
    c.logs.destroy();
    c.cloudformation.destroy();
  }
  iam?.destroy();
}

/** Tells moto not to run Lambda code in Docker (it cannot run it here anyway). */
export async function configureEmulator(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/config`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  if (!res.ok) throw new Error(`moto config failed: ${res.status}`);
}

/** Runs `fn` over `items`, at most `limit` at a time; rejects with the first error. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Swallows the "already exists" errors of a create call, so seeding twice is harmless. */
export async function ignoreExisting<T>(promise: Promise<T>): Promise<T | undefined> {
  try {
    return await promise;
  } catch (err) {
    const name = (err as { name?: string }).name ?? "";
    if (
      [
        "BucketAlreadyOwnedByYou",
        "ResourceConflictException",
        "ResourceAlreadyExistsException",
        "EntityAlreadyExists",
        "EntityAlreadyExistsException",
        "AlreadyExistsException",
        "ParameterAlreadyExists",
      ].includes(name)
    ) {
      return undefined;
    }
    throw err;
  }
}
