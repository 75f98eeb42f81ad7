/**
 * Real traces, end to end: bundle the demo program with esbuild, run each buggy handler
 * in a child process, capture what it prints framed as Lambda frames it, detect the
 * errors, map them back to the original TypeScript, and check the exact line, column and
 * function of the frames against the source text. Python runs too when python3 exists.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { detect, enrich, fingerprint, memoryProvider, SourceMapCache, type DetectedError, type Extracted } from "@console/core/issue/extract";
import { bundleDemo, DEMO_HANDLERS, hasPython, invoke, type DemoBundle, type InvokeOptions } from "./index";

const SOURCE = readFileSync(join(import.meta.dirname, "node/handler.ts"), "utf8");
const PY_SOURCE = readFileSync(join(import.meta.dirname, "python/handler.py"), "utf8");

/** 1-based position of `needle` on the first source line containing `marker`. */
function at(source: string, marker: string, needle = marker): { line: number; column: number } {
  const lines = source.split("\n");
  const i = lines.findIndex((l) => l.includes(marker));
  if (i === -1) throw new Error(`marker not found: ${marker}`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}

let demo: DemoBundle;
const cache = new SourceMapCache();

beforeAll(async () => {
  demo = await bundleDemo();
}, 60_000);

async function run(handler: string, event: unknown, opts: InvokeOptions = {}): Promise<{ errors: DetectedError[]; extracted: Extracted[]; requestId: string }> {
  const r = await invoke("node", handler, event, { timeoutMs: 1500, ...opts });
  const errors = detect(r.events, { runtime: "nodejs20.x", functionName: "demo" });
  const extracted = await enrich(errors, { functionName: "demo", sourcemaps: { provider: memoryProvider({ "index.mjs": demo.map }), cache } });
  return { errors, extracted, requestId: r.requestId };
}

describe("bundle", () => {
  test("is minified ESM with an external map, and cached", async () => {
    expect(demo.file).toBe("/var/task/index.mjs");
    expect(demo.code.length).toBeGreaterThan(10_000);
    expect(demo.code).not.toContain("formatLabel");
    const map = JSON.parse(demo.map) as { sources: string[]; sourcesContent: string[] };
    expect(map.sources).toContain("node/handler.ts");
    expect(map.sources.some((s) => s.startsWith("node_modules/zod/"))).toBe(true);
    expect(await bundleDemo()).toBe(demo);
  });
});

describe("Node handlers", () => {
  test("TypeError on undefined: mapped to the property read", async () => {
    const { errors, extracted, requestId } = await run("shippingLabel", { customerId: "c2" });
    expect(errors).toHaveLength(1);
    const { error } = extracted[0]!;
    expect(error).toMatchObject({ type: "TypeError", message: "Cannot read properties of undefined (reading 'street')", kind: "invoke", requestId });
    const bug = at(SOURCE, "customer.address!.street", "street");
    expect(error.frames[0]).toMatchObject({ file: "node/handler.ts", ...bug, function: "formatLabel", inApp: true });
    expect(error.frames[0]!.context!.line).toContain("customer.address!.street");
    const call = at(SOURCE, "label: formatLabel(customer)", "formatLabel");
    expect(error.frames[1]).toMatchObject({ file: "node/handler.ts", ...call, inApp: true });
    expect(error.frames.at(-1)).toMatchObject({ file: "/var/runtime/index.mjs", inApp: false });
  });

  test("a thrown custom error: mapped to the `new` expression in authorize()", async () => {
    const { extracted } = await run("checkout", { total: 250 });
    const { error } = extracted[0]!;
    expect(error).toMatchObject({ type: "PaymentDeclinedError", message: "card declined for 250 EUR", kind: "invoke" });
    expect(error.frames[0]).toMatchObject({ file: "node/handler.ts", ...at(SOURCE, "throw new PaymentDeclinedError", "new PaymentDeclinedError"), function: "authorize" });
    // V8 points an async caller at its `await`.
    expect(error.frames[1]).toMatchObject({ ...at(SOURCE, "await authorize(", "await") });
  });

  test("an unhandled rejection: the reason's frame, and no second error for the exit", async () => {
    const { errors, extracted, requestId } = await run("sendReceipt", { orderId: "o-7" });
    expect(errors).toHaveLength(1);
    expect(extracted[0]!.error).toMatchObject({ type: "Error", message: "warehouse queue unavailable for order o-7", kind: "unhandled-rejection", requestId });
    expect(extracted[0]!.error.frames[0]).toMatchObject({ file: "node/handler.ts", ...at(SOURCE, "throw new Error(`warehouse", "new Error") });
  });

  test("console.error(new Error()) of a handled error", async () => {
    const { extracted } = await run("syncInventory", { sku: "sku-404" });
    const { error } = extracted[0]!;
    expect(error).toMatchObject({ type: "Error", message: "stock service returned 503 for sku-404", kind: "console" });
    expect(error.frames[0]).toMatchObject({ file: "node/handler.ts", ...at(SOURCE, "const err = new Error(", "new Error"), function: "fetchStock" });
  });

  test.each([["report"], ["line"], ["both"]] as const)("a timeout reported as %s is one error", async (timeoutStyle) => {
    const { errors, requestId } = await run("generateReport", { ms: 60_000 }, { timeoutMs: 300, timeoutStyle });
    expect(errors).toEqual([expect.objectContaining({ type: "Timeout", kind: "timeout", requestId })]);
    if (timeoutStyle !== "report") expect(errors[0]!.message).toBe("Task timed out after 0.30 seconds");
  });

  // V8 points a method call at the property name: `Order.parse(` at `parse`.
  test("a zod validation error: zod hides its own frames, the parse call is on top", async () => {
    const { extracted } = await run("createOrder", { id: "x", items: [] });
    const { error } = extracted[0]!;
    expect(error.type).toBe("ZodError");
    expect(error.frames[0]).toMatchObject({ file: "node/handler.ts", ...at(SOURCE, "Order.parse(event)", "parse"), inApp: true });
  });

  test("a TypeError inside a library callback: library frames map into node_modules and are not in-app", async () => {
    const { extracted } = await run("quote", { total: 120 });
    const { error } = extracted[0]!;
    expect(error).toMatchObject({ type: "TypeError", message: "Cannot read properties of undefined (reading 'toUpperCase')" });
    expect(error.frames[0]).toMatchObject({ file: "node/handler.ts", ...at(SOURCE, "coupon!.toUpperCase()", "toUpperCase"), function: "discounted", inApp: true });
    const lib = error.frames.filter((f) => f.file.startsWith("node_modules/zod/"));
    expect(lib.length).toBeGreaterThan(0);
    expect(lib.every((f) => !f.inApp)).toBe(true);
    expect(error.frames.filter((f) => f.inApp).at(-1)).toMatchObject({ ...at(SOURCE, "return Quote.parse(event)", "parse") });
  });

  test("out of memory is one OOM error", async () => {
    const { errors, requestId } = await run("exportAll", {}, { memoryMb: 64 });
    expect(errors).toEqual([expect.objectContaining({ kind: "oom", type: "Runtime.OutOfMemory", message: "Runtime exited with error: signal: killed", requestId })]);
  });

  test("a healthy invocation has no errors", async () => {
    expect((await run("health", {})).errors).toEqual([]);
  });

  test("JSON log format: the same error, mapped the same way", async () => {
    const { extracted } = await run("shippingLabel", { customerId: "c2" }, { format: "json" });
    expect(extracted[0]!.error.frames[0]).toMatchObject({ file: "node/handler.ts", ...at(SOURCE, "customer.address!.street", "street") });
  });

  test("grouping: the same bug twice is one issue, two bugs are two", async () => {
    const a = (await run("shippingLabel", { customerId: "c2" })).extracted[0]!.fingerprint;
    const b = (await run("shippingLabel", { customerId: "nobody" })).extracted[0]!.fingerprint;
    const c = (await run("checkout", { total: 999 })).extracted[0]!.fingerprint;
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(a.basis).toBe("stack");
  });

  test("events look like CloudWatch events", async () => {
    const r = await invoke("node", "health", {}, { startTime: 1_700_000_000_000 });
    expect(r.events.map((e) => e.message.split(/[\t ]/)[0])).toEqual(["INIT_START", "START", expect.stringMatching(/^\d{4}-/), "END", "REPORT"]);
    for (const e of r.events) {
      expect(e.id).toMatch(/^\d{56}$/);
      expect(Math.abs(e.timestamp - 1_700_000_000_000)).toBeLessThan(5000);
    }
  });
});

describe.skipIf(!hasPython())("Python handlers", () => {
  async function py(handler: string, event: unknown, format: "text" | "json" = "text") {
    const r = await invoke("python", handler, event, { format });
    return { r, errors: detect(r.events, { runtime: "python3.12" }) };
  }

  test.each([["text"], ["json"]] as const)("KeyError (%s format): frames, lines and source from the traceback", async (format) => {
    const { r, errors } = await py("price_quote", { sku: "sku-404" }, format);
    expect(errors).toHaveLength(1);
    const e = errors[0]!;
    expect(e).toMatchObject({ type: "KeyError", message: "'sku-404'", kind: "invoke", requestId: r.requestId, runtime: "python" });
    expect(e.frames[0]).toMatchObject({ file: "/var/task/handler.py", line: at(PY_SOURCE, "return PRICES[sku]").line, function: "lookup_price", inApp: true, context: { line: "return PRICES[sku]" } });
    expect(e.frames[1]).toMatchObject({ function: "price_quote", line: at(PY_SOURCE, '"price": lookup_price(sku)').line });
  });

  test("a raised custom exception", async () => {
    const { errors } = await py("reserve_stock", { sku: "sku-1", qty: 5 });
    expect(errors[0]).toMatchObject({ type: "InventoryError", message: "only 3 left of sku-1, asked for 5" });
    expect(errors[0]!.frames[0]).toMatchObject({ function: "reserve", line: at(PY_SOURCE, "raise InventoryError").line });
  });

  test("logger.exception of a handled error is a console error", async () => {
    const { errors } = await py("audit", { skus: ["sku-1", "sku-9"] });
    expect(errors).toEqual([expect.objectContaining({ type: "KeyError", message: "'sku-9'", kind: "console" })]);
  });

  test("the same bug twice is one issue", async () => {
    const a = fingerprint((await py("price_quote", { sku: "a" })).errors[0]!, { functionName: "p" });
    const b = fingerprint((await py("price_quote", { sku: "b" })).errors[0]!, { functionName: "p" });
    expect(a.hash).toBe(b.hash);
  });
});

test("every demo handler does what it says", async () => {
  for (const h of DEMO_HANDLERS) {
    if (h.program === "python" && !hasPython()) continue;
    // Only the handlers meant to time out get a short timeout: a busy machine must not
    // turn a slow out-of-memory kill or a slow error into a timeout.
    const r = await invoke(h.program, h.handler, h.event, { timeoutMs: h.outcome === "timeout" ? 500 : 20_000, memoryMb: 64 });
    expect([h.handler, r.status]).toEqual([h.handler, h.outcome]);
  }
}, 60_000);
