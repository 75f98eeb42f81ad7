/** Frame parsers and in-app rules per runtime. */
import { describe, expect, test } from "vitest";
import { dedupeFrames, isNodeInApp, parseDotnetFrame, parseGoFrames, parseJavaFrame, parseNodeFrame, parsePythonFrames } from "./frames";

describe("Node frames", () => {
  test.each([
    ["    at handler (file:///var/task/index.mjs:3:25)", { file: "/var/task/index.mjs", line: 3, column: 25, function: "handler", inApp: true }],
    ["    at /var/task/index.js:10:5", { file: "/var/task/index.js", line: 10, column: 5, inApp: true }],
    ["    at file:///var/task/index.mjs:86241:7", { file: "/var/task/index.mjs", line: 86241, column: 7, inApp: true }],
    ["    at async Promise.all (index 0)", { file: "index 0", function: "Promise.all", inApp: false }],
    ["    at async handler (file:///var/task/a.mjs:1:2)", { function: "handler", line: 1 }],
    ["    at async file:///var/task/a.mjs:4:5", { file: "/var/task/a.mjs", line: 4, column: 5 }],
    ["    at new Promise (<anonymous>)", { file: "<anonymous>", function: "new Promise", inApp: false }],
    ["    at Array.map (<anonymous>)", { function: "Array.map", inApp: false }],
    ["    at Object.get error [as error] (file:///var/task/p.mjs:37260:23)", { function: "Object.get error", line: 37260 }],
    ["    at processTicksAndRejections (node:internal/process/task_queues:96:5)", { file: "node:internal/process/task_queues", inApp: false }],
    ["    at process._tickCallback (internal/process/next_tick.js:68:7)", { inApp: false }],
    ["    at emitOne (events.js:116:13)", { file: "events.js", inApp: false }],
    ["    at Request.<anonymous> (/var/runtime/node_modules/aws-sdk/lib/request.js:364:18)", { inApp: false }],
    ["    at de (file:///var/task/node_modules/pg/lib/client.js:1:2)", { inApp: false }],
    ["    at layer (/opt/nodejs/node_modules/x/index.js:1:1)", { inApp: false }],
    ["    at tracer (/opt/extensions/lib.js:1:1)", { inApp: false }],
    ["    at last (file:///var/task/x.mjs:5:1) {", { line: 5, column: 1 }],
    ["    at eval (eval at compile (file:///var/task/x.mjs:1:1), <anonymous>:1:1)", { file: "<eval>", inApp: false }],
  ])("%s", (line, expected) => {
    expect(parseNodeFrame(line)).toMatchObject(expected);
  });

  test("in-app rules", () => {
    expect(isNodeInApp("/var/task/src/a.js")).toBe(true);
    expect(isNodeInApp("/var/task/node_modules/a/b.js")).toBe(false);
    expect(isNodeInApp("node:fs")).toBe(false);
  });
});

describe("other runtimes", () => {
  test("Java", () => {
    expect(parseJavaFrame("\tat java.base/java.lang.Thread.run(Thread.java:829)")).toMatchObject({ module: "java.lang.Thread", function: "run", file: "Thread.java", line: 829, inApp: false });
    expect(parseJavaFrame("at com.acme.A$Inner.<init>(A.java:12) ~[app.jar:na]")).toMatchObject({ module: "com.acme.A$Inner", function: "<init>", line: 12, inApp: true });
    expect(parseJavaFrame("\tat app//com.acme.B.c(B.kt:3)")).toMatchObject({ module: "com.acme.B", inApp: true });
  });

  test(".NET", () => {
    expect(parseDotnetFrame("   at Orders.Function.Handle(String s) in /src/F.cs:line 7")).toMatchObject({ module: "Orders.Function", function: "Handle", file: "/src/F.cs", line: 7, inApp: true });
    expect(parseDotnetFrame("   at Amazon.Lambda.RuntimeSupport.Bootstrap.InvokeOnceAsync()")).toMatchObject({ inApp: false });
  });

  test("Python frames are returned newest first, with their source lines", () => {
    const lines = ['  File "/var/task/a.py", line 1, in outer', "    inner()", '  File "/var/task/b.py", line 2, in inner', "    raise X()"];
    const { frames, end } = parsePythonFrames(lines, 0);
    expect(end).toBe(4);
    expect(frames.map((f) => [f.function, f.context?.line])).toEqual([
      ["inner", "raise X()"],
      ["outer", "inner()"],
    ]);
  });

  test("Go frames", () => {
    const { frames } = parseGoFrames(["github.com/acme/app/handlers.(*Server).Get(0xc000010000, {0x0, 0x0})", "\t/build/handlers/get.go:42 +0x1d", "created by net/http.(*Server).Serve in goroutine 1", "\t/usr/local/go/src/net/http/server.go:3086 +0x5cb"], 0);
    expect(frames.map((f) => [f.module, f.function, f.line, f.inApp])).toEqual([
      ["github.com/acme/app/handlers", "(*Server).Get", 42, true],
      ["net/http", "(*Server).Serve", 3086, false],
    ]);
  });
});

test("dedupe keeps the first of consecutive identical frames only", () => {
  const f = { file: "a", line: 1, column: 1, function: "r", inApp: true, raw: "" };
  expect(dedupeFrames([f, { ...f }, { ...f, line: 2 }, { ...f }])).toHaveLength(3);
});
