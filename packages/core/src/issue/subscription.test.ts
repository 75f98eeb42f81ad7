/**
 * The subscription filter pattern decides which log events reach the console at
 * all. Simulate CloudWatch Logs: keep only the lines of each real sample that the
 * pattern lets through, and check that detection still finds the expected error;
 * and the same for real traces of the demo programs (Node and Python, text and
 * JSON log formats, timeouts, out-of-memory kills).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { detect, decodeSubscriptionPayload, type LogEvent } from "./extract";
import { FILTER_PATTERN, FILTER_TERMS, matchesFilterPattern, parseFilterName, filterName } from "./subscription";
import { DEMO_HANDLERS, hasPython, invoke } from "@console/testkit/programs";

interface Sample {
  id: string;
  kind: string;
  lines: string[];
  expected: { isError: boolean; errorType: string | null };
}

const samples = (JSON.parse(readFileSync(join(import.meta.dirname, "extract/fixtures/lambda-log-samples.json"), "utf8")) as { samples: Sample[] }).samples;

function eventsOf(s: Sample): LogEvent[] {
  if (s.kind === "subscription-payload") return decodeSubscriptionPayload(s.lines[0]!).logEvents;
  return s.lines.map((message, i) => ({ id: `${s.id}-${i}`, timestamp: 1_700_000_000_000 + i, message }));
}

const filtered = (events: LogEvent[]) => events.filter((e) => matchesFilterPattern(FILTER_PATTERN, e.message));

describe("the subscription filter pattern", () => {
  test("fits CloudWatch Logs' limits and quotes every term", () => {
    expect(FILTER_PATTERN.length).toBeLessThanOrEqual(1024);
    expect(FILTER_PATTERN.split(" ?").length).toBe(FILTER_TERMS.length);
    for (const t of FILTER_TERMS) expect(t).not.toContain('"');
  });

  for (const s of samples.filter((x) => x.expected.isError)) {
    test(`lets through what detection needs: ${s.id}`, () => {
      const all = detect(eventsOf(s));
      const through = detect(filtered(eventsOf(s)));
      expect(through.map((e) => e.type)).toEqual(all.map((e) => e.type));
      expect(through[0]?.type).toBe(s.expected.errorType);
    });
  }

  test("keeps ordinary lines out", () => {
    for (const line of [
      "START RequestId: 8c1e4f2a-1b2c-4d5e-8f90-123456789abc Version: $LATEST",
      "END RequestId: 8c1e4f2a-1b2c-4d5e-8f90-123456789abc",
      "REPORT RequestId: 8c1e4f2a-1b2c-4d5e-8f90-123456789abc\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB",
      "2026-11-22T10:00:00.000Z\t8c1e4f2a-1b2c-4d5e-8f90-123456789abc\tINFO\torder 1001 shipped",
      '{"timestamp":"2026-11-22T10:00:00.000Z","level":"INFO","requestId":"8c1e4f2a","message":"ok"}',
    ]) {
      expect(matchesFilterPattern(FILTER_PATTERN, line), line).toBe(false);
    }
  });

  const runs = DEMO_HANDLERS.filter((h) => h.outcome !== "success" && (h.program === "node" || hasPython()));
  for (const h of runs) {
    for (const format of ["text", "json"] as const) {
      test(`real trace, ${h.program} ${h.handler} (${h.bug}), ${format} logs`, { timeout: 20_000 }, async () => {
        const r = await invoke(h.program, h.handler, h.event, { format, timeoutMs: h.outcome === "timeout" ? 300 : 3000, memoryMb: h.outcome === "oom" ? 64 : 128 });
        const all = detect(r.events);
        expect(all.length).toBeGreaterThan(0);
        expect(detect(filtered(r.events)).map((e) => [e.type, e.message])).toEqual(all.map((e) => [e.type, e.message]));
      });
    }
  }
});

describe("filter names", () => {
  test("carry the connection and the region, and nothing else parses", () => {
    const name = filterName("01m8227z4s5ys9z16j1pyt5ehb", "eu-west-1");
    expect(parseFilterName(name)).toEqual({ connectionId: "01m8227z4s5ys9z16j1pyt5ehb", region: "eu-west-1" });
    expect(parseFilterName("console-01m8227z4s5ys9z16j1pyt5ehb-us-gov-west-1")?.region).toBe("us-gov-west-1");
    for (const other of ["datadog", "console-short-eu-west-1", "console-01m8227z4s5ys9z16j1pyt5ehb", "x-console-01m8227z4s5ys9z16j1pyt5ehb-eu-west-1"]) {
      expect(parseFilterName(other)).toBeUndefined();
    }
  });
});
