/**
 * Every real sample gathered in research (fixtures/lambda-log-samples.json) must give its
 * expected result. For the Powertools batch failure we report the top-level
 * FullBatchFailureError (the sample's main expectation) and keep the first record's error
 * as a cause, so it still takes part in grouping.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { decodeSubscriptionPayload, detect, fingerprint } from "./index";
import type { LogEvent } from "./types";

interface Sample {
  id: string;
  kind: string;
  lines: string[];
  expected: { isError: boolean; errorType: string | null; message: string | null };
  alternateExpected?: { errorType: string; message: string };
}

const samples = (JSON.parse(readFileSync(join(import.meta.dirname, "fixtures/lambda-log-samples.json"), "utf8")) as { samples: Sample[] }).samples;

function eventsOf(s: Sample): LogEvent[] {
  if (s.kind === "subscription-payload") return decodeSubscriptionPayload(s.lines[0]!).logEvents;
  return s.lines.map((message, i) => ({ id: `${s.id}-${i}`, timestamp: 1_700_000_000_000 + i, message }));
}

describe("research samples", () => {
  test("the fixture file has the samples", () => {
    expect(samples.length).toBeGreaterThanOrEqual(27);
  });

  for (const s of samples) {
    test(s.id, () => {
      const errors = detect(eventsOf(s));
      if (!s.expected.isError) {
        expect(errors).toEqual([]);
        return;
      }
      expect(errors).toHaveLength(1);
      const e = errors[0]!;
      expect(e.type).toBe(s.expected.errorType);
      expect(e.message).toBe(s.expected.message);
      expect(e.eventIds.length).toBeGreaterThan(0);
      // Every detected error can be fingerprinted.
      expect(fingerprint(e, { functionName: "fn" }).hash).toMatch(/^[0-9a-f]{32}$/);
    });
  }

  test("powertools batch: the first record error is kept as a cause", () => {
    const s = samples.find((x) => x.id === "node-invoke-error-powertools-batch")!;
    const [e] = detect(eventsOf(s));
    expect(e!.causes?.[0]).toMatchObject({ type: s.alternateExpected!.errorType, message: s.alternateExpected!.message });
  });
});
