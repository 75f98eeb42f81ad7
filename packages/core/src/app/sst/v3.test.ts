import { describe, expect, it } from "vitest";
import {
  gzipJson,
  personalStage,
  plainJson,
  productionStage,
  sample,
  sampleBytes,
  SAMPLE_ACCOUNT,
  truncate,
} from "@console/testkit/sst";
import {
  parseUrn,
  parseV3Checkpoint,
  readV3Stage,
  PULUMI_SIG_KEY,
  PULUMI_SECRET_SIG,
  type StageFunction,
  type StageModel,
  type StageReadResult,
} from "./index";

function ok(result: StageReadResult): { model: StageModel; hash: string } {
  if (result.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

function byComponent(model: StageModel): Record<string, StageFunction> {
  return Object.fromEntries(model.functions.map((f) => [f.component, f]));
}

type Checkpoint = { checkpoint: { latest: { resources: Array<Record<string, any>> } } };

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

describe("v3 checkpoint: committed production sample", () => {
  const { model, hash } = ok(readV3Stage({ key: "app/shop/production.json", body: sampleBytes("v3-state-production") }));

  it("names the stage from the key and reads the deploy time and region", () => {
    expect(model.sst).toBe("v3");
    expect(model.app).toBe("shop");
    expect(model.stage).toBe("production");
    expect(model.region).toBe("us-east-1");
    expect(model.deployedAt).toBe("2024-11-04T09:30:00.000Z");
    expect(model.personal).toBe(false);
    expect(model.warnings).toEqual([]);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("finds exactly the five Lambda functions with their facts", () => {
    const fns = byComponent(model);
    expect(Object.keys(fns).sort()).toEqual(["Api", "WebImageOptimizer", "WebServer", "WebhooksRouteStripeHandler", "Worker"]);
    expect(fns.Api).toEqual({
      key: "urn:pulumi:production::shop::sst:aws:Function$aws:lambda/function:Function::ApiFunction",
      componentKey: "urn:pulumi:production::shop::sst:aws:Function::Api",
      component: "Api",
      name: "shop-production-ApiFunction-amuhtavv",
      arn: `arn:aws:lambda:us-east-1:${SAMPLE_ACCOUNT}:function:shop-production-ApiFunction-amuhtavv`,
      region: "us-east-1",
      accountId: SAMPLE_ACCOUNT,
      runtime: "nodejs20.x",
      handler: "packages/functions/src/api.handler",
      sourceHandler: "packages/functions/src/api.handler",
      description: "Public HTTP API",
      memorySize: 1024,
      timeout: 30,
      codeSize: 48213,
      architecture: "x86_64",
      logGroup: "/aws/lambda/shop-production-ApiFunction-amuhtavv",
      live: false,
      liveSignals: [],
      internal: false,
      deployedAt: "2024-11-04T09:30:00.000Z",
      modifiedAt: "2024-11-04T09:30:00.000Z",
    });
  });

  it("uses the log group from loggingConfig when the user chose one", () => {
    expect(byComponent(model).Worker!.logGroup).toBe("/shop/production/worker");
    expect(byComponent(model).Worker!.memorySize).toBe(512);
  });

  it("marks SSR site functions internal and keeps route functions user-owned", () => {
    const fns = byComponent(model);
    expect(fns.WebServer!.internal).toBe(true);
    expect(fns.WebImageOptimizer!.internal).toBe(true);
    expect(fns.WebhooksRouteStripeHandler!.internal).toBe(false);
    expect(fns.WebhooksRouteStripeHandler!.sourceHandler).toBe("packages/functions/src/stripe.handler");
    expect(fns.WebhooksRouteStripeHandler!.componentKey).toContain("sst:aws:ApiGatewayV2$sst:aws:ApiGatewayV2LambdaRoute$sst:aws:Function::");
  });

  it("lists every resource with its parent and drops secrets and bookkeeping keys", () => {
    const raw = sample<Checkpoint>("v3-state-production").checkpoint.latest.resources;
    expect(model.resources).toHaveLength(raw.length);
    const lambda = model.resources.find((r) => r.key === byComponent(model).Api!.key)!;
    expect(lambda.type).toBe("aws:lambda/function:Function");
    expect(lambda.name).toBe("ApiFunction");
    expect(lambda.parent).toBe("urn:pulumi:production::shop::sst:aws:Function::Api");
    expect(lambda.custom).toBe(true);
    expect(lambda.physicalId).toBe("shop-production-ApiFunction-amuhtavv");
    expect(lambda.outputs.environment).toEqual({});
    expect(lambda.outputs).not.toHaveProperty("__meta");
    expect(lambda.outputs.handler).toBe("packages/functions/src/api.handler");
    const key = model.resources.find((r) => r.type === "random:index/randomBytes:RandomBytes")!;
    expect(key.outputs).toEqual({ id: "none", length: 32 });
    expect(JSON.stringify(model)).not.toContain(PULUMI_SECRET_SIG);
    const bucket = model.resources.find((r) => r.type === "aws:s3/bucketV2:BucketV2")!;
    expect(bucket.parent).toBe("urn:pulumi:production::shop::sst:aws:Bucket::Uploads");
    expect(bucket.outputs.bucket).toMatch(/^shop-production-uploadsbucket-/);
    const component = model.resources.find((r) => r.key === "urn:pulumi:production::shop::sst:aws:Function::Api")!;
    expect(component.custom).toBe(false);
    expect(component.outputs._metadata).toEqual({ handler: "packages/functions/src/api.handler", dev: false });
  });
});

describe("v3 checkpoint: personal stage under sst dev", () => {
  const { model } = ok(readV3Stage({ key: "app/shop/jane.json", body: sampleBytes("v3-state-dev") }));

  it("is personal, and every function is a live stub", () => {
    expect(model.personal).toBe(true);
    for (const f of model.functions) {
      expect(f.live).toBe(true);
      expect(f.liveSignals).toEqual(["component_live", "component_dev", "description"]);
      expect(f.runtime).toBe("provided.al2023");
      expect(f.handler).toBe("bootstrap");
    }
    const fns = byComponent(model);
    expect(fns.Api!.description).toBe("Public HTTP API (live)");
    expect(fns.Worker!.description).toBe("live");
    expect(fns.Api!.sourceHandler).toBe("packages/functions/src/api.handler");
  });
});

describe("v3 live detection, one signal at a time", () => {
  const base = personalStage();
  const apiUrn = base.functions.find((f) => f.component === "Api")!;

  function withEdits(edit: (resources: Array<Record<string, any>>) => void) {
    const doc = clone(base.checkpoint) as unknown as Checkpoint;
    edit(doc.checkpoint.latest.resources);
    return ok(readV3Stage({ key: base.key, body: plainJson(doc) })).model.functions.find((f) => f.key === apiUrn.urn)!;
  }
  const component = (rs: Array<Record<string, any>>) => rs.find((r) => r.urn === apiUrn.componentUrn)!;
  const lambda = (rs: Array<Record<string, any>>) => rs.find((r) => r.urn === apiUrn.urn)!;

  it("description alone", () => {
    const fn = withEdits((rs) => {
      component(rs).outputs = {};
    });
    expect(fn.live).toBe(true);
    expect(fn.liveSignals).toEqual(["description"]);
  });

  it("_metadata.dev alone", () => {
    const fn = withEdits((rs) => {
      delete component(rs).outputs._live;
      lambda(rs).outputs.description = "";
    });
    expect(fn.liveSignals).toEqual(["component_dev"]);
  });

  it("_live alone (older SST without _metadata.dev)", () => {
    const fn = withEdits((rs) => {
      component(rs).outputs._metadata = { handler: "packages/functions/src/api.handler" };
      lambda(rs).outputs.description = "Public HTTP API";
    });
    expect(fn.liveSignals).toEqual(["component_live"]);
  });

  it("a plain SST_FUNCTION_ID in the environment", () => {
    const fn = withEdits((rs) => {
      component(rs).outputs = {};
      lambda(rs).outputs.description = "";
      lambda(rs).outputs.environment = { variables: { SST_FUNCTION_ID: "Api" } };
    });
    expect(fn.liveSignals).toEqual(["environment"]);
  });

  it("runtime and handler only when nothing else is known", () => {
    const fn = withEdits((rs) => {
      const l = lambda(rs);
      l.parent = rs[0]!.urn;
      delete l.outputs.description;
    });
    expect(fn.live).toBe(true);
    expect(fn.liveSignals).toEqual(["runtime_handler"]);
    expect(fn.component).toBe("ApiFunction");
  });

  it("a deployed Go function (provided.al2023 + bootstrap) is not live", () => {
    const go = productionStage({ functions: [{ name: "Mailer", handler: "./cmd/mailer", runtime: "go" }], apis: [], sites: [] });
    const fn = ok(readV3Stage({ key: go.key, body: plainJson(go.checkpoint) })).model.functions[0]!;
    expect(fn.runtime).toBe("provided.al2023");
    expect(fn.handler).toBe("bootstrap");
    expect(fn.live).toBe(false);
  });

  it("a deployed stage with one function opted out of dev is still personal through the others", () => {
    const st = personalStage("jane", {
      functions: [
        { name: "Api", handler: "packages/functions/src/api.handler" },
        { name: "Migrator", handler: "packages/functions/src/migrate.handler", live: false },
      ],
    });
    const { model } = ok(readV3Stage({ key: st.key, body: plainJson(st.checkpoint) }));
    expect(model.personal).toBe(true);
    expect(byComponent(model).Migrator!.live).toBe(false);
    expect(byComponent(model).Migrator!.liveSignals).toEqual([]);
  });
});

describe("v3 internal functions and odd entries", () => {
  it("honours _metadata.internal", () => {
    const st = productionStage({ functions: [{ name: "Helper", handler: "x.handler", internal: true }], apis: [], sites: [] });
    expect(ok(readV3Stage({ key: st.key, body: plainJson(st.checkpoint) })).model.functions[0]!.internal).toBe(true);
  });

  it("skips a Lambda whose ARN is a secret, with a warning", () => {
    const st = productionStage({ apis: [], sites: [] });
    const doc = clone(st.checkpoint) as unknown as Checkpoint;
    const l = doc.checkpoint.latest.resources.find((r) => r.type === "aws:lambda/function:Function")!;
    l.outputs.arn = { [PULUMI_SIG_KEY]: PULUMI_SECRET_SIG, ciphertext: "v1:abc:def" };
    const { model } = ok(readV3Stage({ key: st.key, body: plainJson(doc) }));
    expect(model.functions).toHaveLength(1);
    expect(model.warnings).toEqual([expect.stringContaining("has no readable ARN")]);
  });

  it("skips malformed resource entries and duplicate URNs with warnings", () => {
    const st = productionStage({ apis: [], sites: [] });
    const doc = clone(st.checkpoint) as unknown as Checkpoint;
    const rs = doc.checkpoint.latest.resources as unknown[];
    rs.push(42, { type: "aws:s3/bucketV2:BucketV2" }, { urn: "urn:x" }, clone(rs[0]));
    const { model } = ok(readV3Stage({ key: st.key, body: plainJson(doc) }));
    expect(model.resources).toHaveLength(st.urns.length);
    expect(model.warnings).toHaveLength(4);
  });

  it("warns when the checkpoint names another stack", () => {
    const st = productionStage({ apis: [], sites: [] });
    const { model } = ok(readV3Stage({ key: "app/shop/staging.json", body: plainJson(st.checkpoint) }));
    expect(model.stage).toBe("staging");
    expect(model.warnings).toEqual([expect.stringContaining('"organization/shop/production"')]);
  });
});

describe("v3 state bodies", () => {
  const st = productionStage();

  it("reads gzipped state (magic bytes) the same as plain JSON", () => {
    const plain = ok(readV3Stage({ key: st.key, body: plainJson(st.checkpoint) }));
    const gz = ok(readV3Stage({ key: st.key, body: gzipJson(st.checkpoint) }));
    expect(gz.model).toEqual(plain.model);
    expect(gz.hash).toBe(plain.hash);
  });

  it("accepts a string body and a UTF-8 byte order mark", () => {
    const text = "\ufeff" + JSON.stringify(st.checkpoint);
    expect(readV3Stage({ key: st.key, body: text }).status).toBe("ok");
    expect(readV3Stage({ key: st.key, body: Buffer.from(text, "utf8") }).status).toBe("ok");
  });

  it("treats an empty file or a checkpoint without resources as a removed stage", () => {
    expect(readV3Stage({ key: st.key, body: Buffer.alloc(0) })).toEqual({ status: "removed", app: "shop", stage: "production", reason: "empty_file" });
    expect(readV3Stage({ key: st.key, body: " \n" })).toMatchObject({ status: "removed", reason: "empty_file" });
    expect(readV3Stage({ key: st.key, body: gzipJson("") })).toMatchObject({ status: "removed", reason: "empty_file" });
    const noLatest = { version: 3, checkpoint: { stack: "organization/shop/production" } };
    expect(readV3Stage({ key: st.key, body: plainJson(noLatest) })).toMatchObject({ status: "removed", reason: "no_resources" });
    const empty = { version: 3, checkpoint: { stack: "organization/shop/production", latest: { manifest: {}, resources: [] } } };
    expect(readV3Stage({ key: st.key, body: plainJson(empty) })).toMatchObject({ status: "removed", reason: "no_resources" });
    const noList = { version: 3, checkpoint: { latest: { manifest: {} } } };
    expect(readV3Stage({ key: st.key, body: plainJson(noList) })).toMatchObject({ status: "removed", reason: "no_resources" });
  });

  it("skips malformed bodies with a reason instead of throwing", () => {
    const cases: Array<[Buffer | string, string]> = [
      ["{not json", "invalid_json"],
      [truncate(gzipJson(st.checkpoint)), "invalid_gzip"],
      [Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]), "invalid_gzip"],
      [plainJson(truncate(plainJson(st.checkpoint)).toString()), "unexpected_shape"],
      [truncate(plainJson(st.checkpoint)), "invalid_json"],
      ["[]", "unexpected_shape"],
      ["null", "unexpected_shape"],
      ['{"version":3}', "unexpected_shape"],
      ['{"version":3,"checkpoint":{"latest":[]}}', "unexpected_shape"],
      ['{"version":3,"checkpoint":{"latest":{"resources":{}}}}', "unexpected_shape"],
      ['{"version":3,"checkpoint":{"latest":{"resources":[1,2]}}}', "unexpected_shape"],
    ];
    for (const [body, reason] of cases) {
      const r = readV3Stage({ key: st.key, body });
      expect(r, String(reason)).toMatchObject({ status: "skipped", app: "shop", stage: "production", reason });
    }
  });

  it("refuses bodies that inflate past the limit", () => {
    const r = readV3Stage({ key: st.key, body: gzipJson(st.checkpoint), options: { maxBytes: 1000 } });
    expect(r).toMatchObject({ status: "skipped", reason: "too_large" });
  });

  it("skips keys that are not stage state", () => {
    expect(readV3Stage({ key: "update/shop/production/abc.json", body: "{}" })).toMatchObject({ status: "skipped", reason: "invalid_key" });
    expect(readV3Stage({ app: "shop", stage: "dev", body: plainJson(st.checkpoint) }).status).toBe("ok");
  });

  it("parseV3Checkpoint throws typed errors for non-checkpoints", () => {
    expect(() => parseV3Checkpoint("x", { app: "a", stage: "b" })).toThrowError(expect.objectContaining({ code: "unexpected_shape" }));
  });
});

describe("URNs", () => {
  it("splits stage, app, type chain and name", () => {
    expect(parseUrn("urn:pulumi:jane::shop::sst:aws:ApiGatewayV2$sst:aws:ApiGatewayV2LambdaRoute$sst:aws:Function::Handler::x")).toEqual({
      stage: "jane",
      app: "shop",
      qualifiedType: "sst:aws:ApiGatewayV2$sst:aws:ApiGatewayV2LambdaRoute$sst:aws:Function",
      type: "sst:aws:Function",
      ancestorTypes: ["sst:aws:ApiGatewayV2", "sst:aws:ApiGatewayV2LambdaRoute"],
      name: "Handler::x",
    });
    expect(parseUrn("urn:pulumi:bad")).toBeUndefined();
    expect(parseUrn("arn:aws:lambda")).toBeUndefined();
  });
});

describe("live signals from a Lambda configuration (Lambda API)", () => {
  it("reads description, environment and stub handlers", async () => {
    const { lambdaLiveSignals, isLiveDescription } = await import("./index");
    expect(isLiveDescription("live")).toBe(true);
    expect(isLiveDescription("Public HTTP API (live)")).toBe(true);
    expect(isLiveDescription("alive")).toBe(false);
    expect(isLiveDescription(undefined)).toBe(false);
    expect(lambdaLiveSignals({ runtime: "provided.al2023", handler: "bootstrap", description: "live", environment: { SST_FUNCTION_ID: "Api" } })).toEqual([
      "description",
      "environment",
    ]);
    // The Lambda API always returns a description, so a deployed Go function is not live.
    expect(lambdaLiveSignals({ runtime: "provided.al2023", handler: "bootstrap", description: "" })).toEqual([]);
    expect(lambdaLiveSignals({ runtime: "nodejs18.x", handler: "live-lambda.handler", description: "" })).toEqual(["runtime_handler"]);
    expect(lambdaLiveSignals({ runtime: "nodejs16.x", handler: "bridge.handler" })).toEqual(["runtime_handler"]);
    expect(lambdaLiveSignals({ runtime: "nodejs20.x", handler: "src/api.handler", description: "" })).toEqual([]);
  });
});
