/** Errors of local invocations, found in the browser by the detector of Issues (its pure entry). */
import { describe, expect, it } from "vitest";
import { detectErrors } from "./errors";
import { InvocationStore } from "./store";

function invocation(properties: unknown) {
  const store = new InvocationStore();
  store.apply({ type: "invocation", invocations: [properties as never] });
  return store.list()[0]!;
}

describe("errors of a local invocation", () => {
  it("reads the failure sst dev reports as an invoke error, with its in-app frames", () => {
    const inv = invocation({
      id: "0b5d7a43-1c2e-4f60-8a9b-7c6d5e4f3a21",
      hasOutput: false,
      start: 1_000,
      end: 1_050,
      logs: [{ id: "l1", timestamp: 1_010, message: "looking up c2" }],
      errors: [
        {
          id: "",
          error: "TypeError",
          message: "Cannot read properties of undefined (reading 'street')",
          stack: [
            { raw: "TypeError: Cannot read properties of undefined (reading 'street')" },
            { raw: "    at shippingLabel (file:///home/jane/acme/packages/functions/src/label.ts:12:30)" },
            { raw: "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)" },
          ],
          failed: true,
        },
      ],
    });
    const { errors, lineIds } = detectErrors(inv);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ type: "TypeError", kind: "invoke", message: "Cannot read properties of undefined (reading 'street')" });
    expect(errors[0]!.frames[0]).toMatchObject({ function: "shippingLabel", line: 12, inApp: true });
    expect(lineIds).toEqual([]);
  });

  it("finds errors the function logged itself, and marks those lines; ordinary lines are not errors", () => {
    const inv = invocation({
      id: "r-2",
      hasOutput: true,
      output: { ok: true },
      start: 1_000,
      end: 1_100,
      logs: [
        { id: "a", timestamp: 1_001, message: "syncing sku-404" },
        { id: "b", timestamp: 1_002, message: "could not sync Error: not found\n    at syncInventory (/home/jane/acme/src/inventory.ts:40:11)" },
        { id: "c", timestamp: 1_003, message: "(node:1) DeprecationWarning: Buffer() is deprecated" },
      ],
      errors: [],
    });
    const { errors, lineIds } = detectErrors(inv);
    expect(errors.map((e) => [e.type, e.message, e.kind])).toEqual([["Error", "not found", "console"]]);
    expect(lineIds).toEqual(["b"]);
    expect(detectErrors(invocation({ id: "r-3", hasOutput: true, start: 1, end: 2, logs: [{ id: "x", timestamp: 1, message: "all good" }], errors: [] })).errors).toEqual([]);
  });
});
