/**
 * Seeds accounts in the shared emulator (started by the root test setup) and reads them
 * back with plain SDK calls: the seed must be what it says it is. Each test uses its own
 * random account id, so other test files using the same emulator are not disturbed.
 */
import { randomInt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeLogGroupsCommand, type LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import { GetFunctionCommand, ListFunctionsCommand, type FunctionConfiguration } from "@aws-sdk/client-lambda";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { env } from "@console/core/env";
import {
  groupV2Keys,
  parseV2BootstrapOutputs,
  parseV3Bootstrap,
  readV2Stage,
  readV3Stage,
  type StageReadResult,
} from "@console/core/app/sst";
import { regionClients, type RegionClients } from "./aws";
import { seedDemoAccount, seedManyStages, type SeedResult } from "./seed";

function endpoint(): string {
  const url = env.AWS_ENDPOINT_URL;
  if (!url) throw new Error("AWS_ENDPOINT_URL is not set: run the tests through the root vitest config");
  return url;
}

function randomAccount(): string {
  return String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999));
}

async function listAll(c: RegionClients, bucket: string, prefix?: string) {
  const keys: string[] = [];
  const pages: { count: number; truncated: boolean; token?: string }[] = [];
  let token: string | undefined;
  do {
    const res = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) keys.push(o.Key!);
    pages.push({ count: res.KeyCount ?? 0, truncated: !!res.IsTruncated, token: res.NextContinuationToken });
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return { keys, pages };
}

async function getBytes(c: RegionClients, bucket: string, key: string) {
  const res = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { body: await res.Body!.transformToByteArray(), encoding: res.ContentEncoding };
}

async function listFunctions(c: RegionClients): Promise<FunctionConfiguration[]> {
  const out: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const res = await c.lambda.send(new ListFunctionsCommand({ Marker: marker }));
    out.push(...(res.Functions ?? []));
    marker = res.NextMarker;
  } while (marker);
  return out;
}

async function listLogGroups(c: RegionClients): Promise<LogGroup[]> {
  const out: LogGroup[] = [];
  let token: string | undefined;
  do {
    const res = await c.logs.send(new DescribeLogGroupsCommand({ nextToken: token }));
    out.push(...(res.logGroups ?? []));
    token = res.nextToken;
  } while (token);
  return out;
}

function ok(r: StageReadResult) {
  if (r.status !== "ok") throw new Error(JSON.stringify(r));
  return r.model;
}

describe("seedDemoAccount", () => {
  const accountId = randomAccount();
  const map = JSON.stringify({ version: 3, sources: ["../../src/api.ts"], names: [], mappings: "AAAA" });
  let seed: SeedResult;
  let clients: Record<string, RegionClients>;

  beforeAll(async () => {
    seed = await seedDemoAccount({
      endpoint: endpoint(),
      accountId,
      removedStages: 1100,
      sourcemaps: [{ functionName: "acme-api/production/Api", map, file: "index.mjs" }],
    });
    clients = Object.fromEntries(seed.regions.map((r) => [r.region, regionClients({ endpoint: endpoint(), accountId }, r.region)]));
  }, 120_000);

  it("describes two v3 apps with production and personal stages, and one v2 app", () => {
    expect(seed.apps).toEqual([
      { name: "acme-api", sst: "v3", stages: ["production", "jane"] },
      { name: "acme-storefront", sst: "v3", stages: ["production", "omar"] },
      { name: "acme-legacy", sst: "v2", stages: ["production", "jane"] },
    ]);
    expect(seed.regions.map((r) => r.region)).toEqual(["us-east-1", "eu-west-1"]);
    expect(seed.stages.filter((s) => s.personal).map((s) => `${s.app}/${s.stage}`)).toEqual(["acme-api/jane", "acme-storefront/omar", "acme-legacy/jane"]);
    expect(seed.functions.every((f) => f.arn.includes(`:${accountId}:function:`))).toBe(true);
    expect(seed.removedStages).toHaveLength(1100);
  });

  it("has /sst/bootstrap in each region with apps, naming the buckets, and nowhere else", async () => {
    for (const r of seed.regions) {
      const res = await clients[r.region]!.ssm.send(new GetParameterCommand({ Name: "/sst/bootstrap", WithDecryption: true }));
      expect(res.Parameter?.Type).toBe(r.v3!.parameterType);
      expect(parseV3Bootstrap(res.Parameter!.Value!)).toMatchObject({ version: 5, asset: r.v3!.asset, state: r.v3!.state });
    }
    const other = regionClients({ endpoint: endpoint(), accountId }, "us-west-2");
    await expect(other.ssm.send(new GetParameterCommand({ Name: "/sst/bootstrap" }))).rejects.toMatchObject({ name: "ParameterNotFound" });
    const stranger = regionClients({ endpoint: endpoint(), accountId: randomAccount() }, "us-east-1");
    await expect(stranger.ssm.send(new GetParameterCommand({ Name: "/sst/bootstrap" }))).rejects.toMatchObject({ name: "ParameterNotFound" });
  });

  it("needs NextContinuationToken paging to see every stage of the busy state bucket", async () => {
    const r0 = seed.regions[0]!;
    const { keys, pages } = await listAll(clients[r0.region]!, r0.v3!.state, "app/");
    expect(keys.length).toBe(1100 + 2);
    expect(pages.length).toBe(2);
    expect(pages[0]).toMatchObject({ count: 1000, truncated: true });
    expect(pages[0]!.token).toBeTruthy();
    // The live production stage sorts after the removed pr-… stages: only the second page has it.
    const first = await clients[r0.region]!.s3.send(new ListObjectsV2Command({ Bucket: r0.v3!.state, Prefix: "app/" }));
    expect(first.Contents!.map((o) => o.Key)).not.toContain("app/acme-api/production.json");
    expect(keys).toContain("app/acme-api/production.json");
    expect(keys).toContain("app/acme-api/jane.json");
  });

  it("stores v3 stage state that reads back as exactly the seeded stages, gzipped or plain", async () => {
    for (const s of seed.stages.filter((x) => x.sst === "v3")) {
      const c = clients[s.region]!;
      const { body, encoding } = await getBytes(c, s.bucket, s.keys[0]!);
      expect(encoding, s.stage).toBe(s.gzip ? "gzip" : undefined);
      expect(body[0] === 0x1f && body[1] === 0x8b).toBe(s.gzip);
      const model = ok(readV3Stage({ key: s.keys[0]!, body }));
      expect(model.personal).toBe(s.personal);
      expect(model.deployedAt).toBe(s.deployedAt);
      expect(model.resources).toHaveLength(s.resourceCount);
      expect(model.functions.map((f) => [f.name, f.arn, f.region, f.runtime, f.handler, f.live, f.internal, f.logGroup, f.codeSize]).sort()).toEqual(
        s.functions.map((f) => [f.name, f.arn, f.region, f.runtime, f.handler, f.live, f.internal, f.logGroup, f.codeSize]).sort(),
      );
    }
  });

  it("leaves removed stages as empty files and other kinds of objects to ignore", async () => {
    const removed = seed.removedStages[0]!;
    const { body } = await getBytes(clients[removed.region]!, removed.bucket, removed.key);
    expect(readV3Stage({ key: removed.key, body })).toEqual({ status: "removed", app: removed.app, stage: removed.stage, reason: "empty_file" });
    let others = 0;
    for (const r of seed.regions) {
      const { keys } = await listAll(clients[r.region]!, r.v3!.state);
      others += keys.filter((k) => !k.startsWith("app/")).length;
      expect(keys.some((k) => k.startsWith("update/"))).toBe(true);
      expect(keys.some((k) => k.startsWith("summary/"))).toBe(true);
      expect(keys.some((k) => k.startsWith("snapshot/"))).toBe(true);
    }
    expect(others).toBe(seed.ignoredKeys);
  });

  it("creates the Lambda functions of the state, live stubs included, with their log groups", async () => {
    for (const r of seed.regions) {
      const c = clients[r.region]!;
      const expected = seed.functions.filter((f) => f.region === r.region && f.created);
      const actual = await listFunctions(c);
      expect(actual.map((f) => f.FunctionName).sort()).toEqual(expected.map((f) => f.name).sort());
      for (const f of expected) {
        const got = actual.find((a) => a.FunctionName === f.name)!;
        expect(got, f.name).toMatchObject({ FunctionArn: f.arn, Runtime: f.runtime, Handler: f.handler, Description: f.description, MemorySize: f.memorySize, Timeout: f.timeout, CodeSize: f.codeSize });
      }
      const groups = (await listLogGroups(c)).map((g) => g.logGroupName);
      for (const f of expected) expect(groups).toContain(f.logGroup);
    }
    const live = seed.functions.find((f) => f.sst === "v3" && f.live)!;
    expect(live).toMatchObject({ runtime: "provided.al2023", handler: "bootstrap" });
    expect(live.description === "live" || live.description.endsWith(" (live)")).toBe(true);
    const detail = await clients[live.region]!.lambda.send(new GetFunctionCommand({ FunctionName: live.name }));
    expect(detail.Configuration?.Environment?.Variables).toMatchObject({ SST_FUNCTION_ID: live.component, SST_APP: live.app, SST_STAGE: live.stage });
    const v2live = seed.functions.find((f) => f.sst === "v2" && f.live)!;
    expect(v2live).toMatchObject({ runtime: "nodejs18.x", handler: "live-lambda.handler" });
  });

  it("has an SSTBootstrap stack whose bucket holds the v2 app's metadata", async () => {
    const r1 = seed.regions[1]!;
    const c = clients[r1.region]!;
    const stack = await c.cloudformation.send(new DescribeStacksCommand({ StackName: "SSTBootstrap" }));
    const v2 = parseV2BootstrapOutputs(stack.Stacks?.[0]?.Outputs);
    expect(v2).toEqual({ bucket: r1.v2!.bucket, version: "7.3" });
    expect(v2!.bucket.startsWith("sstbootstrap-")).toBe(true);
    const { keys } = await listAll(c, v2!.bucket);
    const groups = groupV2Keys(keys);
    expect(groups.map((g) => `${g.app}/${g.stage}`)).toEqual(["acme-legacy/jane", "acme-legacy/production"]);
    for (const g of groups) {
      const stacks = await Promise.all(g.stackKeys.map(async (k) => ({ stack: k, body: (await getBytes(c, v2!.bucket, k)).body })));
      const appMetadata = g.appMetadataKey ? (await getBytes(c, v2!.bucket, g.appMetadataKey)).body : undefined;
      const model = ok(readV2Stage({ app: g.app, stage: g.stage, region: r1.region, stacks, appMetadata }));
      const seeded = seed.stages.find((s) => s.sst === "v2" && s.stage === g.stage)!;
      expect(model.personal).toBe(seeded.personal);
      expect(model.resources).toHaveLength(seeded.resourceCount);
      expect(model.functions.map((f) => [f.name, f.arn, f.live]).sort()).toEqual(seeded.functions.map((f) => [f.name, f.arn, f.live]).sort());
    }
    await expect(
      regionClients({ endpoint: endpoint(), accountId }, seed.regions[0]!.region).cloudformation.send(new DescribeStacksCommand({ StackName: "SSTBootstrap" })),
    ).rejects.toMatchObject({ name: "ValidationError", message: expect.stringMatching(/SSTBootstrap does not exist/) });
  });

  it("puts the given source map under the v3 asset bucket layout", async () => {
    expect(seed.sourcemaps).toHaveLength(1);
    const sm = seed.sourcemaps[0]!;
    const fn = seed.functions.find((f) => f.name === sm.functionName)!;
    expect(fn.component).toBe("Api");
    expect(sm.bucket).toBe(seed.regions[0]!.v3!.asset);
    expect(sm.key).toMatch(new RegExp(`^sourcemap/${fn.logGroupArn.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&")}/[0-9a-f]{64}\\.index\\.mjs\\.map$`));
    const { body } = await getBytes(clients[fn.region]!, sm.bucket, sm.key);
    expect(Buffer.from(body).toString()).toBe(map);
  });
});

describe("seedDemoAccount, seeded twice", () => {
  it("is harmless and describes the same account", async () => {
    const accountId = randomAccount();
    const now = new Date("2025-01-15T12:00:00Z");
    const a = await seedDemoAccount({ endpoint: endpoint(), accountId, now });
    const b = await seedDemoAccount({ endpoint: endpoint(), accountId, now });
    expect(b).toEqual(a);
    const fns = await listFunctions(regionClients({ endpoint: endpoint(), accountId }, "us-east-1"));
    expect(fns).toHaveLength(a.functions.filter((f) => f.region === "us-east-1").length);
  }, 120_000);
});

describe("seedManyStages", () => {
  it("spreads stages over the regions, each in its region's state bucket", async () => {
    const accountId = randomAccount();
    const regions = ["us-east-1", "us-west-2", "ap-southeast-2"];
    const seed = await seedManyStages({ endpoint: endpoint(), accountId, regions, total: 9, functionsPerStage: 2, createFunctions: true, paddingKeys: 20 });
    expect(seed.stages).toHaveLength(9);
    expect(new Set(seed.stages.map((s) => s.region))).toEqual(new Set(regions));
    expect(seed.stages.filter((s) => s.personal)).toHaveLength(1);
    for (const s of seed.stages) {
      const c = regionClients({ endpoint: endpoint(), accountId }, s.region);
      const boot = parseV3Bootstrap((await c.ssm.send(new GetParameterCommand({ Name: "/sst/bootstrap" }))).Parameter!.Value!);
      expect(boot.state).toBe(s.bucket);
      const head = await c.s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: s.keys[0]! }));
      expect(head.ContentEncoding).toBe(s.gzip ? "gzip" : undefined);
      const model = ok(readV3Stage({ key: s.keys[0]!, body: (await getBytes(c, s.bucket, s.keys[0]!)).body }));
      expect(model.functions.map((f) => f.arn).sort()).toEqual(s.functions.map((f) => f.arn).sort());
      for (const f of s.functions) {
        const got = await c.lambda.send(new GetFunctionCommand({ FunctionName: f.name }));
        expect(got.Configuration?.FunctionArn).toBe(f.arn);
      }
    }
    const first = seed.regions[0]!;
    const { keys } = await listAll(regionClients({ endpoint: endpoint(), accountId }, first.region), first.v3!.state);
    expect(keys.filter((k) => !k.startsWith("app/")).length).toBe(
      seed.ignoredKeys - seed.stages.filter((s) => s.region !== first.region).length * 4,
    );
  }, 120_000);
});
