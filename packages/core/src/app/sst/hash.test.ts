import { describe, expect, it } from "vitest";
import { gzipJson, personalStage, plainJson, productionStage, v2Stage } from "@console/testkit/sst";
import { canonicalJson, readV2Stage, readV3Stage, stageHash, type StageModel, type StageReadResult } from "./index";

function model(result: StageReadResult): StageModel {
  if (result.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.model;
}

describe("stage hash", () => {
  const st = productionStage();
  const base = model(readV3Stage({ key: st.key, body: plainJson(st.checkpoint) }));

  it("is the same for the same state, read twice, gzipped or not", () => {
    const again = model(readV3Stage({ key: st.key, body: gzipJson(productionStage().checkpoint) }));
    expect(stageHash(again)).toBe(stageHash(base));
  });

  it("does not depend on key order or on the order of resources and functions", () => {
    const reordered: StageModel = JSON.parse(JSON.stringify({ ...base, resources: [...base.resources].reverse(), functions: [...base.functions].reverse() }));
    const shuffledKeys = Object.fromEntries(Object.entries(reordered).reverse()) as unknown as StageModel;
    expect(stageHash(shuffledKeys)).toBe(stageHash(base));
  });

  it("changes when anything a user would see changes", () => {
    const bumped = productionStage({ functions: [{ name: "Api", handler: "packages/functions/src/api.handler", url: true, timeout: 30, description: "Public HTTP API", memory: 2048 }, { name: "Worker", handler: "packages/functions/src/worker.handler", timeout: 60, memory: 512 }] });
    expect(stageHash(model(readV3Stage({ key: st.key, body: plainJson(bumped.checkpoint) })))).not.toBe(stageHash(base));
    const redeployed = productionStage({ time: "2024-11-04T10:00:00.000Z" });
    expect(stageHash(model(readV3Stage({ key: st.key, body: plainJson(redeployed.checkpoint) })))).not.toBe(stageHash(base));
    const live = personalStage("production", { time: "2024-11-04T09:30:00.000Z" });
    expect(stageHash(model(readV3Stage({ key: st.key, body: plainJson(live.checkpoint) })))).not.toBe(stageHash(base));
  });

  it("for v2, does not depend on the order stack files were listed in", () => {
    const built = v2Stage("deploy");
    const objs = built.stacks.map((s) => ({ stack: s.key, body: plainJson(s.metadata) }));
    const a = model(readV2Stage({ app: "reports", stage: "production", stacks: objs }));
    const b = model(readV2Stage({ app: "reports", stage: "production", stacks: [...objs].reverse() }));
    expect(stageHash(a)).toBe(stageHash(b));
    const dev = model(readV2Stage({ app: "reports", stage: "production", stacks: objs, appMetadata: '{"mode":"dev"}' }));
    expect(stageHash(dev)).not.toBe(stageHash(a));
  });

  it("canonical JSON sorts keys and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [undefined, 2] } })).toBe('{"a":{"c":[null,2]},"b":1}');
  });
});
