import { describe, expect, it } from "vitest";
import { sample } from "@console/testkit/sst";
import {
  groupV2Keys,
  parseV2AppMetadataKey,
  parseV2BootstrapOutputs,
  parseV2StackMetadataKey,
  parseV3Bootstrap,
  parseV3LegacyAssetParameter,
  parseV3StageKey,
  parseV3StateKey,
  v3SourcemapKey,
  v3SourcemapPrefix,
} from "./index";

describe("v3 state bucket keys", () => {
  it("reads app and stage from app/<app>/<stage>.json", () => {
    expect(parseV3StageKey("app/shop/production.json")).toEqual({ app: "shop", stage: "production" });
    expect(parseV3StageKey("app/my-app/pr-42.json")).toEqual({ app: "my-app", stage: "pr-42" });
  });

  it("ignores every other kind and malformed keys", () => {
    for (const key of [
      "update/shop/production/fffe8d2c1b3a0123456789ab.json",
      "summary/shop/production/fffe8d2c1b3a0123456789ab.json",
      "snapshot/shop/production/fffe8d2c1b3a0123456789ab.json",
      "eventlog/shop/production/fffe8d2c1b3a0123456789ab.json",
      "history/shop/production/09223372035123456789-abc.json",
      "lock/shop/production.json",
      "secret/shop/production.json",
      "secret/shop/_fallback.json",
      "app/shop/production",
      "app/shop/.json",
      "app/shop.json",
      "app/shop/production/extra.json",
      "app//production.json",
      "passphrase/shop/production.json",
      "",
    ]) {
      expect(parseV3StageKey(key), key).toBeUndefined();
    }
  });

  it("parses the per-update kinds too, for event handling", () => {
    expect(parseV3StateKey("update/shop/jane/fffe8d2c1b3a0123456789ab.json")).toEqual({
      kind: "update",
      app: "shop",
      stage: "jane",
      updateId: "fffe8d2c1b3a0123456789ab",
    });
    expect(parseV3StateKey("lock/shop/jane.json")).toEqual({ kind: "lock", app: "shop", stage: "jane" });
    expect(parseV3StateKey("update/shop/jane.json")).toBeUndefined();
    expect(parseV3StateKey("random/shop/jane.json")).toBeUndefined();
  });

  it("builds source map keys under the log group ARN, ending the prefix with a slash", () => {
    const arn = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/shop-production-ApiFunction-abc";
    expect(v3SourcemapKey(arn, "ab12", "index.mjs.map")).toBe(`sourcemap/${arn}/ab12.index.mjs.map`);
    expect(v3SourcemapPrefix(arn)).toBe(`sourcemap/${arn}/`);
  });
});

describe("v2 bootstrap bucket keys", () => {
  it("parses stack metadata and app metadata keys", () => {
    expect(parseV2StackMetadataKey("stackMetadata/app.reports/stage.production/stack.production-reports-Api.json")).toEqual({
      app: "reports",
      stage: "production",
      stack: "production-reports-Api",
    });
    expect(parseV2AppMetadataKey("appMetadata/app.reports/stage.jane.json")).toEqual({ app: "reports", stage: "jane" });
    expect(parseV2StackMetadataKey("stackMetadata/app.reports/stage.production/production-reports-Api.json")).toBeUndefined();
    expect(parseV2StackMetadataKey("stackMetadata/app./stage.production/stack.x.json")).toBeUndefined();
    expect(parseV2StackMetadataKey("appMetadata/app.reports/stage.jane.json")).toBeUndefined();
    expect(parseV2AppMetadataKey("appMetadata/app.reports/stage.jane")).toBeUndefined();
    expect(parseV2StackMetadataKey("sourcemap/reports/production/arn:aws:lambda:x/abc.map")).toBeUndefined();
  });

  it("groups a listing into stages, with their app metadata", () => {
    const groups = groupV2Keys([
      "stackMetadata/app.reports/stage.production/stack.production-reports-Jobs.json",
      "appMetadata/app.reports/stage.production.json",
      "stackMetadata/app.reports/stage.production/stack.production-reports-Api.json",
      "stackMetadata/app.reports/stage.jane/stack.jane-reports-Api.json",
      "appMetadata/app.reports/stage.gone.json",
      "sourcemap/reports/production/x.map",
    ]);
    expect(groups).toEqual([
      { app: "reports", stage: "jane", stackKeys: ["stackMetadata/app.reports/stage.jane/stack.jane-reports-Api.json"] },
      {
        app: "reports",
        stage: "production",
        stackKeys: [
          "stackMetadata/app.reports/stage.production/stack.production-reports-Api.json",
          "stackMetadata/app.reports/stage.production/stack.production-reports-Jobs.json",
        ],
        appMetadataKey: "appMetadata/app.reports/stage.production.json",
      },
    ]);
  });
});

describe("bootstrap records", () => {
  it("parses the /sst/bootstrap value", () => {
    const value = JSON.stringify(sample("v3-bootstrap"));
    expect(parseV3Bootstrap(value)).toEqual({
      version: 5,
      asset: "sst-asset-xbo5rkoijlpe",
      state: "sst-state-xbo5rkoijlpe",
      assetEcrRegistryId: "111122223333",
      assetEcrUrl: "111122223333.dkr.ecr.us-east-1.amazonaws.com/sst-asset",
    });
  });

  it("keeps the AppSync fields some versions write, and tolerates missing optional ones", () => {
    const v = parseV3Bootstrap(
      JSON.stringify({ version: 4, asset: "sst-asset-abc123def456", state: "sst-state-abc123def456", appsyncHttp: "x.appsync-api.us-east-1.amazonaws.com", appsyncRealtime: "" }),
    );
    expect(v).toEqual({ version: 4, asset: "sst-asset-abc123def456", state: "sst-state-abc123def456", appsyncHttp: "x.appsync-api.us-east-1.amazonaws.com" });
  });

  it("rejects values without a state bucket or that are not JSON", () => {
    for (const bad of ["", "nope", "[]", "null", '{"asset":"sst-asset-abc123def456"}', '{"state":"Not A Bucket!"}', '{"state":"sst-state-x","asset":"BAD_"}']) {
      expect(() => parseV3Bootstrap(bad), bad).toThrowError(expect.objectContaining({ code: "invalid_bootstrap" }));
    }
  });

  it("parses the legacy /sst/bootstrap/asset value", () => {
    expect(parseV3LegacyAssetParameter('{"bucket":"sst-asset-legacy000001"}')).toEqual({ asset: "sst-asset-legacy000001" });
    expect(() => parseV3LegacyAssetParameter("{}")).toThrowError(expect.objectContaining({ code: "invalid_bootstrap" }));
  });

  it("reads the SSTBootstrap stack outputs", () => {
    expect(
      parseV2BootstrapOutputs([
        { OutputKey: "Version", OutputValue: "7.3" },
        { OutputKey: "BucketName", OutputValue: "sstbootstrap-sstbootstrapbucket12345-abcdef" },
      ]),
    ).toEqual({ bucket: "sstbootstrap-sstbootstrapbucket12345-abcdef", version: "7.3" });
    expect(parseV2BootstrapOutputs([{ OutputKey: "Version", OutputValue: "7.3" }])).toBeUndefined();
    expect(parseV2BootstrapOutputs(undefined)).toBeUndefined();
  });
});
