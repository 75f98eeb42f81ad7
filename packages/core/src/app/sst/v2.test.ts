import { describe, expect, it } from "vitest";
import { constructAddr, plainJson, sample, sampleBytes, SAMPLE_ACCOUNT, v2Stage } from "@console/testkit/sst";
import { parseV2StackMetadata, readV2Stage, type StageModel, type StageReadResult } from "./index";

function ok(result: StageReadResult): { model: StageModel; hash: string } {
  if (result.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

function objects(built: ReturnType<typeof v2Stage>, lastModified?: string) {
  return built.stacks.map((s) => ({ stack: s.key, body: plainJson(s.metadata), lastModified }));
}

describe("v2 stack metadata", () => {
  it("parses the committed sample", () => {
    const { entries, warnings } = parseV2StackMetadata(sample("v2-stack-metadata"), "production-reports-Api");
    expect(warnings).toEqual([]);
    expect(entries.map((e) => [e.type, e.id])).toEqual([
      ["Api", "Api"],
      ["Function", "ListReports"],
      ["Function", "ExportJob"],
      ["Table", "Reports"],
    ]);
    expect(entries[1]!.data).toMatchObject({ runtime: "nodejs18.x", handler: "packages/functions/src/list.handler", secrets: ["DB_PASSWORD"] });
  });

  it("turns a deployed stage into functions with ARN, region and log group", () => {
    const { model } = ok(
      readV2Stage({
        app: "reports",
        stage: "production",
        region: "eu-west-1",
        stacks: [{ stack: "stackMetadata/app.reports/stage.production/stack.production-reports-Api.json", body: sampleBytes("v2-stack-metadata"), lastModified: "2024-10-01T10:00:00Z" }],
        appMetadata: plainJson({ mode: "deploy" }),
      }),
    );
    expect(model).toMatchObject({ sst: "v2", app: "reports", stage: "production", region: "eu-west-1", personal: false, mode: "deploy", stacks: ["production-reports-Api"] });
    expect(model.deployedAt).toBe("2024-10-01T10:00:00.000Z");
    const name = "production-reports-Api-ListReportsF7E60CEA-Xv1VzxRteYtL";
    expect(model.functions[0]).toEqual({
      key: constructAddr("production-reports-Api/ListReports"),
      component: "ListReports",
      name,
      arn: `arn:aws:lambda:eu-west-1:${SAMPLE_ACCOUNT}:function:${name}`,
      region: "eu-west-1",
      accountId: SAMPLE_ACCOUNT,
      runtime: "nodejs18.x",
      sourceHandler: "packages/functions/src/list.handler",
      logGroup: `/aws/lambda/${name}`,
      live: false,
      liveSignals: [],
      internal: false,
      stack: "production-reports-Api",
      secrets: ["DB_PASSWORD"],
      deployedAt: "2024-10-01T10:00:00.000Z",
    });
    expect(model.functions[1]!.missingSourcemap).toBe(true);
    expect(model.resources.map((r) => r.type)).toEqual(["Stack", "Api", "Function", "Function", "Table"]);
    expect(model.resources.filter((r) => r.type !== "Stack").every((r) => r.parent === "production-reports-Api")).toBe(true);
  });

  it("combines every stack of the stage", () => {
    const built = v2Stage("deploy");
    const { model } = ok(readV2Stage({ app: "reports", stage: "production", stacks: objects(built) }));
    expect(model.stacks).toEqual(["production-reports-Api", "production-reports-Jobs"]);
    expect(model.functions.map((f) => f.name).sort()).toEqual(built.functions.map((f) => f.name).sort());
    expect(model.mode).toBeUndefined();
  });

  it("marks the stage personal and its functions live when appMetadata says dev", () => {
    const built = v2Stage("dev");
    const { model } = ok(readV2Stage({ app: "reports", stage: "jane", stacks: objects(built), appMetadata: plainJson(built.appMetadata.body) }));
    expect(model.personal).toBe(true);
    expect(model.mode).toBe("dev");
    expect(model.functions.every((f) => f.live && f.liveSignals.join() === "app_mode_dev")).toBe(true);
  });

  it("lists an SSR site's server function as internal", () => {
    const arn = `arn:aws:lambda:eu-west-1:${SAMPLE_ACCOUNT}:function:production-reports-Web-ServerFunctionABC-xyz`;
    const body = plainJson([{ id: "Site", addr: "c8site", stack: "production-reports-Web", type: "NextjsSite", data: { mode: "deployed", server: arn, url: "https://x" } }]);
    const { model } = ok(readV2Stage({ app: "reports", stage: "production", stacks: [{ stack: "production-reports-Web", body }] }));
    expect(model.functions).toEqual([expect.objectContaining({ key: "c8site/server", arn, internal: true, live: false, component: "Site" })]);
  });

  it("skips a malformed stack file but keeps the others", () => {
    const built = v2Stage("deploy");
    const stacks = objects(built);
    stacks[1] = { ...stacks[1]!, body: Buffer.from("{broken") };
    const { model } = ok(readV2Stage({ app: "reports", stage: "production", stacks, appMetadata: Buffer.from("{{") }));
    expect(model.stacks).toEqual(["production-reports-Api"]);
    expect(model.warnings).toEqual([expect.stringContaining("production-reports-Jobs skipped: invalid_json"), "appMetadata ignored: invalid_json"]);
  });

  it("skips entries without type or addr, and functions without an ARN", () => {
    const body = plainJson([null, { type: "Function" }, { id: "X", addr: "c8x", type: "Function", data: { arn: "nope" } }, { id: "T", addr: "c8t", type: "Table", data: {} }]);
    const { model } = ok(readV2Stage({ app: "a", stage: "b", stacks: [{ stack: "b-a-S", body }] }));
    expect(model.functions).toEqual([]);
    expect(model.resources.map((r) => r.key)).toEqual(["b-a-S", "c8x", "c8t"]);
    expect(model.warnings).toHaveLength(3);
  });

  it("skips the stage when no stack file is readable, and calls it removed with none", () => {
    expect(readV2Stage({ app: "a", stage: "b", stacks: [{ stack: "b-a-S", body: "{}" }] })).toMatchObject({ status: "skipped", reason: "unexpected_shape" });
    expect(readV2Stage({ app: "a", stage: "b", stacks: [{ stack: "b-a-S", body: "" }] })).toMatchObject({ status: "skipped", reason: "unexpected_shape" });
    expect(readV2Stage({ app: "a", stage: "b", stacks: [] })).toEqual({ status: "removed", app: "a", stage: "b", reason: "no_stacks" });
  });

  it("accepts the whole SSTMetadata output object too", () => {
    const built = v2Stage("deploy");
    const { model } = ok(readV2Stage({ app: "reports", stage: "production", stacks: [{ stack: built.stacks[0]!.name, body: plainJson(built.stacks[0]!.output) }] }));
    expect(model.functions).toHaveLength(2);
  });
});
