/**
 * Node.js runtime formats, built from aws-lambda-nodejs-runtime-interface-client
 * (Errors.js toFormatted, LogPatch.js formatJsonMessage, index.mjs process handlers).
 */
import { describe, expect, test } from "vitest";
import { end, events, invokeError, node, report, REQ, REQ2, start, TS } from "./fixtures/events";
import { detect } from "./index";

const stack = (header: string, ...frames: string[]) => [header, ...frames.map((f) => `    at ${f}`)];

describe("runtime labels", () => {
  test("Invoke Error with the runtime's trailing space before the TAB", () => {
    const line = invokeError({
      errorType: "TypeError",
      errorMessage: "Cannot read properties of undefined (reading 'id')",
      stack: stack("TypeError: Cannot read properties of undefined (reading 'id')", "handler (file:///var/task/index.mjs:3:25)", "Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)"),
    });
    expect(line).toContain("Invoke Error \t{");
    const [e, ...rest] = detect(events(start(), line, end(), report()));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ type: "TypeError", message: "Cannot read properties of undefined (reading 'id')", kind: "invoke", requestId: REQ, phase: "invoke", runtime: "node", eventIds: ["e1"] });
    expect(e!.frames.map((f) => [f.file, f.line, f.column, f.function, f.inApp])).toEqual([
      ["/var/task/index.mjs", 3, 25, "handler", true],
      ["/var/runtime/index.mjs", 1173, 29, "Runtime.handleOnceNonStreaming", false],
    ]);
  });

  test("an Invoke Error of a non-Error value (a thrown string) is still one error", () => {
    const [e] = detect(events(invokeError({ errorType: "Error", errorMessage: "boom", stack: ["Error: boom"] })));
    expect(e).toMatchObject({ type: "Error", message: "boom", frames: [] });
  });

  test("Uncaught Exception during an invocation, then the runtime exits with status 129: one error", () => {
    const errs = detect(
      events(
        start(),
        invokeError({ errorType: "RangeError", errorMessage: "Invalid array length", stack: stack("RangeError: Invalid array length", "Timeout._onTimeout (file:///var/task/index.mjs:9:11)", "listOnTimeout (node:internal/timers:581:17)") }, REQ, "Uncaught Exception"),
        `RequestId: ${REQ} Error: Runtime exited with error: exit status 129\nRuntime.ExitError`,
        end(),
        report(REQ, "Status: error\tError Type: Runtime.ExitError"),
      ),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "RangeError", kind: "uncaught", requestId: REQ });
  });

  test("Unhandled Promise Rejection reports the reason, not the runtime wrapper", () => {
    const payload = {
      errorType: "Runtime.UnhandledPromiseRejection",
      errorMessage: "Error: queue is closed",
      reason: { errorType: "Error", errorMessage: "queue is closed", stack: stack("Error: queue is closed", "send (file:///var/task/index.mjs:20:9)") },
      promise: {},
      stack: stack("Runtime.UnhandledPromiseRejection: Error: queue is closed", "process.<anonymous> (file:///var/runtime/index.mjs:1276:17)", "process.emit (node:events:519:28)"),
    };
    const [e] = detect(events(start(), invokeError(payload, REQ, "Unhandled Promise Rejection")));
    expect(e).toMatchObject({ type: "Error", message: "queue is closed", kind: "unhandled-rejection", requestId: REQ });
    expect(e!.frames[0]).toMatchObject({ file: "/var/task/index.mjs", line: 20, function: "send", inApp: true });
  });

  test("a rejected string keeps the runtime's type and message", () => {
    const payload = {
      errorType: "Runtime.UnhandledPromiseRejection",
      errorMessage: "nope",
      reason: "nope",
      promise: {},
      stack: stack("Runtime.UnhandledPromiseRejection: nope", "process.<anonymous> (file:///var/runtime/index.mjs:1276:17)"),
    };
    const [e] = detect(events(invokeError(payload, REQ, "Unhandled Promise Rejection")));
    expect(e).toMatchObject({ type: "Runtime.UnhandledPromiseRejection", message: "nope", kind: "unhandled-rejection" });
  });

  test("Runtime.ImportModuleError at init: one init error, the INIT_REPORT is its consequence", () => {
    const payload = {
      errorType: "Runtime.ImportModuleError",
      errorMessage: "Error: Cannot find module 'zod'\nRequire stack:\n- /var/task/index.js\n- /var/runtime/index.mjs",
      stack: ["Runtime.ImportModuleError: Error: Cannot find module 'zod'", "Require stack:", "- /var/task/index.js", "- /var/runtime/index.mjs", "    at _loadUserApp (file:///var/runtime/index.mjs:1087:17)", "    at async UserFunction.js.module.exports.load (file:///var/runtime/index.mjs:1119:21)"],
    };
    const errs = detect(
      events(
        "INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
        invokeError(payload, "undefined", "Uncaught Exception"),
        "INIT_REPORT Init Duration: 112.50 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError",
      ),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "Runtime.ImportModuleError", kind: "init", phase: "init", runtime: "node" });
    expect(errs[0]!.requestId).toBeUndefined();
    expect(errs[0]!.frames.every((f) => !f.inApp)).toBe(true);
  });

  test("Runtime.HandlerNotFound during invoke is an init-kind error of that request", () => {
    const [e] = detect(events(start(), invokeError({ errorType: "Runtime.HandlerNotFound", errorMessage: "index.handler is undefined or not exported", stack: ["Runtime.HandlerNotFound: index.handler is undefined or not exported"] }, "undefined", "Uncaught Exception")));
    expect(e).toMatchObject({ type: "Runtime.HandlerNotFound", kind: "init", requestId: REQ });
  });

  test("Node 24 writes `-` for the request id: the open invocation is used", () => {
    const [e] = detect(events(start(REQ2), invokeError({ errorType: "Error", errorMessage: "x", stack: stack("Error: x", "h (file:///var/task/a.mjs:1:2)") }, "-"), end(REQ2)));
    expect(e!.requestId).toBe(REQ2);
  });

  test("request ids are never validated as UUIDs (redacted or short ids are fine)", () => {
    const [e] = detect(events(invokeError({ errorType: "Error", errorMessage: "x" }, "123")));
    expect(e!.requestId).toBe("123");
  });

  test("a truncated Invoke Error payload (256 KB limit) is still read", () => {
    const full = invokeError({ errorType: "ValidationError", errorMessage: "bad \"input\"", stack: stack("ValidationError: bad", "check (file:///var/task/index.mjs:7:3)"), big: "x".repeat(5000) });
    const [e] = detect(events(full.slice(0, full.length - 2000)));
    expect(e).toMatchObject({ type: "ValidationError", message: 'bad "input"', kind: "invoke" });
    expect(e!.frames[0]).toMatchObject({ file: "/var/task/index.mjs", line: 7, column: 3 });
  });

  test("CloudWatch console copies: spaces instead of TABs, pretty JSON on the next lines", () => {
    const line = `${TS} ${REQ} ERROR Invoke Error \n{\n    "errorType": "Error",\n    "errorMessage": "spaced",\n    "stack": ["Error: spaced", "    at h (/var/task/index.js:1:1)"]\n}`;
    expect(detect(events(line))[0]).toMatchObject({ type: "Error", message: "spaced", requestId: REQ });
  });
});

describe("console.error(err)", () => {
  test("util.inspect own properties after the stack are not frames", () => {
    const body = ["Error: connect ECONNREFUSED 10.0.0.1:5432", "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {", "  errno: -111,", "  code: 'ECONNREFUSED',", "  syscall: 'connect',", "  address: '10.0.0.1',", "  port: 5432", "}"].join("\n");
    const [e] = detect(events(node("ERROR", body)));
    expect(e).toMatchObject({ type: "Error", message: "connect ECONNREFUSED 10.0.0.1:5432", kind: "console" });
    expect(e!.frames).toHaveLength(1);
    expect(e!.frames[0]).toMatchObject({ file: "node:net", function: "TCPConnectWrap.afterConnect", inApp: false });
  });

  test("stdout mode replaces newlines with \\r", () => {
    const body = "TypeError: x is not a function\r    at run (/var/task/index.js:4:5)\r    at Runtime.handler (/var/task/index.js:9:3)";
    const [e] = detect(events(node("ERROR", body)));
    expect(e).toMatchObject({ type: "TypeError", message: "x is not a function" });
    expect(e!.frames).toHaveLength(2);
  });

  test("console.error('payment failed', err) reads the error after the prefix text", () => {
    const body = "payment failed Error: card declined\n    at charge (file:///var/task/index.mjs:10:11)";
    expect(detect(events(node("ERROR", body)))[0]).toMatchObject({ type: "Error", message: "card declined" });
  });

  test("`Failed: ` + err.stack: the capitalised word before is not the type", () => {
    const body = "Failed: TypeError: bad\n    at f (file:///var/task/index.mjs:1:1)";
    expect(detect(events(node("ERROR", body)))[0]).toMatchObject({ type: "TypeError", message: "bad" });
  });

  test("Node system error names: `TypeError [ERR_INVALID_ARG_TYPE]: msg` has type TypeError", () => {
    const body = 'TypeError [ERR_INVALID_ARG_TYPE]: The "path" argument must be of type string. Received undefined\n    at Object.join (node:path:1172:7)\n    at load (file:///var/task/index.mjs:5:20) {\n  code: \'ERR_INVALID_ARG_TYPE\'\n}';
    const [e] = detect(events(node("ERROR", body)));
    expect(e).toMatchObject({ type: "TypeError", message: 'The "path" argument must be of type string. Received undefined' });
    expect(e!.frames.map((f) => f.inApp)).toEqual([false, true]);
  });

  test("`SupernovaException [Error]: x` has type SupernovaException", () => {
    const [e] = detect(events(node("ERROR", "SupernovaException [Error]: x\n    at y (file:///var/task/a.mjs:1:1)")));
    expect(e).toMatchObject({ type: "SupernovaException", message: "x" });
  });

  test("an error without a stack prints as `[Error: msg]` with its props", () => {
    const [e] = detect(events(node("ERROR", "[ValidationError: email is required] { field: 'email' }")));
    expect(e).toMatchObject({ type: "ValidationError", message: "email is required", frames: [] });
  });

  test("a `[cause]` in the props block becomes a cause", () => {
    const body = ["Error: could not save order", "    at save (file:///var/task/index.mjs:30:11) {", "  [cause]: Error: deadlock detected", "      at query (file:///var/task/index.mjs:12:9)", "}"].join("\n");
    const [e] = detect(events(node("ERROR", body)));
    expect(e!.causes).toEqual([{ type: "Error", message: "deadlock detected", frames: [expect.objectContaining({ function: "query", line: 12 })] }]);
  });

  test("recursion: consecutive identical frames are dropped", () => {
    const rec = Array.from({ length: 8 }, () => "    at walk (file:///var/task/index.mjs:4:10)").join("\n");
    const [e] = detect(events(node("ERROR", `RangeError: Maximum call stack size exceeded\n${rec}\n    at main (file:///var/task/index.mjs:9:3)`)));
    expect(e!.frames.map((f) => f.function)).toEqual(["walk", "main"]);
  });

  test("a header alone counts at ERROR level, not plain text", () => {
    expect(detect(events(node("ERROR", "ValidationError: name is required")))[0]).toMatchObject({ type: "ValidationError", message: "name is required" });
    expect(detect(events(node("ERROR", "something went wrong, retrying")))).toEqual([]);
    expect(detect(events(node("ERROR", "Status: 500 returned by upstream")))).toEqual([]);
  });

  test("logging the error then rethrowing it is one error per invocation", () => {
    const st = stack("Error: boom", "h (file:///var/task/index.mjs:2:9)");
    const errs = detect(events(start(), node("ERROR", st.join("\n")), invokeError({ errorType: "Error", errorMessage: "boom", stack: st }), end()));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.kind).toBe("console");
  });

  test("the same console error logged twice in a loop counts twice", () => {
    const line = node("ERROR", "Error: row failed\n    at h (file:///var/task/index.mjs:2:9)");
    expect(detect(events(start(), line, line, end()))).toHaveLength(2);
  });
});

describe("not errors", () => {
  test.each([
    ["deprecation warning", node("ERROR", "(node:8) [DEP0005] DeprecationWarning: Buffer() is deprecated due to security and usability issues.\n(Use `node --trace-deprecation ...` to show where the warning was created)")],
    ["process warning", node("ERROR", "(node:8) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections insecure.")],
    ["INFO mentioning errors", node("INFO", "Error rate is 0.2% (TypeError: none)")],
    ["console.log of an error object", node("INFO", "Error: not really\n    at x (file:///var/task/a.mjs:1:1)")],
    ["console.warn with a stack", node("WARN", "Error: retrying\n    at x (file:///var/task/a.mjs:1:1)")],
    ["DEBUG JSON", node("DEBUG", '{"errorType":"Nope","errorMessage":"debug dump"}')],
    ["a JSON log at INFO", `{"timestamp":"${TS}","level":"INFO","requestId":"${REQ}","message":"Error count: 0"}`],
    ["START", start()],
    ["END", end()],
    ["REPORT", report()],
    ["REPORT with success", report(REQ, "Status: success")],
    ["an ordinary line", "listening on port 3000"],
    ["a line holding only a request id", REQ],
    ["an empty line", ""],
  ])("%s", (_name, line) => {
    expect(detect(events(line))).toEqual([]);
  });
});

describe("JSON log format", () => {
  const json = (o: Record<string, unknown>) => JSON.stringify({ timestamp: TS, level: "ERROR", requestId: REQ, ...o });

  test("console.error(err): the message is the error object", () => {
    const line = json({ message: { errorType: "TypeError", errorMessage: "x.map is not a function", stackTrace: stack("TypeError: x.map is not a function", "list (file:///var/task/index.mjs:14:7)"), code: "E1" } });
    const [e] = detect(events(line));
    expect(e).toMatchObject({ type: "TypeError", message: "x.map is not a function", kind: "console", requestId: REQ });
    expect(e!.frames[0]).toMatchObject({ line: 14, column: 7, inApp: true });
  });

  test("the runtime's own uncaught-error log has no label: it reads as a console error of the request", () => {
    const line = json({ message: { errorType: "Error", errorMessage: "fail", stackTrace: ["Error: fail"] } });
    expect(detect(events(start(), line))[0]).toMatchObject({ kind: "console", requestId: REQ });
  });

  test("unhandled rejection under JSON: the reason is reported", () => {
    const line = json({
      message: {
        errorType: "UnhandledPromiseRejection",
        errorMessage: "Error: late",
        stackTrace: ["Runtime.UnhandledPromiseRejection: Error: late", "    at process.<anonymous> (file:///var/runtime/index.mjs:1276:17)"],
        reason: { errorType: "Error", errorMessage: "late", stackTrace: stack("Error: late", "tick (file:///var/task/index.mjs:3:3)") },
        promise: {},
      },
    });
    expect(detect(events(line))[0]).toMatchObject({ type: "Error", message: "late", kind: "unhandled-rejection" });
  });

  test("console.log(err) at INFO is not an issue", () => {
    expect(detect(events(json({ level: "INFO", message: { errorType: "Error", errorMessage: "x", stackTrace: ["Error: x"] } })))).toEqual([]);
  });

  test("errorFingerprint is honoured", () => {
    const [e] = detect(events(json({ message: "charge failed", errorType: "Error", errorMessage: "declined", stackTrace: ["Error: declined"], errorFingerprint: ["payments", "declined"] })));
    expect(e!.fingerprint).toEqual(["payments", "declined"]);
  });

  test("platform records in JSON: a report with status timeout", () => {
    const errs = detect(events(JSON.stringify({ time: TS, type: "platform.start", record: { requestId: REQ, version: "$LATEST" } }), JSON.stringify({ time: TS, type: "platform.report", record: { requestId: REQ, status: "timeout", metrics: { durationMs: 3000 } } })));
    expect(errs).toEqual([expect.objectContaining({ type: "Timeout", kind: "timeout", requestId: REQ })]);
  });

  test("a logger line carrying a stack string (winston)", () => {
    const line = JSON.stringify({ level: "error", message: "db failed", stack: "Error: timeout\n    at q (/var/task/db.js:3:3)" });
    expect(detect(events(line))[0]).toMatchObject({ type: "Error", message: "timeout" });
  });

  test("Powertools logger `error` object", () => {
    const line = JSON.stringify({ level: "ERROR", message: "failed", service: "orders", error: { name: "OrderError", location: "file:///var/task/index.mjs:4", message: "no stock", stack: "OrderError: no stock\n    at place (file:///var/task/index.mjs:4:11)" } });
    expect(detect(events(line))[0]).toMatchObject({ type: "OrderError", message: "no stock" });
  });

  test("pino numeric levels", () => {
    const line = JSON.stringify({ level: 50, time: 1, msg: "boom", err: { type: "Error", message: "pino boom", stack: "Error: pino boom\n    at p (/var/task/x.js:1:1)" } });
    expect(detect(events(line))[0]).toMatchObject({ type: "Error", message: "pino boom" });
    expect(detect(events(JSON.stringify({ level: 30, msg: "ok", err: { type: "Error", message: "x", stack: "Error: x\n    at p (/var/task/x.js:1:1)" } })))).toEqual([]);
  });
});
