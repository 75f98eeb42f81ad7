/**
 * Fuzz: every parser entry point gets 256 KB events of repeated characters and fragments
 * (see @console/testkit/hostile) and must finish with sane output. No timing assertion:
 * each test runs under vitest's default timeout, which a quadratic parser (tens of seconds
 * per event before issue 7) cannot meet, so a regression fails here as a hang guard.
 */
import { describe, expect, it } from "vitest";
import { fill, HOSTILE_FRAGMENTS, HOSTILE_INPUTS, MAX_EVENT_BYTES } from "@console/testkit/hostile";
import { classify } from "./classify";
import { detect } from "./detector";
import { fingerprint } from "./fingerprint";
import { parseFrameLines, parseGoFrames, parsePythonFrames } from "./frames";
import { findHeaderInLine, parseBracketHeader, parseHeaderAt, parseHeaderLine, parseReversedHeader } from "./header";
import { enrich, memoryProvider, SourceMapCache } from "./index";
import { normalizeMessage } from "./normalize";
import { framesFromArray, salvageErrorJson } from "./parse-json";
import { parseErrorText } from "./parse-text";
import { parsePlatformText } from "./platform";
import { enclosingFunction } from "./sourcemap";
import type { DetectedError, LogEvent, Runtime } from "./types";

const SIZE = MAX_EVENT_BYTES;
const ISO = "2024-05-01T12:00:00.000Z";
const RID = "8f3c2a4e-1b6d-4c7a-9e2f-3a5b6c7d8e9f";

function sane(errors: DetectedError[], inputChars: number) {
  for (const e of errors) {
    expect(typeof e.type).toBe("string");
    expect(e.message.length).toBeLessThanOrEqual(64 * 1024 + 1);
    const fp = fingerprint(e, { functionName: "f" });
    expect(fp.hash).toMatch(/^[0-9a-f]{32}$/);
  }
  // No blow-up: what comes out is of the order of what went in.
  expect(JSON.stringify(errors).length).toBeLessThanOrEqual(10 * inputChars + 10_000);
}

/** One hostile event in the shapes a stream can carry it. */
function shapes(run: string): { name: string; events: string[]; runtime?: string }[] {
  return [
    { name: "bare", events: [run] },
    { name: "node prefix ERROR", events: [`${ISO}\t${RID}\tERROR\t${run}`], runtime: "nodejs22.x" },
    { name: "node Invoke Error", events: [`${ISO}\t${RID}\tERROR\tInvoke Error \t${run}`], runtime: "nodejs22.x" },
    { name: "python prefix", events: [`[ERROR]\t${ISO}\t${RID}\t${run}`], runtime: "python3.12" },
    { name: "JSON message", events: [JSON.stringify({ timestamp: ISO, level: "ERROR", requestId: RID, message: run })], runtime: "nodejs22.x" },
    { name: "JSON stackTrace", events: [JSON.stringify({ errorType: "Error", errorMessage: "boom", stackTrace: [run] })] },
    { name: "cut JSON", events: [`{"errorType":"Error","errorMessage":"boom","stackTrace":["${run}`] },
    { name: "Runtime exited", events: [`RequestId: ${RID} Error: Runtime exited ${run}`] },
    { name: "go continuation", events: ["panic: boom", "goroutine 1 [running]:", run], runtime: "provided.al2023" },
    { name: "python continuation", events: ["Traceback (most recent call last):", '  File "/var/task/a.py", line 1, in h', run], runtime: "python3.12" },
    { name: "jvm continuation", events: ["java.lang.IllegalStateException: boom", "\tat com.x.Y.z(Y.java:1)", run], runtime: "java21" },
  ];
}

describe("hostile events: every entry point finishes with sane output", () => {
  for (const fragment of HOSTILE_FRAGMENTS) {
    it(`repeated ${JSON.stringify(fragment)}`, () => {
      const run = fill(fragment, SIZE - 200);
      // The detector on text and JSON lines, in every shape.
      for (const shape of shapes(run)) {
        const events: LogEvent[] = shape.events.map((message, i) => ({ id: String(i), timestamp: i, message }));
        const errors = detect(events, { runtime: shape.runtime });
        sane(errors, SIZE);
      }
      // Single parsers on the raw run.
      classify(run);
      parsePlatformText(run);
      parsePlatformText(`Error: Runtime exited${run}x`);
      for (const runtime of ["node", "java", "dotnet", "unknown"] as Runtime[]) parseFrameLines([run, `    at ${run}`], runtime);
      parsePythonFrames(['  File "/var/task/a.py", line 1, in h', "    x()", run, `  ${run}`], 0);
      parseGoFrames(["main.main()", `\t${run}`, run, "\t/var/task/main.go:1 +0x1"], 0);
      framesFromArray([run, `x${run}'`]);
      salvageErrorJson(`{"errorType":"E","stackTrace":["${run}`);
      for (const allowHeaderOnly of [true, false]) parseErrorText(`Error: x${run}}`, { allowHeaderOnly });
      parseHeaderAt(run);
      parseHeaderLine(`Error: ${run}`);
      findHeaderInLine(run);
      parseBracketHeader(`[${run}]`);
      parseReversedHeader(`${run}: Error`);
      enclosingFunction([run, `const e=(${run}`, `function ${run}`], 3);
      expect(normalizeMessage(run).length).toBeLessThanOrEqual(3 * 4096 * 2);
    });
  }

  it("the benchmark's inputs, through detect and enrich (source maps, fingerprint)", async () => {
    for (const input of HOSTILE_INPUTS) {
      const events = input.events(SIZE, false);
      const maps = input.maps?.(SIZE, false);
      const errors = detect(events, { runtime: input.runtime });
      sane(errors, SIZE);
      const out = await enrich(errors, { functionName: "f", sourcemaps: maps ? { provider: memoryProvider(maps), cache: new SourceMapCache() } : undefined });
      for (const e of out) expect(e.fingerprint.hash).toMatch(/^[0-9a-f]{32}$/);
    }
  });
});
