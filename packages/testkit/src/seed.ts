/**
 * Seeds a customer AWS account in the emulator (moto_server) with SST apps, laid out
 * exactly as SST leaves them in a real account, so discovery, logs and issues have
 * something true to work on locally and in tests:
 *
 * - `seedDemoAccount`: the demo account of the local runtime. Two SST v3 apps in two
 *   regions (an API backend and a storefront), each with `production` and a developer's
 *   personal stage running live; one SST v2 app through an `SSTBootstrap` stack. Real
 *   Lambda functions, IAM roles and log groups match the state.
 * - `seedManyStages`: many stages across many regions, for the discovery benchmark.
 *
 * Both return a description of exactly what was seeded, for tests to compare discovery with.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { CreateStackCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { CreateLogGroupCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, type IAMClient } from "@aws-sdk/client-iam";
import { CreateFunctionCommand } from "@aws-sdk/client-lambda";
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import {
  configureEmulator,
  destroyClients,
  iamClient,
  ignoreExisting,
  pool,
  regionClients,
  type EmulatorTarget,
  type RegionClients,
} from "./aws";
import {
  buildV2Stage,
  buildV3Bootstrap,
  buildV3Stage,
  buildV3EventLog,
  buildV3Update,
  seeded,
  type V3DeployStep,
  type BuiltV2Function,
  type BuiltV3Function,
  type BuiltV3Stage,
  type V2StageSpec,
  type V3FunctionSpec,
  type V3StageSpec,
} from "./sst-state";
import { zipFiles } from "./zip";

const DEMO_REGIONS = ["us-east-1", "eu-west-1"] as const;

export interface SeededFunction {
  sst: "v3" | "v2";
  app: string;
  stage: string;
  region: string;
  /** Component (v3) or construct (v2) name. */
  component: string;
  name: string;
  arn: string;
  runtime: string;
  handler: string;
  sourceHandler: string;
  description: string;
  memorySize: number;
  timeout: number;
  /** Bytes of the code zip uploaded to Lambda. */
  codeSize: number;
  live: boolean;
  internal: boolean;
  logGroup: string;
  logGroupArn: string;
  /** Whether a Lambda function, role and log group exist in the emulator for it. */
  created: boolean;
}

export interface SeededStage {
  sst: "v3" | "v2";
  app: string;
  stage: string;
  region: string;
  personal: boolean;
  /** v3: `manifest.time` of the checkpoint (v2 stage times come from S3). */
  deployedAt?: string;
  /** The state bucket (v3) or SSTBootstrap bucket (v2). */
  bucket: string;
  /** `app/<app>/<stage>.json` (v3) or the stack metadata keys (v2). */
  keys: string[];
  /** v3: the state object is gzipped (`ContentEncoding: gzip`). */
  gzip: boolean;
  functions: SeededFunction[];
  /** v3: number of resources in the checkpoint; v2: metadata entries plus one per stack. */
  resourceCount: number;
  /** v3 demo stages: the deploys written to `update/` and `eventlog/`, newest first. */
  deploys?: SeededDeploy[];
}

export interface SeededDeploy {
  updateId: string;
  source: "cli" | "autodeploy";
  status: "succeeded" | "failed";
  timeStarted: string;
  timeCompleted: string;
  changes: { urn: string; action: "create" | "update" | "delete" | "replace"; error?: string }[];
}

/** The error the demo's failed deploy reports (what Lambda answers to a role it cannot assume). */
export const DEMO_DEPLOY_ERROR =
  "creating Lambda Function: operation error Lambda: CreateFunction, https response error StatusCode: 400, InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.";

/**
 * The demo's deploy history of a stage, newest first: the latest deploy updates the
 * functions (from an autodeploy run on deployed stages), the one before fails on a new
 * function (production stages), the oldest created the stage.
 */
function demoDeploy(built: BuiltV3Stage, completed: Date, index: number, total: number, live: boolean) {
  const lambdas = built.functions.map((f) => f.urn);
  const oldest = index === total - 1;
  const failing = !live && index === 1 && !oldest;
  const autodeploy = !live && index === 0;
  const failedUrn = `urn:pulumi:${built.stage}::${built.app}::sst:aws:Function$aws:lambda/function:Function::ReportsFunction`;
  const steps: V3DeployStep[] = oldest
    ? built.urns.filter((u) => !u.includes("pulumi:providers:") && !u.includes("pulumi:pulumi:Stack")).map((urn) => ({ urn, op: "create" as const }))
    : failing
      ? [{ urn: lambdas[0]!, op: "update" }, { urn: failedUrn, op: "create", error: DEMO_DEPLOY_ERROR }]
      : lambdas.map((urn) => ({ urn, op: "update" as const }));
  const durationMs = oldest ? 240_000 : failing ? 61_000 : 95_000;
  const update = buildV3Update(built.app, built.stage, completed, `u${index}`, "deploy", {
    runId: autodeploy,
    durationMs,
    errors: steps.filter((s) => s.error).map((s) => ({ urn: s.urn, message: s.error! })),
  });
  const start = new Date(completed.getTime() - durationMs);
  const changed = new Set(steps.map((s) => s.urn));
  const eventlog = buildV3EventLog(start, steps, oldest ? [] : built.urns.filter((u) => !changed.has(u)));
  const seeded: SeededDeploy = {
    updateId: update.id,
    source: autodeploy ? "autodeploy" : "cli",
    status: failing ? "failed" : "succeeded",
    timeStarted: start.toISOString(),
    timeCompleted: completed.toISOString(),
    changes: steps.map((s) => ({ urn: s.urn, action: s.op, ...(s.error ? { error: s.error } : {}) })),
  };
  return { update, eventlog, seeded };
}

export interface SeededRegion {
  region: string;
  v3?: { asset: string; state: string; parameterType: "String" | "SecureString" };
  v2?: { stackName: string; bucket: string; version: string };
}

export interface SeedResult {
  endpoint: string;
  accountId: string;
  regions: SeededRegion[];
  apps: { name: string; sst: "v3" | "v2"; stages: string[] }[];
  /** Stages that exist (discovery must list exactly these). */
  stages: SeededStage[];
  /** `app/` objects of removed stages (empty files): discovery must not list them. */
  removedStages: { app: string; stage: string; region: string; bucket: string; key: string }[];
  functions: SeededFunction[];
  buckets: string[];
  sourcemaps: { functionName: string; bucket: string; key: string }[];
  /** Objects in state buckets that are not stage state (update/, summary/, snapshot/, secret/). */
  ignoredKeys: number;
}

export interface DemoSourcemap {
  /** Lambda name, component name, or `<app>/<stage>/<component>`. */
  functionName: string;
  /** The source map JSON. */
  map: string;
  /** The bundle file it maps (`index.mjs`) or the map's file name (`index.mjs.map`). */
  file: string;
}

export interface SeedDemoOptions extends EmulatorTarget {
  /** Two regions: the first holds the API app, the second the storefront and the v2 app. */
  regions?: readonly string[];
  sourcemaps?: DemoSourcemap[];
  /** Code zips for demo functions (same matching as `sourcemaps`); default a tiny handler. */
  code?: { functionName: string; zip: Uint8Array }[];
  /**
   * Removed preview stages of the API app, each an empty `app/<app>/pr-<n>.json` as `sst remove`
   * leaves it. Above 1000 the `app/` prefix no longer fits one ListObjectsV2 page and, since
   * `pr-…` sorts before `production`, a live stage lands on the second page. Default 2.
   */
  removedStages?: number;
  /** Update records (update/, summary/, snapshot/) per stage. Default 3. */
  updatesPerStage?: number;
  /** "Now" for deploy times; default the current time. */
  now?: Date;
  /** Parallel requests to the emulator. Default 16. */
  concurrency?: number;
}

// ---------------------------------------------------------------------------------------
// What the demo account holds

const API_APP = "acme-api";
const WEB_APP = "acme-storefront";
const V2_APP = "acme-legacy";
const API_DEV = "jane";
const WEB_DEV = "omar";

function apiFunctions(): V3FunctionSpec[] {
  return [
    { name: "Api", handler: "packages/functions/src/api.handler", url: true, timeout: 30, description: "Public HTTP API" },
    { name: "OrderWorker", handler: "packages/functions/src/orders/worker.handler", timeout: 60, description: "Processes order events" },
    { name: "NightlyReport", handler: "packages/functions/src/cron/report.handler", memory: 2048, timeout: 300 },
    { name: "Pricing", handler: "packages/pricing/src/handler.price_quote", runtime: "python3.12", memory: 512, timeout: 10, description: "Prices quotes" },
  ];
}

/** The demo's `acme-api` stage spec (what the demo repository's deploy writes for a new stage). */
export function demoApiStage(region: string, accountId: string, stage: string, time: Date): V3StageSpec {
  return apiStage(region, accountId, stage, false, time);
}

export const DEMO_API_APP = API_APP;

function apiStage(region: string, accountId: string, stage: string, live: boolean, time: Date): V3StageSpec {
  return {
    app: API_APP,
    stage,
    region,
    accountId,
    live,
    time,
    functions: apiFunctions(),
    apis: [
      {
        name: "Webhooks",
        routes: [{ route: "POST /stripe", name: "WebhooksStripeHandler", handler: "packages/functions/src/webhooks/stripe.handler", timeout: 10 }],
      },
    ],
    buckets: ["Uploads"],
    outputs: { bucket: "Uploads" },
  };
}

function webStage(region: string, accountId: string, stage: string, live: boolean, time: Date): V3StageSpec {
  return {
    app: WEB_APP,
    stage,
    region,
    accountId,
    live,
    time,
    functions: [
      { name: "Checkout", handler: "packages/functions/src/checkout.handler", url: true, memory: 512, timeout: 15, description: "Creates checkout sessions" },
      { name: "SendEmail", handler: "packages/functions/src/email.handler", memory: 256, timeout: 30 },
    ],
    // Under `sst dev` SST runs the site's dev server locally and deploys no server function.
    sites: live ? [] : [{ name: "Web" }],
    buckets: ["Assets"],
  };
}

function v2Stage(region: string, accountId: string, stage: string, mode: "deploy" | "dev"): V2StageSpec {
  const stacks: V2StageSpec["stacks"] = [
    {
      id: "Api",
      functions: [
        { id: "ListReports", handler: "packages/functions/src/reports/list.handler", route: "GET /reports", secrets: ["DB_PASSWORD"] },
        { id: "CreateReport", handler: "packages/functions/src/reports/create.handler", route: "POST /reports", secrets: ["DB_PASSWORD"] },
      ],
    },
  ];
  if (mode === "deploy") {
    stacks.push({ id: "Jobs", functions: [{ id: "ExportJob", handler: "packages/functions/src/jobs/export.handler", timeout: 300, missingSourcemap: true }], table: "Reports" });
  }
  return { app: V2_APP, stage, region, accountId, mode, stacks };
}

// ---------------------------------------------------------------------------------------

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function demoZip(component: string): Buffer {
  return zipFiles({
    "index.mjs": `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ ok: true, fn: ${JSON.stringify(component)} }) });\n`,
  });
}

/** SST's hex for a code zip: SHA-256 over the zip read as UTF-8 text (`function.ts` `createZipAsset`). */
function sstCodeHash(zip: Uint8Array): string {
  return createHash("sha256").update(Buffer.from(zip).toString("utf8")).digest("hex");
}

function matches(fn: { name: string; component: string; app: string; stage: string }, key: string) {
  return fn.name === key || fn.component === key || `${fn.app}/${fn.stage}/${fn.component}` === key;
}

async function createBucket(c: RegionClients, bucket: string, versioned = false) {
  await ignoreExisting(
    c.s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(c.region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: c.region as BucketLocationConstraint } }),
      }),
    ),
  );
  if (versioned) {
    await c.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  }
}

async function putJson(c: RegionClients, bucket: string, key: string, value: unknown, gzip = false) {
  const text = JSON.stringify(value);
  await c.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: gzip ? gzipSync(text) : text,
      ContentType: "application/json",
      ...(gzip ? { ContentEncoding: "gzip" } : {}),
    }),
  );
}

async function putText(c: RegionClients, bucket: string, key: string, text: string, gzip = false) {
  await c.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzip ? gzipSync(text) : text, ...(gzip ? { ContentEncoding: "gzip" } : {}) }),
  );
}

/** Creates the `/sst/bootstrap` parameter and the asset and state buckets of a region. */
async function bootstrapV3(c: RegionClients, accountId: string, type: "String" | "SecureString") {
  const data = buildV3Bootstrap(accountId, c.region);
  await createBucket(c, data.asset);
  await createBucket(c, data.state, true);
  await c.ssm.send(new PutParameterCommand({ Name: "/sst/bootstrap", Type: type, Value: JSON.stringify(data), Overwrite: true }));
  return data;
}

interface LambdaToCreate {
  accountId: string;
  name: string;
  runtime: string;
  handler: string;
  description: string;
  memorySize: number;
  timeout: number;
  roleName: string;
  environment: Record<string, string>;
  tags: Record<string, string>;
  logGroup: string;
  zip: Uint8Array;
}

async function createLambda(c: RegionClients, iam: IAMClient, fn: LambdaToCreate) {
  const role = await ignoreExisting(
    iam.send(
      new CreateRoleCommand({
        RoleName: fn.roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        Tags: Object.entries(fn.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
  const roleArn = role?.Role?.Arn ?? `arn:aws:iam::${fn.accountId}:role/${fn.roleName}`;
  await ignoreExisting(c.logs.send(new CreateLogGroupCommand({ logGroupName: fn.logGroup, tags: fn.tags })));
  await c.logs.send(new PutRetentionPolicyCommand({ logGroupName: fn.logGroup, retentionInDays: 30 }));
  await ignoreExisting(
    c.lambda.send(
      new CreateFunctionCommand({
        FunctionName: fn.name,
        Runtime: fn.runtime as never,
        Handler: fn.handler,
        Description: fn.description,
        MemorySize: fn.memorySize,
        Timeout: fn.timeout,
        Role: roleArn,
        Code: { ZipFile: fn.zip },
        Architectures: ["x86_64"],
        Environment: { Variables: fn.environment },
        LoggingConfig: { LogFormat: "Text", LogGroup: fn.logGroup },
        Tags: fn.tags,
      }),
    ),
  );
}

function seededFunctionV3(f: BuiltV3Function, codeSize: number, created: boolean): SeededFunction {
  return {
    sst: "v3",
    app: f.app,
    stage: f.stage,
    region: f.region,
    component: f.component,
    name: f.name,
    arn: f.arn,
    runtime: f.runtime,
    handler: f.handler,
    sourceHandler: f.sourceHandler,
    description: f.description,
    memorySize: f.memorySize,
    timeout: f.timeout,
    codeSize,
    live: f.live,
    internal: f.internal,
    logGroup: f.logGroup,
    logGroupArn: f.logGroupArn,
    created,
  };
}

function seededFunctionV2(f: BuiltV2Function, codeSize: number): SeededFunction {
  return {
    sst: "v2",
    app: f.app,
    stage: f.stage,
    region: f.region,
    component: f.id,
    name: f.name,
    arn: f.arn,
    runtime: f.runtime,
    handler: f.handler,
    sourceHandler: f.sourceHandler,
    description: f.description,
    memorySize: f.memorySize,
    timeout: f.timeout,
    codeSize,
    live: f.live,
    internal: false,
    logGroup: f.logGroup,
    logGroupArn: `arn:aws:logs:${f.region}:${f.accountId}:log-group:${f.logGroup}`,
    created: true,
  };
}

/**
 * Builds a v3 stage twice: once to learn its functions, then with each function's real
 * code size and hashes, so state, Lambda and source map keys agree.
 */
function buildWithCode(spec: V3StageSpec, zipFor: (f: BuiltV3Function) => Uint8Array) {
  const first = buildV3Stage(spec);
  const zips = new Map<string, Uint8Array>();
  const code: NonNullable<V3StageSpec["code"]> = {};
  for (const f of first.functions) {
    const zip = zipFor(f);
    zips.set(f.component, zip);
    code[f.component] = {
      codeSize: zip.length,
      codeHash: sstCodeHash(zip),
      codeSha256: createHash("sha256").update(zip).digest("base64"),
    };
  }
  return { built: buildV3Stage({ ...spec, code }), zips };
}

interface V3Plan {
  spec: V3StageSpec;
  gzip: boolean;
}

async function seedV3Stage(
  c: RegionClients,
  iam: IAMClient,
  bootstrap: { asset: string; state: string },
  plan: V3Plan,
  options: { updates: number; zipFor: (f: BuiltV3Function) => Uint8Array; concurrency: number; createFunctions: boolean; eventLogs?: boolean },
): Promise<{ stage: SeededStage; built: BuiltV3Stage; zips: Map<string, Uint8Array>; ignored: number }> {
  const { built, zips } = buildWithCode({ ...plan.spec, assetBucket: bootstrap.asset }, options.zipFor);
  const state = bootstrap.state;
  const puts: Array<() => Promise<unknown>> = [];
  puts.push(() => putJson(c, state, built.key, built.checkpoint, plan.gzip));
  let ignored = 0;
  const deployed = new Date(built.time);
  const deploys: SeededDeploy[] = [];
  for (let i = 0; i < options.updates; i++) {
    const at = new Date(deployed.getTime() - i * (plan.spec.live ? HOUR : DAY));
    if (!options.eventLogs) {
      const u = buildV3Update(built.app, built.stage, at, `u${i}`);
      puts.push(() => putJson(c, state, u.key.update, u.update));
      puts.push(() => putJson(c, state, u.key.summary, u.summary));
      puts.push(() => putJson(c, state, u.key.snapshot, built.checkpoint, plan.gzip));
      ignored += 3;
      continue;
    }
    const d = demoDeploy(built, at, i, options.updates, !!plan.spec.live);
    deploys.push(d.seeded);
    puts.push(() => putJson(c, state, d.update.key.update, d.update.update));
    puts.push(() => putJson(c, state, d.update.key.summary, d.update.summary));
    puts.push(() => putJson(c, state, d.update.key.snapshot, built.checkpoint, plan.gzip));
    puts.push(() => putText(c, state, `eventlog/${built.app}/${built.stage}/${d.update.id}.json`, d.eventlog, plan.gzip));
    ignored += 4;
  }
  // Secrets are AES-GCM ciphertext in SST; any opaque bytes will do here.
  puts.push(() =>
    c.s3.send(
      new PutObjectCommand({
        Bucket: state,
        Key: `secret/${built.app}/${built.stage}.json`,
        Body: Buffer.from(seeded(`${built.app}/${built.stage}/secret`, 96), "hex"),
      }),
    ),
  );
  ignored += 1;
  puts.push(() =>
    c.ssm.send(
      new PutParameterCommand({
        Name: `/sst/passphrase/${built.app}/${built.stage}`,
        Type: "SecureString",
        Value: Buffer.from(seeded(`${built.accountId}/${built.app}/${built.stage}/pass`, 64), "hex").toString("base64"),
        Description: "DO NOT DELETE STATE WILL BECOME UNRECOVERABLE",
        Overwrite: true,
      }),
    ),
  );
  for (const f of built.functions) {
    const zip = zips.get(f.component) ?? options.zipFor(f);
    if (!zips.has(f.component)) zips.set(f.component, zip);
    if (!f.live) {
      puts.push(() =>
        c.s3.send(
          new PutObjectCommand({ Bucket: bootstrap.asset, Key: `assets/${f.component}-code-${f.codeHash}.zip`, Body: zip, ContentType: "application/zip" }),
        ),
      );
    }
    if (options.createFunctions) {
      puts.push(() =>
        createLambda(c, iam, {
          accountId: f.accountId,
          name: f.name,
          runtime: f.runtime,
          handler: f.handler,
          description: f.description,
          memorySize: f.memorySize,
          timeout: f.timeout,
          roleName: f.roleName,
          environment: f.environment,
          tags: { "sst:app": f.app, "sst:stage": f.stage },
          logGroup: f.logGroup,
          zip,
        }),
      );
    }
  }
  await pool(puts, options.concurrency, (p) => p());
  const functions = built.functions.map((f) => seededFunctionV3(f, zips.get(f.component)!.length, options.createFunctions));
  return {
    built,
    zips,
    ignored,
    stage: {
      sst: "v3",
      app: built.app,
      stage: built.stage,
      region: built.region,
      personal: built.functions.some((f) => f.live),
      deployedAt: built.time,
      bucket: state,
      keys: [built.key],
      gzip: plan.gzip,
      functions,
      resourceCount: built.urns.length,
      deploys,
    },
  };
}

/** Creates the `SSTBootstrap` stack (an S3 bucket, outputs `BucketName` and `Version`) and returns its bucket. */
async function bootstrapV2(c: RegionClients): Promise<{ bucket: string; version: string }> {
  const version = "7.3";
  const existing = await c.cloudformation.send(new DescribeStacksCommand({ StackName: "SSTBootstrap" })).catch(() => undefined);
  let stack = existing?.Stacks?.[0];
  if (!stack) {
    const template = {
      AWSTemplateFormatVersion: "2010-09-09",
      Resources: { Bucket: { Type: "AWS::S3::Bucket", DeletionPolicy: "Retain" } },
      Outputs: { BucketName: { Value: { Ref: "Bucket" } }, Version: { Value: version } },
    };
    await c.cloudformation.send(
      new CreateStackCommand({ StackName: "SSTBootstrap", TemplateBody: JSON.stringify(template), Tags: [{ Key: "sst:version", Value: "2.44.0" }] }),
    );
    stack = (await c.cloudformation.send(new DescribeStacksCommand({ StackName: "SSTBootstrap" }))).Stacks?.[0];
  }
  const bucket = stack?.Outputs?.find((o) => o.OutputKey === "BucketName")?.OutputValue;
  if (!bucket) throw new Error("SSTBootstrap stack has no BucketName output");
  return { bucket, version };
}

async function seedV2Stage(
  c: RegionClients,
  iam: IAMClient,
  bucket: string,
  spec: V2StageSpec,
  options: { concurrency: number; zipFor: (name: string) => Uint8Array },
): Promise<SeededStage> {
  const built = buildV2Stage(spec);
  const puts: Array<() => Promise<unknown>> = [];
  for (const s of built.stacks) puts.push(() => putJson(c, bucket, s.key, s.metadata));
  puts.push(() => putJson(c, bucket, built.appMetadata.key, built.appMetadata.body));
  const zips = new Map(built.functions.map((f) => [f.name, options.zipFor(f.id)]));
  for (const f of built.functions) {
    puts.push(() =>
      createLambda(c, iam, {
        accountId: f.accountId,
        name: f.name,
        runtime: f.runtime,
        handler: f.handler,
        description: f.description,
        memorySize: f.memorySize,
        timeout: f.timeout,
        roleName: `${f.stack}-${f.id}ServiceRole${seeded(f.addr, 8, "ABCDEF0123456789")}`.slice(0, 64),
        environment: f.environment,
        tags: { "sst:app": f.app, "sst:stage": f.stage },
        logGroup: f.logGroup,
        zip: zips.get(f.name)!,
      }),
    );
  }
  await pool(puts, options.concurrency, (p) => p());
  return {
    sst: "v2",
    app: built.app,
    stage: built.stage,
    region: built.region,
    personal: built.mode === "dev",
    bucket,
    keys: built.stacks.map((s) => s.key),
    gzip: false,
    functions: built.functions.map((f) => seededFunctionV2(f, zips.get(f.name)!.length)),
    resourceCount: built.stacks.reduce((n, s) => n + s.metadata.length + 1, 0),
  };
}

/** Seeds the demo customer account. See the module comment. */
export async function seedDemoAccount(options: SeedDemoOptions): Promise<SeedResult> {
  const regions = options.regions ?? DEMO_REGIONS;
  if (regions.length < 2) throw new Error("seedDemoAccount needs two regions");
  const [r0, r1] = regions as [string, string];
  const now = options.now ?? new Date();
  const concurrency = options.concurrency ?? 16;
  const updates = options.updatesPerStage ?? 3;
  const target = { endpoint: options.endpoint, accountId: options.accountId };
  await configureEmulator(options.endpoint);

  const clients = [regionClients(target, r0), regionClients(target, r1)] as const;
  const iam = iamClient(target);
  try {
    const [c0, c1] = clients;
    const [b0, b1] = await Promise.all([bootstrapV3(c0, options.accountId, "String"), bootstrapV3(c1, options.accountId, "SecureString")]);

    const zipFor = (f: { name: string; component: string; app: string; stage: string }) =>
      options.code?.find((c) => matches(f, c.functionName))?.zip ?? demoZip(f.component);

    const plans: { c: RegionClients; bootstrap: typeof b0; plan: V3Plan }[] = [
      { c: c0, bootstrap: b0, plan: { spec: apiStage(r0, options.accountId, "production", false, new Date(now.getTime() - 2 * DAY)), gzip: false } },
      { c: c0, bootstrap: b0, plan: { spec: apiStage(r0, options.accountId, API_DEV, true, new Date(now.getTime() - 15 * 60_000)), gzip: true } },
      { c: c1, bootstrap: b1, plan: { spec: webStage(r1, options.accountId, "production", false, new Date(now.getTime() - DAY)), gzip: true } },
      { c: c1, bootstrap: b1, plan: { spec: webStage(r1, options.accountId, WEB_DEV, true, new Date(now.getTime() - 40 * 60_000)), gzip: false } },
    ];
    const v3 = await Promise.all(
      plans.map((p) =>
        seedV3Stage(p.c, iam, p.bootstrap, p.plan, { updates, zipFor, concurrency, createFunctions: true, eventLogs: true }),
      ),
    );
    let ignoredKeys = v3.reduce((n, s) => n + s.ignored, 0);

    // Removed preview stages: the empty files `sst remove` leaves behind.
    const removedCount = options.removedStages ?? 2;
    const removedStages = Array.from({ length: removedCount }, (_, i) => ({
      app: API_APP,
      stage: `pr-${i + 1}`,
      region: r0,
      bucket: b0.state,
      key: `app/${API_APP}/pr-${i + 1}.json`,
    }));
    await pool(removedStages, Math.max(concurrency, 32), (r) =>
      c0.s3.send(new PutObjectCommand({ Bucket: r.bucket, Key: r.key, Body: new Uint8Array(0), ContentLength: 0, ContentType: "application/json" })),
    );

    // Source maps, under the v3 asset bucket layout of the function's region.
    const sourcemaps: SeedResult["sourcemaps"] = [];
    for (const sm of options.sourcemaps ?? []) {
      const hit = v3.flatMap((s) => s.built.functions.map((f) => ({ f, s }))).find(({ f }) => matches(f, sm.functionName) && !f.live);
      if (!hit) throw new Error(`no deployed demo function matches source map target "${sm.functionName}"`);
      const { f, s } = hit;
      const mapFile = sm.file.endsWith(".map") ? sm.file : `${sm.file}.map`;
      const bucket = (f.region === r0 ? b0 : b1).asset;
      const key = `sourcemap/${f.logGroupArn}/${sstCodeHash(s.zips.get(f.component)!)}.${mapFile}`;
      await (f.region === r0 ? c0 : c1).s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: sm.map, ContentType: "application/json" }));
      sourcemaps.push({ functionName: f.name, bucket, key });
    }

    // SST v2 app.
    const v2b = await bootstrapV2(c1);
    const v2ZipFor = (id: string) => demoZip(id);
    const v2Stages = await Promise.all([
      seedV2Stage(c1, iam, v2b.bucket, v2Stage(r1, options.accountId, "production", "deploy"), { concurrency, zipFor: v2ZipFor }),
      seedV2Stage(c1, iam, v2b.bucket, v2Stage(r1, options.accountId, API_DEV, "dev"), { concurrency, zipFor: v2ZipFor }),
    ]);

    const stages = [...v3.map((s) => s.stage), ...v2Stages];
    return {
      endpoint: options.endpoint,
      accountId: options.accountId,
      regions: [
        { region: r0, v3: { asset: b0.asset, state: b0.state, parameterType: "String" } },
        { region: r1, v3: { asset: b1.asset, state: b1.state, parameterType: "SecureString" }, v2: { stackName: "SSTBootstrap", ...v2b } },
      ],
      apps: [
        { name: API_APP, sst: "v3", stages: ["production", API_DEV] },
        { name: WEB_APP, sst: "v3", stages: ["production", WEB_DEV] },
        { name: V2_APP, sst: "v2", stages: ["production", API_DEV] },
      ],
      stages,
      removedStages,
      functions: stages.flatMap((s) => s.functions),
      buckets: [b0.asset, b0.state, b1.asset, b1.state, v2b.bucket],
      sourcemaps,
      ignoredKeys,
    };
  } finally {
    destroyClients([...clients], iam);
  }
}

export interface SeedManyOptions extends EmulatorTarget {
  regions: readonly string[];
  /** Total stages, spread round-robin over the regions. Default 200. */
  total?: number;
  /** Or a fixed number per region (wins over `total`). */
  stagesPerRegion?: number;
  /** Default 3. */
  functionsPerStage?: number;
  /** Stages are grouped into apps of this many stages. Default 5. */
  stagesPerApp?: number;
  /** Also create the Lambda functions, roles and log groups (slow). Default false. */
  createFunctions?: boolean;
  /** Extra `update/` objects in the first region's state bucket (pagination). Default 0. */
  paddingKeys?: number;
  now?: Date;
  /** Parallel requests. Default 32. */
  concurrency?: number;
}

/**
 * Seeds many v3 stages for the discovery benchmark. Every fifth stage is a live personal
 * stage; every other state object is gzipped.
 */
export async function seedManyStages(options: SeedManyOptions): Promise<SeedResult> {
  if (options.regions.length === 0) throw new Error("seedManyStages needs at least one region");
  const target = { endpoint: options.endpoint, accountId: options.accountId };
  const now = options.now ?? new Date();
  const concurrency = options.concurrency ?? 32;
  const perStage = options.functionsPerStage ?? 3;
  const perApp = options.stagesPerApp ?? 5;
  const total = options.stagesPerRegion !== undefined ? options.stagesPerRegion * options.regions.length : (options.total ?? 200);
  await configureEmulator(options.endpoint);

  const clients = options.regions.map((r) => regionClients(target, r));
  const iam = iamClient(target);
  try {
    const boots = await pool(clients, concurrency, (c) => bootstrapV3(c, options.accountId, "String"));
    const plans = Array.from({ length: total }, (_, i) => {
      const r = i % clients.length;
      const appIndex = Math.floor(i / perApp);
      const live = i % 5 === 4;
      const spec: V3StageSpec = {
        app: `bench-app-${appIndex}`,
        stage: live ? `dev-${i}` : `stage-${i}`,
        region: options.regions[r]!,
        accountId: options.accountId,
        live,
        time: new Date(now.getTime() - (i + 1) * HOUR),
        functions: Array.from({ length: perStage }, (_, k) => ({
          name: `Fn${k}`,
          handler: `packages/functions/src/fn${k}.handler`,
          memory: 512 + 128 * (k % 4),
        })),
        buckets: ["Media"],
      };
      return { r, plan: { spec, gzip: i % 2 === 1 } satisfies V3Plan };
    });
    const zipFor = (f: { component: string }) => demoZip(f.component);
    const results = await pool(plans, Math.max(1, Math.floor(concurrency / 4)), ({ r, plan }) =>
      seedV3Stage(clients[r]!, iam, boots[r]!, plan, {
        updates: 1,
        zipFor,
        concurrency: 4,
        createFunctions: options.createFunctions ?? false,
      }),
    );
    let ignoredKeys = results.reduce((n, s) => n + s.ignored, 0);
    const padding = options.paddingKeys ?? 0;
    if (padding > 0) {
      const first = results.find((s) => s.stage.region === options.regions[0])?.stage ?? results[0]!.stage;
      const keys = Array.from({ length: padding }, (_, i) => buildV3Update(first.app, first.stage, new Date(now.getTime() - (i + 10) * HOUR), `pad${i}`));
      await pool(keys, concurrency, (u) => putJson(clients[0]!, boots[0]!.state, u.key.update, u.update));
      ignoredKeys += padding;
    }
    const stages = results.map((s) => s.stage);
    const apps = new Map<string, string[]>();
    for (const s of stages) apps.set(s.app, [...(apps.get(s.app) ?? []), s.stage]);
    return {
      endpoint: options.endpoint,
      accountId: options.accountId,
      regions: options.regions.map((region, i) => ({ region, v3: { asset: boots[i]!.asset, state: boots[i]!.state, parameterType: "String" } })),
      apps: [...apps].map(([name, st]) => ({ name, sst: "v3" as const, stages: st })),
      stages,
      removedStages: [],
      functions: stages.flatMap((s) => s.functions),
      buckets: boots.flatMap((b) => [b.asset, b.state]),
      sourcemaps: [],
      ignoredKeys,
    };
  } finally {
    destroyClients(clients, iam);
  }
}
