/**
 * Runtime families gathered from real logs (fixtures/runtime-families.json, each sample with
 * its source): Ruby, Go on go1.x and Go's `log` package, legacy Node, .NET (text, JSON log
 * format, Powertools), Java's ExceptionInInitializerError, and loggers that print an error
 * object with a stack array. Each must give exactly its expected error; the silent samples
 * must give none.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { detect, fingerprint } from "./index";
import type { LogEvent } from "./types";

interface Sample {
  id: string;
  lines: string[];
  provenance: "real" | "reconstructed";
  source: string;
  expected: { isError: boolean; errorType: string | null; message: string | null };
  check?: { runtime?: string; errorKind?: string; requestId?: string; frames?: number; inAppFunctions?: string[]; inAppFiles?: string[]; causes?: string[] };
}

const samples = (JSON.parse(readFileSync(join(import.meta.dirname, "fixtures/runtime-families.json"), "utf8")) as { samples: Sample[] }).samples;

function eventsOf(s: Sample): LogEvent[] {
  return s.lines.map((message, i) => ({ id: `${s.id}-${i}`, timestamp: 1_700_000_000_000 + i, message }));
}

describe("runtime families", () => {
  test("every sample names its source, and most are real", () => {
    for (const s of samples) expect(s.source.length).toBeGreaterThan(10);
    expect(samples.filter((s) => s.provenance === "real").length).toBeGreaterThanOrEqual(25);
  });

  for (const s of samples) {
    test(s.id, () => {
      const errors = detect(eventsOf(s));
      if (!s.expected.isError) {
        expect(errors).toEqual([]);
        return;
      }
      expect(errors.map((e) => [e.type, e.message])).toEqual([[s.expected.errorType, s.expected.message]]);
      const e = errors[0]!;
      const c = s.check ?? {};
      if (c.runtime) expect(e.runtime).toBe(c.runtime);
      if (c.errorKind) expect(e.kind).toBe(c.errorKind);
      if (c.requestId) expect(e.requestId).toBe(c.requestId);
      if (c.frames !== undefined) expect(e.frames).toHaveLength(c.frames);
      if (c.inAppFunctions) expect(e.frames.filter((f) => f.inApp).map((f) => f.function)).toEqual(c.inAppFunctions);
      if (c.inAppFiles) expect(e.frames.filter((f) => f.inApp).map((f) => f.file)).toEqual(c.inAppFiles);
      if (c.causes) expect((e.causes ?? []).map((x) => x.type)).toEqual(c.causes);
      expect(fingerprint(e, { functionName: "fn" }).hash).toMatch(/^[0-9a-f]{32}$/);
    });
  }
});
