import { describe, expect, it } from "vitest";
import type { DetectedError } from "../../../lib/api";
import { unmappedBundles } from "./NoSourceMap";

const error = (frames: Partial<DetectedError["frames"][number]>[], runtime = "node"): DetectedError =>
  ({
    type: "TypeError",
    message: "x",
    kind: "invoke",
    phase: "invoke",
    runtime,
    timestamp: 0,
    eventIds: [],
    frames: frames.map((f) => ({ file: "/var/task/index.mjs", inApp: true, raw: "at x", ...f })),
  }) as DetectedError;

describe("unmappedBundles", () => {
  it("names the bundles of in-app frames no map mapped", () => {
    expect(unmappedBundles(error([{ file: "/var/task/index.mjs" }, { file: "/var/task/api/index.mjs" }, { file: "/var/task/index.mjs" }]))).toEqual([
      "index.mjs",
      "api/index.mjs",
    ]);
  });
  it("says nothing when frames were mapped, for other runtimes, or for library frames", () => {
    expect(unmappedBundles(error([{ file: "src/handler.ts", generated: { file: "/var/task/index.mjs" } }]))).toEqual([]);
    expect(unmappedBundles(error([{ file: "/var/task/handler.py" }], "python"))).toEqual([]);
    expect(unmappedBundles(error([{ file: "node:internal/process", inApp: false }]))).toEqual([]);
    expect(unmappedBundles(error([{ file: "/var/task/node_modules/x/index.js" }]))).toEqual([]);
  });
});
