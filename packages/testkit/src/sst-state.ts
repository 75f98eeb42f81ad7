/**
 * Builds what SST writes to an AWS account, with the exact layouts SST uses, for the demo
 * account and for tests: v3/v4 Pulumi checkpoints (`app/<app>/<stage>.json`), update and
 * summary records, the `/sst/bootstrap` parameter, and v2 stack/app metadata. Pure: no
 * AWS calls, and deterministic (every "random" part is derived from a seed), so the same
 * spec always gives the same bytes.
 *
 * Where each layout comes from: ./sst/README.md.
 */
import { createHash } from "node:crypto";

// ---------------------------------------------------------------------------------------
// Deterministic "random" strings

/** The alphabet of SST's pretty name suffixes (`platform/src/components/naming.ts`). */
const PRETTY_CHARS = "abcdefhkmnorstuvwxz";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `length` characters of `alphabet`, derived from `seed`. */
export function seeded(seed: string, length: number, alphabet = HEX): string {
  let out = "";
  let counter = 0;
  while (out.length < length) {
    const bytes = createHash("sha256").update(`${seed}#${counter++}`).digest();
    for (const b of bytes) {
      if (out.length >= length) break;
      out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

function seededBase64(seed: string, bytes: number): string {
  return Buffer.from(seeded(seed, bytes * 2, HEX), "hex").toString("base64");
}

function uuid(seed: string): string {
  const h = seeded(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------
// Names, URNs, ARNs

/** `app-stage-name`, shortened the way SST does to fit `max` (`naming.ts` `prefixName`). */
export function prefixName(app: string, stage: string, max: number, name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9]/g, "");
  if (clean.length + 1 >= max) return clean.substring(0, max);
  if (clean.length + stage.length + 2 >= max) return `${stage.substring(0, max - clean.length - 1)}-${clean}`;
  return `${app.substring(0, max - stage.length - clean.length - 2)}-${stage}-${clean}`;
}

/** `app-stage-name-<8 pretty chars>` (`naming.ts` `physicalName`), with a seeded suffix. */
export function physicalName(app: string, stage: string, max: number, name: string, seed: string): string {
  return `${prefixName(app, stage, max - 9, name)}-${seeded(seed, 8, PRETTY_CHARS)}`.replace(/-+/g, "-");
}

export function urn(stage: string, app: string, qualifiedType: string, name: string): string {
  return `urn:pulumi:${stage}::${app}::${qualifiedType}::${name}`;
}

function lambdaArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

export function logGroupArn(region: string, accountId: string, logGroup: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}`;
}

// ---------------------------------------------------------------------------------------
// Pulumi pieces

export const PULUMI_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const PULUMI_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A secret as Pulumi stores it with the passphrase provider: `v1:<nonce>:<ciphertext>`. */
function pulumiSecret(seed: string, plaintextBytes = 48): Record<string, string> {
  return {
    [PULUMI_SIG_KEY]: PULUMI_SECRET_SIG,
    ciphertext: `v1:${seededBase64(`${seed}:nonce`, 12)}:${seededBase64(`${seed}:ct`, plaintextBytes + 16)}`,
  };
}

const PULUMI_VERSION = "3.142.0";
const AWS_PROVIDER_VERSION = "6.66.2";
const RANDOM_PROVIDER_VERSION = "4.16.8";

/** Terraform-bridged resources keep timeouts and schema version in a `__meta` output. */
function tfMeta(create = 600000000000): string {
  return JSON.stringify({
    "e2bfb730-ecaa-11e6-8f88-34363bc7c4c0": { create, delete: create, update: create },
    schema_version: "0",
  });
}

// ---------------------------------------------------------------------------------------
// v3 bootstrap

export interface V3BootstrapData {
  version: number;
  asset: string;
  state: string;
  assetEcrRegistryId: string;
  assetEcrUrl: string;
}

/** The `/sst/bootstrap` value SST (v3.2+/v4) writes after its 5 bootstrap steps. */
export function buildV3Bootstrap(accountId: string, region: string): V3BootstrapData {
  const rand = seeded(`bootstrap:${accountId}:${region}`, 12, LOWER_ALNUM);
  return {
    version: 5,
    asset: `sst-asset-${rand}`,
    state: `sst-state-${rand}`,
    assetEcrRegistryId: accountId,
    assetEcrUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/sst-asset`,
  };
}

// ---------------------------------------------------------------------------------------
// v3 stages

export interface V3FunctionSpec {
  /** Component name as in sst.config.ts, e.g. `Api`. */
  name: string;
  /** Source handler, e.g. `packages/functions/src/api.handler`. */
  handler: string;
  /** Default `nodejs20.x`. */
  runtime?: string;
  /** MB, default 1024. */
  memory?: number;
  /** Seconds, default 20. */
  timeout?: number;
  /** Bytes of the code package; default a plausible size derived from the name. */
  codeSize?: number;
  description?: string;
  url?: boolean;
  /** Runs live; defaults to the stage's `live`. */
  live?: boolean;
  /** `_metadata.internal` (SST sets it for helpers). */
  internal?: boolean;
  /** A log group the user passed (`logging.logGroup`); SST then creates no LogGroup child. */
  logGroup?: string;
  /** The Lambda name the user passed (`name`); default SST's generated name. */
  functionName?: string;
  /** Hex SHA-256 SST computed over the code zip (names the code object and source maps); default seeded. */
  codeHash?: string;
  /** Base64 SHA-256 of the zip bytes (Lambda `CodeSha256`); default derived from `codeHash`. */
  codeSha256?: string;
}

export interface V3StageSpec {
  app: string;
  stage: string;
  region: string;
  accountId: string;
  /** Deployed under `sst dev` (functions live unless they say otherwise). */
  live?: boolean;
  /** Time of the last update (`manifest.time`); default 2024-11-01T12:00:00Z. */
  time?: Date | string;
  functions?: V3FunctionSpec[];
  /** `sst.aws.Bucket` components. */
  buckets?: string[];
  /** `sst.aws.ApiGatewayV2` components with Lambda routes. */
  apis?: { name: string; routes: Array<{ route: string } & V3FunctionSpec> }[];
  /** SSR sites (`sst.aws.Nextjs` by default): a server and an image optimizer function, both internal. */
  sites?: { name: string; type?: string }[];
  /** Stack outputs (the object `run()` returned). */
  outputs?: Record<string, unknown>;
  /** Asset bucket of the stage's region; default the one of `buildV3Bootstrap`. */
  assetBucket?: string;
  /** Code facts per component name (any function, site ones included), overriding the function spec. */
  code?: Record<string, { codeSize: number; codeHash: string; codeSha256: string }>;
}

export interface BuiltV3Function {
  app: string;
  stage: string;
  component: string;
  componentUrn: string;
  urn: string;
  name: string;
  arn: string;
  region: string;
  accountId: string;
  runtime: string;
  handler: string;
  sourceHandler: string;
  description: string;
  memorySize: number;
  timeout: number;
  codeSize: number;
  architecture: string;
  logGroup: string;
  logGroupArn: string;
  /** True when SST created the log group (source maps are only uploaded then). */
  ownsLogGroup: boolean;
  /** Hex hash naming the code object `assets/<component>-code-<hex>.zip` and source maps. */
  codeHash: string;
  live: boolean;
  internal: boolean;
  roleName: string;
  roleArn: string;
  /** Plain environment (stored as a Pulumi secret in state). */
  environment: Record<string, string>;
  url?: string;
}

export interface BuiltV3Stage {
  app: string;
  stage: string;
  region: string;
  accountId: string;
  key: string;
  time: string;
  checkpoint: Record<string, unknown>;
  functions: BuiltV3Function[];
  /** Every resource URN, in checkpoint order. */
  urns: string[];
  buckets: { name: string; bucket: string }[];
}

type Resource = Record<string, unknown>;

function toIso(time: Date | string | undefined, fallback: string): string {
  if (time === undefined) return fallback;
  return (typeof time === "string" ? new Date(time) : time).toISOString();
}

/** Pulumi writes RFC 3339 times with nanoseconds: `2024-11-01T12:00:00.123456789Z`. */
function pulumiTime(iso: string, seed: string): string {
  return iso.replace(/\.(\d{3})Z$/, (_, ms: string) => `.${ms}${seeded(seed, 6, "0123456789")}Z`);
}

/** Builds the checkpoint of one v3 stage and describes the functions in it. */
export function buildV3Stage(spec: V3StageSpec): BuiltV3Stage {
  const { app, stage, region, accountId } = spec;
  const time = toIso(spec.time, "2024-11-01T12:00:00.000Z");
  const created = pulumiTime(new Date(Date.parse(time) - 30 * 86400_000).toISOString(), `${app}/${stage}/created`);
  const modified = pulumiTime(time, `${app}/${stage}/modified`);
  const assetBucket = spec.assetBucket ?? buildV3Bootstrap(accountId, region).asset;
  const seed = `${accountId}/${region}/${app}/${stage}`;

  const resources: Resource[] = [];
  const functions: BuiltV3Function[] = [];
  const buckets: { name: string; bucket: string }[] = [];

  const stackUrn = urn(stage, app, "pulumi:pulumi:Stack", `${app}-${stage}`);
  resources.push({ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: spec.outputs ?? {}, created, modified });

  const awsProviderName = `default_${AWS_PROVIDER_VERSION.replace(/\./g, "_")}`;
  const awsProviderUrn = urn(stage, app, "pulumi:providers:aws", awsProviderName);
  const awsProviderId = uuid(`${seed}/aws-provider`);
  const awsProvider = `${awsProviderUrn}::${awsProviderId}`;
  const providerConfig = {
    defaultTags: JSON.stringify({ tags: { "sst:app": app, "sst:stage": stage } }),
    region,
    skipCredentialsValidation: "false",
    skipRegionValidation: "true",
    version: AWS_PROVIDER_VERSION,
  };
  resources.push({
    urn: awsProviderUrn,
    custom: true,
    id: awsProviderId,
    type: "pulumi:providers:aws",
    inputs: { __internal: {}, ...providerConfig },
    outputs: providerConfig,
    created,
    modified,
  });

  const randomProviderName = `default_${RANDOM_PROVIDER_VERSION.replace(/\./g, "_")}`;
  const randomProviderUrn = urn(stage, app, "pulumi:providers:random", randomProviderName);
  const randomProviderId = uuid(`${seed}/random-provider`);
  const needsKey =
    (spec.functions?.length ?? 0) > 0 || (spec.apis?.length ?? 0) > 0 || (spec.sites?.length ?? 0) > 0;
  if (needsKey) {
    resources.push({
      urn: randomProviderUrn,
      custom: true,
      id: randomProviderId,
      type: "pulumi:providers:random",
      inputs: { __internal: {}, version: RANDOM_PROVIDER_VERSION },
      outputs: { version: RANDOM_PROVIDER_VERSION },
      created,
      modified,
    });
    resources.push({
      urn: urn(stage, app, "random:index/randomBytes:RandomBytes", "LambdaEncryptionKey"),
      custom: true,
      id: "none",
      type: "random:index/randomBytes:RandomBytes",
      inputs: { __defaults: [], length: 32 },
      outputs: { base64: pulumiSecret(`${seed}/key/b64`, 44), hex: pulumiSecret(`${seed}/key/hex`, 64), id: "none", length: 32 },
      parent: stackUrn,
      provider: `${randomProviderUrn}::${randomProviderId}`,
      propertyDependencies: { length: [] },
      created,
      modified,
    });
  }

  const tags = { "sst:app": app, "sst:stage": stage };

  const addFunction = (given: V3FunctionSpec, parentUrn: string, parentChain: string, extra: { internal?: boolean }) => {
    const fnSpec: V3FunctionSpec = { ...given, ...spec.code?.[given.name] };
    const live = fnSpec.live ?? spec.live ?? false;
    const internal = fnSpec.internal ?? extra.internal ?? false;
    const component = fnSpec.name;
    const chain = parentChain ? `${parentChain}$sst:aws:Function` : "sst:aws:Function";
    const componentUrn = urn(stage, app, chain, component);
    const fnSeed = `${seed}/${component}`;
    const name = fnSpec.functionName ?? physicalName(app, stage, 64, `${component}Function`, `${fnSeed}/name`);
    const arn = lambdaArn(region, accountId, name);
    const ownsLogGroup = fnSpec.logGroup === undefined;
    const logGroup = fnSpec.logGroup ?? `/aws/lambda/${name}`;
    const lgArn = logGroupArn(region, accountId, logGroup);
    const sourceRuntime = fnSpec.runtime ?? "nodejs20.x";
    const runtime = live ? "provided.al2023" : sourceRuntime === "go" || sourceRuntime === "rust" ? "provided.al2023" : sourceRuntime;
    // SST's Node build keeps the handler's path inside the bundle; Go and Rust binaries are `bootstrap`.
    const builtHandler = sourceRuntime === "go" || sourceRuntime === "rust" ? "bootstrap" : fnSpec.handler.replace(/^\.\//, "");
    const handler = live ? "bootstrap" : builtHandler;
    const userDescription = fnSpec.description ?? "";
    const description = live ? (userDescription ? `${userDescription.substring(0, 240)} (live)` : "live") : userDescription;
    const memorySize = fnSpec.memory ?? 1024;
    const timeout = fnSpec.timeout ?? 20;
    const codeSize = fnSpec.codeSize ?? 2000 + parseInt(seeded(`${fnSeed}/size`, 5), 16);
    const architecture = "x86_64";
    const roleName = physicalName(app, stage, 64, `${component}Role`, `${fnSeed}/role`);
    const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
    const codeHex = fnSpec.codeHash ?? seeded(`${fnSeed}/code`, 64);
    const codeKey = `assets/${component}-code-${codeHex}.zip`;
    const environment: Record<string, string> = {
      SST_RESOURCE_App: JSON.stringify({ name: app, stage }),
      SST_KEY: seededBase64(`${seed}/key/b64`, 32),
      SST_KEY_FILE: "resource.enc",
    };
    if (live) {
      Object.assign(environment, {
        SST_REGION: region,
        SST_APPSYNC_HTTP: `${seeded(`${accountId}/${region}/appsync`, 26, LOWER_ALNUM)}.appsync-api.${region}.amazonaws.com`,
        SST_APPSYNC_REALTIME: `${seeded(`${accountId}/${region}/appsync`, 26, LOWER_ALNUM)}.appsync-realtime-api.${region}.amazonaws.com`,
        SST_FUNCTION_ID: component,
        SST_APP: app,
        SST_STAGE: stage,
        SST_ASSET_BUCKET: assetBucket,
      });
    }
    const url = fnSpec.url ? `https://${seeded(`${fnSeed}/url`, 32, LOWER_ALNUM)}.lambda-url.${region}.on.aws/` : undefined;

    const componentOutputs: Record<string, unknown> = {
      _metadata: { handler: fnSpec.handler, ...(internal ? { internal: true } : {}), dev: live },
    };
    if (live) {
      componentOutputs._live = {
        functionID: component,
        links: [],
        handler: fnSpec.handler,
        runtime: sourceRuntime,
        copyFiles: [],
      };
    }
    if (url) componentOutputs._hint = url;
    resources.push({ urn: componentUrn, custom: false, type: "sst:aws:Function", outputs: componentOutputs, parent: parentUrn, created, modified });

    const policyDoc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: live
            ? { Service: "lambda.amazonaws.com", AWS: `arn:aws:iam::${accountId}:root` }
            : { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    const roleOutputs = {
      __meta: tfMeta(),
      arn: roleArn,
      assumeRolePolicy: policyDoc,
      createDate: time.replace(/\.\d{3}Z$/, "Z"),
      description: "",
      forceDetachPolicies: false,
      id: roleName,
      inlinePolicies: [],
      managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
      maxSessionDuration: 3600,
      name: roleName,
      namePrefix: "",
      path: "/",
      permissionsBoundary: "",
      tags: {},
      tagsAll: tags,
      uniqueId: `AROA${seeded(`${fnSeed}/roleid`, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
    };
    resources.push({
      urn: urn(stage, app, `${chain}$aws:iam/role:Role`, `${component}Role`),
      custom: true,
      id: roleName,
      type: "aws:iam/role:Role",
      inputs: { __defaults: ["forceDetachPolicies", "maxSessionDuration", "path"], assumeRolePolicy: policyDoc, name: roleName },
      outputs: roleOutputs,
      parent: componentUrn,
      provider: awsProvider,
      created,
      modified,
    });

    if (ownsLogGroup) {
      resources.push({
        urn: urn(stage, app, `${chain}$aws:cloudwatch/logGroup:LogGroup`, `${component}LogGroup`),
        custom: true,
        id: logGroup,
        type: "aws:cloudwatch/logGroup:LogGroup",
        inputs: { __defaults: ["skipDestroy"], name: logGroup, retentionInDays: 30 },
        outputs: {
          __meta: JSON.stringify({ schema_version: "0" }),
          arn: lgArn,
          id: logGroup,
          kmsKeyId: "",
          logGroupClass: "STANDARD",
          name: logGroup,
          namePrefix: "",
          retentionInDays: 30,
          skipDestroy: false,
          tags: {},
          tagsAll: tags,
        },
        parent: componentUrn,
        provider: awsProvider,
        created,
        modified,
      });
    }

    resources.push({
      urn: urn(stage, app, `${chain}$aws:s3/bucketObjectv2:BucketObjectv2`, `${component}Code`),
      custom: true,
      id: codeKey,
      type: "aws:s3/bucketObjectv2:BucketObjectv2",
      inputs: { __defaults: ["forceDestroy"], bucket: assetBucket, key: codeKey },
      outputs: {
        arn: `arn:aws:s3:::${assetBucket}/${codeKey}`,
        bucket: assetBucket,
        contentType: "application/zip",
        etag: seeded(`${fnSeed}/etag`, 32),
        id: codeKey,
        key: codeKey,
        source: { "4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7", path: `.sst/artifacts/${component}/code.zip` },
        storageClass: "STANDARD",
        tags: {},
        tagsAll: tags,
      },
      parent: componentUrn,
      provider: awsProvider,
      created,
      modified,
    });

    const lambdaUrn = urn(stage, app, `${chain}$aws:lambda/function:Function`, `${component}Function`);
    const lambdaOutputs: Record<string, unknown> = {
      __meta: tfMeta(),
      architectures: [architecture],
      arn,
      codeSha256: fnSpec.codeSha256 ?? Buffer.from(codeHex, "hex").toString("base64"),
      codeSigningConfigArn: "",
      deadLetterConfig: null,
      description,
      environment: { variables: pulumiSecret(`${fnSeed}/env`, JSON.stringify(environment).length) },
      ephemeralStorage: { size: 512 },
      fileSystemConfig: null,
      handler,
      id: name,
      imageUri: "",
      invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
      kmsKeyArn: "",
      lastModified: time.replace(/Z$/, "+0000"),
      layers: [],
      loggingConfig: { applicationLogLevel: "", logFormat: "Text", logGroup, systemLogLevel: "" },
      memorySize,
      name,
      packageType: "Zip",
      publish: false,
      qualifiedArn: `${arn}:$LATEST`,
      qualifiedInvokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}:$LATEST/invocations`,
      reservedConcurrentExecutions: -1,
      role: roleArn,
      runtime,
      s3Bucket: assetBucket,
      s3Key: codeKey,
      signingJobArn: "",
      signingProfileVersionArn: "",
      skipDestroy: false,
      sourceCodeHash: "",
      sourceCodeSize: codeSize,
      tags: {},
      tagsAll: tags,
      timeout,
      tracingConfig: { mode: "PassThrough" },
      version: "$LATEST",
    };
    resources.push({
      urn: lambdaUrn,
      custom: true,
      id: name,
      type: "aws:lambda/function:Function",
      inputs: {
        __defaults: ["publish", "reservedConcurrentExecutions", "skipDestroy"],
        architectures: [architecture],
        description,
        environment: { __defaults: [], variables: pulumiSecret(`${fnSeed}/env-in`, JSON.stringify(environment).length) },
        handler,
        loggingConfig: { __defaults: [], logFormat: "Text", logGroup },
        memorySize,
        name,
        packageType: "Zip",
        role: roleArn,
        runtime,
        s3Bucket: assetBucket,
        s3Key: codeKey,
        timeout,
      },
      outputs: lambdaOutputs,
      parent: componentUrn,
      provider: awsProvider,
      dependencies: [
        ...(ownsLogGroup ? [urn(stage, app, `${chain}$aws:cloudwatch/logGroup:LogGroup`, `${component}LogGroup`)] : []),
        urn(stage, app, `${chain}$aws:iam/role:Role`, `${component}Role`),
        urn(stage, app, `${chain}$aws:s3/bucketObjectv2:BucketObjectv2`, `${component}Code`),
      ],
      created,
      modified,
    });

    if (url) {
      resources.push({
        urn: urn(stage, app, `${chain}$aws:lambda/functionUrl:FunctionUrl`, `${component}Url`),
        custom: true,
        id: name,
        type: "aws:lambda/functionUrl:FunctionUrl",
        inputs: { __defaults: ["invokeMode"], authorizationType: "NONE", functionName: arn },
        outputs: {
          authorizationType: "NONE",
          functionArn: arn,
          functionName: arn,
          functionUrl: url,
          id: name,
          invokeMode: "BUFFERED",
          qualifier: "",
          urlId: url.slice(8, 40),
        },
        parent: componentUrn,
        provider: awsProvider,
        created,
        modified,
      });
    }

    functions.push({
      app,
      stage,
      component,
      componentUrn,
      urn: lambdaUrn,
      name,
      arn,
      region,
      accountId,
      runtime,
      handler,
      sourceHandler: fnSpec.handler,
      description,
      memorySize,
      timeout,
      codeSize,
      architecture,
      logGroup,
      logGroupArn: lgArn,
      ownsLogGroup,
      codeHash: codeHex,
      live,
      internal,
      roleName,
      roleArn,
      environment,
      ...(url ? { url } : {}),
    });
  };

  for (const fn of spec.functions ?? []) addFunction(fn, stackUrn, "", {});

  for (const name of spec.buckets ?? []) {
    const componentUrn = urn(stage, app, "sst:aws:Bucket", name);
    const bucket = `${prefixName(app, stage, 54, `${name}Bucket`).toLowerCase()}-${seeded(`${seed}/bucket/${name}`, 8, PRETTY_CHARS)}`;
    buckets.push({ name, bucket });
    resources.push({ urn: componentUrn, custom: false, type: "sst:aws:Bucket", outputs: {}, parent: stackUrn, created, modified });
    resources.push({
      urn: urn(stage, app, "sst:aws:Bucket$aws:s3/bucketV2:BucketV2", `${name}Bucket`),
      custom: true,
      id: bucket,
      type: "aws:s3/bucketV2:BucketV2",
      inputs: { __defaults: [], bucket, forceDestroy: true },
      outputs: {
        __meta: tfMeta(1200000000000),
        arn: `arn:aws:s3:::${bucket}`,
        bucket,
        bucketDomainName: `${bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`,
        forceDestroy: true,
        hostedZoneId: "Z3AQBSTGFYJSTF",
        id: bucket,
        objectLockEnabled: false,
        region,
        tags: {},
        tagsAll: tags,
      },
      parent: componentUrn,
      provider: awsProvider,
      created,
      modified,
    });
  }

  for (const api of spec.apis ?? []) {
    const apiUrn = urn(stage, app, "sst:aws:ApiGatewayV2", api.name);
    const apiId = seeded(`${seed}/api/${api.name}`, 10, LOWER_ALNUM);
    const endpoint = `https://${apiId}.execute-api.${region}.amazonaws.com`;
    resources.push({ urn: apiUrn, custom: false, type: "sst:aws:ApiGatewayV2", outputs: { _hint: endpoint }, parent: stackUrn, created, modified });
    resources.push({
      urn: urn(stage, app, "sst:aws:ApiGatewayV2$aws:apigatewayv2/api:Api", `${api.name}Api`),
      custom: true,
      id: apiId,
      type: "aws:apigatewayv2/api:Api",
      inputs: { __defaults: ["name"], protocolType: "HTTP" },
      outputs: {
        apiEndpoint: endpoint,
        apiKeySelectionExpression: "$request.header.x-api-key",
        arn: `arn:aws:apigateway:${region}::/apis/${apiId}`,
        executionArn: `arn:aws:execute-api:${region}:${accountId}:${apiId}`,
        id: apiId,
        name: `${api.name}Api-${seeded(`${seed}/api/${api.name}/n`, 7)}`,
        protocolType: "HTTP",
        routeSelectionExpression: "$request.method $request.path",
        tags: {},
        tagsAll: tags,
      },
      parent: apiUrn,
      provider: awsProvider,
      created,
      modified,
    });
    for (const route of api.routes) {
      const suffix = seeded(`route:${route.route}`, 6, LOWER_ALNUM);
      const routeName = `${api.name}Route${suffix}`;
      const routeChain = "sst:aws:ApiGatewayV2$sst:aws:ApiGatewayV2LambdaRoute";
      const routeUrn = urn(stage, app, routeChain, routeName);
      resources.push({ urn: routeUrn, custom: false, type: "sst:aws:ApiGatewayV2LambdaRoute", outputs: {}, parent: apiUrn, created, modified });
      const { route: routeKey, ...fnSpec } = route;
      addFunction(fnSpec, routeUrn, routeChain, {});
      resources.push({
        urn: urn(stage, app, `${routeChain}$aws:apigatewayv2/route:Route`, `${routeName}Route`),
        custom: true,
        id: seeded(`${seed}/route/${routeKey}`, 7, LOWER_ALNUM),
        type: "aws:apigatewayv2/route:Route",
        inputs: { __defaults: [], apiId, routeKey },
        outputs: { apiId, id: seeded(`${seed}/route/${routeKey}`, 7, LOWER_ALNUM), routeKey, authorizationType: "NONE" },
        parent: routeUrn,
        provider: awsProvider,
        created,
        modified,
      });
    }
  }

  for (const site of spec.sites ?? []) {
    const type = site.type ?? "sst:aws:Nextjs";
    const siteUrn = urn(stage, app, type, site.name);
    const domain = `${seeded(`${seed}/cf/${site.name}`, 13, LOWER_ALNUM)}.cloudfront.net`;
    resources.push({ urn: siteUrn, custom: false, type, outputs: { _hint: `https://${domain}` }, parent: stackUrn, created, modified });
    addFunction(
      { name: `${site.name}Server`, handler: "index.handler", memory: 1536, timeout: 20, live: false },
      siteUrn,
      type,
      { internal: true },
    );
    addFunction(
      { name: `${site.name}ImageOptimizer`, handler: "index.handler", memory: 1536, timeout: 25, live: false },
      siteUrn,
      type,
      { internal: true },
    );
  }

  const checkpoint = {
    version: 3,
    checkpoint: {
      stack: `organization/${app}/${stage}`,
      latest: {
        manifest: {
          time: pulumiTime(time, `${app}/${stage}/manifest`),
          magic: seeded(`pulumi-magic:${PULUMI_VERSION}`, 64),
          version: `v${PULUMI_VERSION}`,
        },
        secrets_providers: {
          type: "passphrase",
          state: {
            salt: `v1:${seededBase64(`${seed}/salt`, 8)}:v1:${seededBase64(`${seed}/salt-nonce`, 12)}:${seededBase64(`${seed}/salt-ct`, 32)}`,
          },
        },
        resources,
        metadata: {},
      },
    },
  };

  return {
    app,
    stage,
    region,
    accountId,
    key: `app/${app}/${stage}.json`,
    time,
    checkpoint,
    functions,
    urns: resources.map((r) => r.urn as string),
    buckets,
  };
}

// ---------------------------------------------------------------------------------------
// v3 update records

/**
 * An update ID like SST's `id.Descending()`: the bitwise NOT of the millisecond time in 6
 * bytes, then random hex, 24 hex chars in all, so newer updates list first.
 */
export function descendingId(time: Date | string, seed: string): string {
  const ms = BigInt(typeof time === "string" ? Date.parse(time) : time.getTime());
  const inverted = (0xffffffffffffn - ms) & 0xffffffffffffn;
  return inverted.toString(16).padStart(12, "0") + seeded(seed, 12);
}

export interface V3UpdateRecord {
  id: string;
  key: { update: string; summary: string; snapshot: string };
  update: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** The `update/` and `summary/` records of one completed `sst deploy`. */
export function buildV3Update(
  app: string,
  stage: string,
  completed: Date | string,
  seed = "",
  command = "deploy",
  /** `runId`: false for none, a string for that run's id (`SST_RUN_ID`), else a seeded one. */
  options: { runId?: boolean | string; errors?: { urn: string; message: string }[]; durationMs?: number } = {},
): V3UpdateRecord {
  const end = typeof completed === "string" ? new Date(completed) : completed;
  const start = new Date(end.getTime() - (options.durationMs ?? 95_000));
  const id = descendingId(start, `${app}/${stage}/${seed}`);
  const runID =
    options.runId === false ? undefined : typeof options.runId === "string" ? options.runId : seeded(`${app}/${stage}/${seed}/run`, 24, LOWER_ALNUM);
  const errors = options.errors ?? [];
  return {
    id,
    key: {
      update: `update/${app}/${stage}/${id}.json`,
      summary: `summary/${app}/${stage}/${id}.json`,
      snapshot: `snapshot/${app}/${stage}/${id}.json`,
    },
    // Field order and omissions of SST's `Update` struct (`runID` and `timeCompleted` are omitempty).
    update: { id, ...(runID ? { runID } : {}), version: "3.3.64", command, errors, timeStarted: start.toISOString(), timeCompleted: end.toISOString() },
    summary: {
      version: "3.3.64",
      updateID: id,
      command,
      timeStarted: start.toISOString(),
      timeCompleted: end.toISOString(),
      errors,
    },
  };
}

/** One resource step of a deploy's event log. */
export interface V3DeployStep {
  urn: string;
  op: "create" | "update" | "delete" | "replace";
  /** The step fails with this message (a diagnostic, then `resOpFailedEvent`). */
  error?: string;
}

/**
 * The `eventlog/<app>/<stage>/<updateID>.json` of a deploy: Pulumi's engine event log
 * (`pulumi --event-log`), one JSON event per line, as SST uploads it
 * (`pkg/project/run.go`, `provider.PushEventLog`). Event shapes follow
 * `sdk/go/common/apitype/events.go` and the recorded logs in `samples/eventlog-pulumi-*`.
 * Unchanged resources get `same` steps, as Pulumi writes them.
 */
export function buildV3EventLog(start: Date, steps: V3DeployStep[], same: string[] = []): string {
  let sequence = 0;
  let second = Math.floor(start.getTime() / 1000);
  const lines: string[] = [];
  const push = (event: Record<string, unknown>) => lines.push(JSON.stringify({ sequence: sequence++, timestamp: second, ...event }));
  const typeOf = (urn: string) => urn.split("::")[2]!.split("$").pop()!;
  const meta = (urn: string, op: string) => ({ op, urn, type: typeOf(urn), old: null, new: null, detailedDiff: null, provider: "" });
  push({ preludeEvent: { config: {} } });
  for (const urn of same) {
    push({ resourcePreEvent: { metadata: meta(urn, "same") } });
    push({ resOutputsEvent: { metadata: meta(urn, "same") } });
  }
  const counts: Record<string, number> = { same: same.length };
  for (const step of steps) {
    const ops = step.op === "replace" ? ["create-replacement", "replace", "delete-replaced"] : [step.op];
    for (const op of ops) {
      push({ resourcePreEvent: { metadata: meta(step.urn, op) } });
      second += 2;
      if (step.error) {
        push({ diagnosticEvent: { urn: step.urn, prefix: "error: ", message: `  ${step.error}\n`, color: "never", severity: "error" } });
        push({ resOpFailedEvent: { metadata: meta(step.urn, op), status: 1, steps: 1 } });
        break;
      }
      push({ resOutputsEvent: { metadata: meta(step.urn, op) } });
    }
    if (!step.error) counts[step.op] = (counts[step.op] ?? 0) + 1;
  }
  if (steps.some((s) => s.error)) {
    push({ diagnosticEvent: { prefix: "error: ", message: "update failed\n", color: "never", severity: "error" } });
  }
  push({
    summaryEvent: { maybeCorrupt: false, durationSeconds: second - Math.floor(start.getTime() / 1000), resourceChanges: counts, PolicyPacks: {} },
  });
  push({ cancelEvent: {} });
  return lines.join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------
// v2

/** CloudFormation stack name of a v2 stack: `<stage>-<app>-<id>` (`App.logicalPrefixedName`). */
function v2StackName(app: string, stage: string, id: string): string {
  return `${stage}-${app}-${id}`;
}

/** A CDK construct address: `c8` + 40 hex chars. */
export function constructAddr(path: string): string {
  return `c8${createHash("sha1").update(path).digest("hex")}`;
}

export interface V2FunctionSpec {
  /** Construct id, e.g. `ReportsFunction`. */
  id: string;
  /** Source handler, e.g. `packages/functions/src/reports.handler`. */
  handler: string;
  /** Default `nodejs18.x`. */
  runtime?: string;
  memory?: number;
  timeout?: number;
  missingSourcemap?: boolean;
  secrets?: string[];
  /** An HTTP route of the stack's Api that this function serves, e.g. `GET /reports`. */
  route?: string;
}

export interface V2StackSpec {
  /** Stack id, e.g. `Api`. */
  id: string;
  functions: V2FunctionSpec[];
  /** A `Table` construct id. */
  table?: string;
}

export interface V2StageSpec {
  app: string;
  stage: string;
  region: string;
  accountId: string;
  mode: "deploy" | "dev";
  stacks: V2StackSpec[];
  /** SST version in the SSTMetadata output; default 2.44.0. */
  version?: string;
}

export interface BuiltV2Function {
  app: string;
  stage: string;
  stack: string;
  id: string;
  addr: string;
  name: string;
  arn: string;
  region: string;
  accountId: string;
  /** Runtime of the deployed Lambda (the live stub's in dev mode). */
  runtime: string;
  /** Handler of the deployed Lambda (`live-lambda.handler` in dev mode). */
  handler: string;
  sourceHandler: string;
  sourceRuntime: string;
  description: string;
  memorySize: number;
  timeout: number;
  logGroup: string;
  live: boolean;
  environment: Record<string, string>;
}

export interface BuiltV2Stage {
  app: string;
  stage: string;
  region: string;
  accountId: string;
  mode: "deploy" | "dev";
  stacks: { name: string; key: string; metadata: Record<string, unknown>[]; output: Record<string, unknown> }[];
  appMetadata: { key: string; body: { mode: "deploy" | "dev" } };
  functions: BuiltV2Function[];
}

/** Builds the stack metadata and app metadata objects of one v2 stage. */
export function buildV2Stage(spec: V2StageSpec): BuiltV2Stage {
  const { app, stage, region, accountId, mode } = spec;
  const version = spec.version ?? "2.44.0";
  const functions: BuiltV2Function[] = [];
  const stacks: BuiltV2Stage["stacks"] = [];
  for (const s of spec.stacks) {
    const stackName = v2StackName(app, stage, s.id);
    const metadata: Record<string, unknown>[] = [];
    const routes: Record<string, unknown>[] = [];
    for (const f of s.functions) {
      const addr = constructAddr(`${stackName}/${f.id}`);
      const logical = f.id.replace(/[^A-Za-z0-9]/g, "");
      const name = `${stackName}-${logical}${seeded(`${addr}/lid`, 8, "ABCDEF0123456789")}-${seeded(`${addr}/fn`, 12, ALNUM)}`.slice(0, 64);
      const arn = lambdaArn(region, accountId, name);
      const live = mode === "dev";
      const sourceRuntime = f.runtime ?? "nodejs18.x";
      const environment: Record<string, string> = {
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1",
        SST_APP: app,
        SST_STAGE: stage,
        SST_SSM_PREFIX: `/sst/${app}/${stage}/`,
      };
      if (live) environment.SST_FUNCTION_ID = addr;
      functions.push({
        app,
        stage,
        stack: stackName,
        id: f.id,
        addr,
        name,
        arn,
        region,
        accountId,
        runtime: live ? "nodejs18.x" : sourceRuntime,
        handler: live ? "live-lambda.handler" : f.handler,
        sourceHandler: f.handler,
        sourceRuntime,
        description: live ? "live" : "",
        memorySize: f.memory ?? 1024,
        timeout: f.timeout ?? 10,
        logGroup: `/aws/lambda/${name}`,
        live,
        environment,
      });
      const data: Record<string, unknown> = {
        arn,
        runtime: sourceRuntime,
        handler: f.handler,
        localId: addr,
        secrets: f.secrets ?? [],
        prefetchSecrets: false,
      };
      if (f.missingSourcemap) data.missingSourcemap = true;
      metadata.push({ id: f.id, addr, stack: stackName, type: "Function", data });
      if (f.route) routes.push({ type: "function", route: f.route, fn: { node: addr, stack: stackName } });
    }
    if (routes.length > 0) {
      const apiId = seeded(`${stackName}/api`, 10, LOWER_ALNUM);
      metadata.unshift({
        id: "Api",
        addr: constructAddr(`${stackName}/Api`),
        stack: stackName,
        type: "Api",
        data: {
          graphql: false,
          url: `https://${apiId}.execute-api.${region}.amazonaws.com`,
          httpApiId: apiId,
          routes,
        },
      });
    }
    if (s.table) {
      const tableName = `${stage}-${app}-${s.table}`;
      metadata.push({
        id: s.table,
        addr: constructAddr(`${stackName}/${s.table}`),
        stack: stackName,
        type: "Table",
        data: { tableName, consumers: [] },
      });
    }
    stacks.push({
      name: stackName,
      key: `stackMetadata/app.${app}/stage.${stage}/stack.${stackName}.json`,
      metadata,
      output: { app, stage, version, metadata },
    });
  }
  return {
    app,
    stage,
    region,
    accountId,
    mode,
    stacks,
    appMetadata: { key: `appMetadata/app.${app}/stage.${stage}.json`, body: { mode } },
    functions,
  };
}
