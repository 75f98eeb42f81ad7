/**
 * One bug is one issue whatever the log format: real traces of the demo programs in
 * Lambda's text and JSON formats, mapped with the bundle's source map, get the same
 * type, the same original function names and the same fingerprint.
 */
import { describe, expect, test } from "vitest";
import { detect, enrich, memoryProvider, SourceMapCache } from "./extract";
import { bundleDemo, invoke } from "@console/testkit/programs";

const cases = [
  { handler: "checkout", event: { total: 250, currency: "EUR" }, type: "PaymentDeclinedError", fn: "authorize" },
  { handler: "shippingLabel", event: { customerId: "c2" }, type: "TypeError", fn: "formatLabel" },
  { handler: "quote", event: { total: 120 }, type: "TypeError", fn: "discounted" },
];

describe("text and JSON log formats", () => {
  for (const c of cases) {
    test(`${c.handler}: one type, original names, one fingerprint`, { timeout: 20_000 }, async () => {
      const bundle = await bundleDemo();
      const sourcemaps = { provider: memoryProvider({ "index.mjs": bundle.map }), cache: new SourceMapCache() };
      const results = [];
      for (const format of ["text", "json"] as const) {
        const run = await invoke("node", c.handler, c.event, { format });
        const errors = detect(run.events, { runtime: "nodejs20.x" });
        expect(errors, format).toHaveLength(1);
        const [x] = await enrich(errors, { functionName: "demo", sourcemaps });
        results.push(x!);
      }
      for (const r of results) {
        expect(r.error.type).toBe(c.type);
        const top = r.error.frames.find((f) => f.inApp)!;
        expect(top.function).toBe(c.fn);
        // No frame of ours keeps a minified name when the original source is known.
        for (const f of r.error.frames.filter((x) => x.generated && x.context)) expect(f.function ?? "", f.raw).not.toMatch(/^[\w$]{1,2}$/);
      }
      expect(results[0]!.fingerprint.hash).toBe(results[1]!.fingerprint.hash);
    });
  }
});
