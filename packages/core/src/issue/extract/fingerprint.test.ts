/**
 * Grouping cases: the same bug stays one issue across deploys, different bugs are
 * different issues, variable parts of messages do not split issues, and platform failures
 * group per function. Real bundles (minified vs mapped) are covered in sourcemap.test.ts.
 */
import { describe, expect, test } from "vitest";
import { detect, fingerprint, GROUPING_VERSION, parseRules } from "./index";
import { end, events, invokeError, node, REQ, report, start } from "./fixtures/events";
import type { DetectedError, Frame } from "./types";

function err(over: Partial<DetectedError>): DetectedError {
  return { type: "Error", message: "", frames: [], kind: "invoke", phase: "invoke", timestamp: 0, eventIds: ["1"], runtime: "node", ...over };
}

function mapped(file: string, fn: string, line: number, text: string, inApp = true): Frame {
  return { file, line, column: 3, function: fn, inApp, raw: "", context: { start: line, pre: [], line: text, post: [] }, generated: { file: "/var/task/index.mjs", line: 1, column: line * 10 } };
}

const fp = (e: DetectedError, fn = "orders-api") => fingerprint(e, { functionName: fn });

describe("minified bundles without a map", () => {
  const bundleFrame = (fn: string, column: number): Frame => ({ file: "/var/task/index.mjs", line: 64, column, function: fn, inApp: true, raw: `at ${fn} (file:///var/task/index.mjs:64:${column})` });

  test("two deploys rename the functions (wy, hx -> Iy, by): one issue per type, message and function", () => {
    const a = fp(err({ type: "PaymentDeclinedError", message: "card declined for 250 EUR", frames: [bundleFrame("wy", 154), bundleFrame("hx", 276)] }));
    const b = fp(err({ type: "PaymentDeclinedError", message: "card declined for 99 EUR", frames: [bundleFrame("Iy", 171), bundleFrame("by", 301)] }));
    expect(a.basis).toBe("minified");
    expect(a.hash).toBe(b.hash);
    expect(fp(err({ type: "PaymentDeclinedError", message: "card expired", frames: [bundleFrame("wy", 154)] })).hash).not.toBe(a.hash);
    expect(fp(err({ type: "PaymentDeclinedError", message: "card declined for 250 EUR", frames: [bundleFrame("wy", 154)] }), "other-fn").hash).not.toBe(a.hash);
  });

  test("one short name among real ones is not minified code", () => {
    const f = fp(err({ frames: [bundleFrame("go", 10), bundleFrame("processOrder", 20), bundleFrame("handler", 30)] }));
    expect(f.basis).toBe("stack");
  });

  test("a bundler's file name or a very long line is enough", () => {
    const long: Frame = { file: "/var/task/handler.js", line: 1, column: 48213, function: "handleRequest", inApp: true, raw: "" };
    const chunk: Frame = { file: "/var/task/.next/server/chunks/chunk-3f9a1c2b.js", line: 2, column: 10, function: "render", inApp: true, raw: "" };
    expect(fp(err({ frames: [long] })).basis).toBe("minified");
    expect(fp(err({ frames: [chunk] })).basis).toBe("minified");
  });
});

describe("stacks", () => {
  test("a version and hashes are returned", () => {
    const f = fp(err({ frames: [mapped("src/a.ts", "a", 1, "throw x")] }));
    expect(f.version).toBe(GROUPING_VERSION);
    expect(f.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(f.hashes[0]).toBe(f.hash);
    expect(f.basis).toBe("stack");
  });

  test("the same bug moved by a deploy (other lines, other columns) keeps its hash", () => {
    const v1 = err({ type: "TypeError", frames: [mapped("src/orders.ts", "total", 40, "return order.items.reduce((s, i) => s + i.price, 0);"), mapped("src/handler.ts", "handler", 12, "const sum = total(order);")] });
    const v2 = err({ type: "TypeError", frames: [mapped("src/orders.ts", "total", 57, "  return order.items.reduce((s, i) => s + i.price, 0);  "), mapped("src/handler.ts", "handler", 15, "const sum = total(order);")] });
    expect(fp(v1).hash).toBe(fp(v2).hash);
  });

  test("two different bugs of the same type are different issues", () => {
    const a = err({ type: "TypeError", frames: [mapped("src/orders.ts", "total", 40, "return order.items.reduce((s, i) => s + i.price, 0);")] });
    const b = err({ type: "TypeError", frames: [mapped("src/users.ts", "email", 9, "return user.profile.email.toLowerCase();")] });
    expect(fp(a).hash).not.toBe(fp(b).hash);
  });

  test("the message does not count when a stack does (ids in it change per event)", () => {
    const frames = [mapped("src/users.ts", "load", 9, "throw new NotFound(`user ${id}`);")];
    expect(fp(err({ message: "user 1 not found", frames })).hash).toBe(fp(err({ message: "user 2 not found", frames })).hash);
  });

  test("source-mapped frames with a source line leave the (unreliable) function name out", () => {
    const a = err({ frames: [mapped("src/a.ts", "emailOf", 7, "return user.profile.email;")] });
    const b = err({ frames: [mapped("src/a.ts", "s", 7, "return user.profile.email;")] });
    expect(fp(a).hash).toBe(fp(b).hash);
  });

  test("unmapped JS frames use the function's last segment; anonymous names drop out", () => {
    const frame = (fn: string | undefined, line: number): Frame => ({ file: "/var/task/index.js", line, column: 5, inApp: true, raw: "", ...(fn ? { function: fn } : {}) });
    expect(fp(err({ frames: [frame("Object.handler", 10)] })).hash).toBe(fp(err({ frames: [frame("Runtime.handler", 99)] })).hash);
    expect(fp(err({ frames: [frame("<anonymous>", 1)] })).hash).toBe(fp(err({ frames: [frame(undefined, 2)] })).hash);
  });

  test("context lines above 120 characters are ignored (minified code)", () => {
    const long = "x".repeat(121);
    const a = err({ frames: [{ ...mapped("src/a.ts", "f", 1, long + "a") }] });
    const b = err({ frames: [{ ...mapped("src/a.ts", "f", 1, long + "b") }] });
    expect(fp(a).hash).toBe(fp(b).hash);
  });

  test("library frames do not enter the app hash, but the system hash", () => {
    const app = mapped("src/handler.ts", "handler", 3, "await db.query(sql);");
    const lib1 = mapped("node_modules/pg/lib/client.js", "query", 10, "throw err;", false);
    const lib2 = mapped("node_modules/pg/lib/client.js", "query", 10, "throw e2;", false);
    const a = fp(err({ frames: [lib1, app] }));
    const b = fp(err({ frames: [lib2, app] }));
    expect(a.hash).toBe(b.hash);
    // The app and system hashes, then the same two of grouping version 1.
    expect(a.hashes).toHaveLength(4);
    expect(a.hashes[1]).not.toBe(b.hashes[1]);
  });

  test("only framework frames: type + normalised message, so unrelated errors do not merge", () => {
    const fw = [mapped("node_modules/@trpc/server/dist/index.js", "callProcedure", 100, "throw new TRPCError(opts);", false)];
    const a = fp(err({ type: "TRPCError", message: "Order 17 not found", frames: fw }));
    const b = fp(err({ type: "TRPCError", message: "Order 99 not found", frames: fw }));
    const c = fp(err({ type: "TRPCError", message: "Not authorised", frames: fw }));
    expect(a.basis).toBe("message");
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });

  test("at most 30 frames nearest the throw count", () => {
    const frames = Array.from({ length: 40 }, (_, i) => mapped(`src/f${i}.ts`, `f${i}`, i + 1, `step${i}();`));
    const deeper = [...frames.slice(0, 30), ...Array.from({ length: 10 }, (_, i) => mapped(`src/g${i}.ts`, `g${i}`, 1, "other();"))];
    expect(fp(err({ frames })).hash).toBe(fp(err({ frames: deeper })).hash);
    expect(fp(err({ frames })).components.filter((c) => c.startsWith("frame:"))).toHaveLength(30);
  });

  test("chained exceptions contribute", () => {
    const frames = [mapped("src/a.ts", "f", 1, "throw new Error('outer', { cause });")];
    const a = fp(err({ frames, causes: [{ type: "DeadlockError", message: "", frames: [] }] }));
    const b = fp(err({ frames, causes: [{ type: "ConnectionError", message: "", frames: [] }] }));
    expect(a.hash).not.toBe(b.hash);
  });

  test("Python: the traceback's source lines make the key, not line numbers", () => {
    const line = (n: number, text: string): Frame => ({ file: "/var/task/app.py", module: "app", line: n, function: "handler", inApp: true, raw: "", context: { start: n, pre: [], line: text, post: [] } });
    const a = err({ runtime: "python", type: "KeyError", frames: [line(10, 'price = order["price"]')] });
    const b = err({ runtime: "python", type: "KeyError", frames: [line(31, 'price = order["price"]')] });
    const c = err({ runtime: "python", type: "KeyError", frames: [line(10, 'qty = order["qty"]')] });
    expect(fp(a).hash).toBe(fp(b).hash);
    expect(fp(a).hash).not.toBe(fp(c).hash);
  });

  test("Java: generated lambda and CGLIB names do not split issues", () => {
    const j = (fn: string, mod: string): Frame => ({ file: "Handler.java", module: mod, function: fn, line: 1, inApp: true, raw: "" });
    const a = err({ runtime: "java", frames: [j("lambda$handleRequest$0", "com.acme.Handler$$EnhancerBySpringCGLIB$$1a2b3c")] });
    const b = err({ runtime: "java", frames: [j("lambda$handleRequest$3", "com.acme.Handler$$EnhancerBySpringCGLIB$$9f8e7d")] });
    expect(fp(a).hash).toBe(fp(b).hash);
  });

  test(".NET: compiler-generated state machine names do not split issues", () => {
    const d = (mod: string): Frame => ({ file: "/src/F.cs", module: mod, function: "MoveNext", line: 1, inApp: true, raw: "" });
    expect(fp(err({ runtime: "dotnet", frames: [d("Orders.Function.<Handle>d__3")] })).hash).toBe(fp(err({ runtime: "dotnet", frames: [d("Orders.Function.<Handle>d__7")] })).hash);
  });
});

describe("no stack", () => {
  test("ids, numbers, uuids, urls in messages do not split issues", () => {
    const a = fp(err({ type: "NotFound", message: "Item 3f2504e0-4f89-11d3-9a0c-0305e82c3301 missing (tried 3 times) at https://api.example.com/items/3f2504e0" }));
    const b = fp(err({ type: "NotFound", message: "Item 9a1b2c3d-0000-4000-8000-000000000001 missing (tried 5 times) at https://api.example.com/items/9a1b2c3d" }));
    expect(a.hash).toBe(b.hash);
    expect(a.basis).toBe("message");
  });

  test("different messages or types are different issues", () => {
    expect(fp(err({ type: "E", message: "disk full" })).hash).not.toBe(fp(err({ type: "E", message: "quota exceeded" })).hash);
    expect(fp(err({ type: "A", message: "x" })).hash).not.toBe(fp(err({ type: "B", message: "x" })).hash);
  });
});

describe("platform failures", () => {
  const timeout = (message: string, requestId: string) => err({ type: "Timeout", kind: "timeout", message, requestId });

  test("timeouts: one issue per function whatever the duration", () => {
    expect(fp(timeout("Task timed out after 3.00 seconds", "a")).hash).toBe(fp(timeout("Status: timeout", "b")).hash);
    expect(fp(timeout("x", "a"), "fn-a").hash).not.toBe(fp(timeout("x", "a"), "fn-b").hash);
    expect(fp(timeout("x", "a")).basis).toBe("fixed");
  });

  test("the function can be named by ARN or log group; the version qualifier does not matter", () => {
    const e = timeout("x", "a");
    const byName = fingerprint(e, { functionName: "orders-api" }).hash;
    expect(fingerprint(e, { functionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders-api:$LATEST" }).hash).toBe(byName);
    expect(fingerprint(e, { logGroup: "/aws/lambda/orders-api" }).hash).toBe(byName);
  });

  test("OOM: one issue per function, whatever the type and message say", () => {
    const a = err({ kind: "oom", type: "Runtime.ExitError", message: "Runtime exited with error: signal: killed" });
    const b = err({ kind: "oom", type: "Runtime.OutOfMemory", message: "Status: error" });
    expect(fp(a).hash).toBe(fp(b).hash);
  });

  test("exits: the exit status distinguishes issues", () => {
    const exit = (m: string) => err({ kind: "exit", type: "Runtime.ExitError", message: m });
    expect(fp(exit("Runtime exited with error: exit status 1")).hash).not.toBe(fp(exit("Runtime exited with error: exit status 137")).hash);
    expect(fp(exit("Runtime exited with error: exit status 1")).hash).toBe(fp(exit("RequestId: x Runtime exited with error: exit status 1")).hash);
  });

  test("init failures without the user's frames: (type, function, phase)", () => {
    const a = err({ kind: "init", phase: "init", type: "Runtime.ImportModuleError", message: "Error: Cannot find module 'zod'" });
    const b = err({ kind: "init", phase: "init", type: "Runtime.ImportModuleError", message: "Error: Cannot find module 'pg'" });
    expect(fp(a).hash).toBe(fp(b).hash);
    expect(fp(a).components).toContain("phase:init");
  });

  test("a top-level throw at init with the user's frames groups by its stack", () => {
    const e = err({ kind: "init", phase: "init", frames: [mapped("src/config.ts", "", 3, 'throw new Error("DATABASE_URL is not set");')] });
    expect(fp(e).basis).toBe("stack");
  });

  test("from detection to fingerprint: a timeout reported twice is one error with one hash", () => {
    const errs = detect(events(start(), end(), report(REQ, "Status: timeout"), `2024-05-01T10:00:03.000Z ${REQ} Task timed out after 3.00 seconds`));
    expect(errs).toHaveLength(1);
    expect(fp(errs[0]!).basis).toBe("fixed");
  });
});

describe("supplied fingerprints and rules", () => {
  const base = err({ type: "DbError", message: "deadlock on orders 17", frames: [mapped("src/db.ts", "q", 3, "await tx.commit();")] });

  test("`errorFingerprint` from a JSON log replaces the default", () => {
    const a = fp({ ...base, fingerprint: ["db", "deadlock"] });
    const b = fp({ ...err({ type: "Other" }), fingerprint: ["db", "deadlock"] });
    expect(a.basis).toBe("custom");
    expect(a.hash).toBe(b.hash);
  });

  test("a detected JSON line carries its errorFingerprint to the hash", () => {
    const line = JSON.stringify({ level: "ERROR", requestId: REQ, message: "x", errorType: "E", errorMessage: "m", stackTrace: ["E: m"], errorFingerprint: "payments" });
    const [e] = detect(events(line));
    expect(fp(e!).basis).toBe("custom");
  });

  test("replace: all matching errors become one issue", () => {
    const rules = parseRules([{ match: { type: "DbError", message: "deadlock*" }, fingerprint: ["database-deadlocks"] }]);
    const a = fingerprint(base, { functionName: "f", rules });
    const b = fingerprint({ ...base, frames: [mapped("src/other.ts", "z", 9, "await other();")] }, { functionName: "f", rules });
    expect(a.basis).toBe("rule");
    expect(a.hash).toBe(b.hash);
  });

  test("refine: `{{ default }}` keeps the default grouping and splits by the extra values", () => {
    const rules = parseRules([{ match: { function: "orders-*" }, fingerprint: ["{{ default }}", "{{ function }}"] }]);
    const a = fingerprint(base, { functionName: "orders-api", rules });
    const b = fingerprint(base, { functionName: "orders-worker", rules });
    const c = fingerprint(base, { functionName: "billing", rules });
    expect(a.hash).not.toBe(b.hash);
    expect(c.basis).toBe("stack");
    expect(a.components[1]).toBe(`default:${fingerprint(base, { functionName: "orders-api" }).hash}`);
  });

  test("file globs match original and generated paths; rules apply in order", () => {
    const rules = parseRules([
      { match: { file: "*src/db.ts" }, fingerprint: ["db"] },
      { match: { type: "*" }, fingerprint: ["everything"] },
    ]);
    expect(fingerprint(base, { rules }).components).toEqual(["fingerprint", "db"]);
    expect(fingerprint(err({ type: "X" }), { rules }).components).toEqual(["fingerprint", "everything"]);
    expect(fingerprint(base, { rules: parseRules([{ match: { file: "/var/task/index.mjs" }, fingerprint: ["gen"] }]) }).components).toEqual(["fingerprint", "gen"]);
  });

  test("invalid rules are rejected with a clear error", () => {
    expect(() => parseRules([{ match: {}, fingerprint: ["x"] }])).toThrow(/at least one/);
    expect(() => parseRules([{ match: { type: "x" }, fingerprint: [] }])).toThrow();
    expect(() => parseRules([{ match: { type: "x" }, fingerprint: ["a"], extra: 1 }])).toThrow();
  });
});

test("grouping is deterministic across runs of detection", () => {
  const line = invokeError({ errorType: "TypeError", errorMessage: "x", stack: ["TypeError: x", "    at h (file:///var/task/index.mjs:1:10)"] });
  const a = fp(detect(events(start(), line, end()))[0]!);
  const b = fp(detect(events(node("INFO", "hello"), start(), line, end()))[0]!);
  expect(a).toEqual(b);
});
