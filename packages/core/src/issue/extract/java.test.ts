/**
 * Java: the runtime logs `UserFault.reportableError()`: `<msg>: <Type>\n<printStackTrace>`
 * (aws-lambda-java-libs UserFault.java, AWSLambda.java), and records the JSON error
 * document (`errorMessage`, `errorType`, `stackTrace` without `at `, nested `cause`).
 * Frameworks log stacks through logback/log4j; stdout splits them one line per event.
 */
import { describe, expect, test } from "vitest";
import { end, events, REQ, start } from "./fixtures/events";
import { detect } from "./index";

const report = [
  "/ by zero: java.lang.ArithmeticException",
  "java.lang.ArithmeticException: / by zero",
  "\tat example.HandlerDivide.handleRequest(HandlerDivide.java:28)",
  "\tat example.HandlerDivide.handleRequest(HandlerDivide.java:13)",
  "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
  "\tat java.base/java.lang.reflect.Method.invoke(Unknown Source)",
];

describe("Java", () => {
  test("the runtime's report in one event (telemetry framing)", () => {
    const [e] = detect(events(start(), report.join("\n") + "\n", end()));
    expect(e).toMatchObject({ type: "java.lang.ArithmeticException", message: "/ by zero", kind: "invoke", requestId: REQ, runtime: "java" });
    expect(e!.frames.map((f) => [f.module, f.function, f.file, f.line, f.inApp])).toEqual([
      ["example.HandlerDivide", "handleRequest", "HandlerDivide.java", 28, true],
      ["example.HandlerDivide", "handleRequest", "HandlerDivide.java", 13, true],
      ["jdk.internal.reflect.NativeMethodAccessorImpl", "invoke0", "<native method>", undefined, false],
      ["java.lang.reflect.Method", "invoke", "<unknown source>", undefined, false],
    ]);
  });

  test("the same report split one line per event (stdout) is joined", () => {
    const errs = detect(events(start(), ...report, end()));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "java.lang.ArithmeticException", message: "/ by zero", kind: "invoke", eventIds: ["e1", "e2", "e3", "e4", "e5", "e6"] });
  });

  test("a message with `: ` in it does not fool the report header", () => {
    const text = ["Class not found: example.Handler: java.lang.ClassNotFoundException", "java.lang.ClassNotFoundException: example.Handler", "\tat java.base/java.net.URLClassLoader.findClass(Unknown Source)"].join("\n");
    expect(detect(events(start(), text))[0]).toMatchObject({ type: "java.lang.ClassNotFoundException", message: "example.Handler", kind: "invoke" });
    // Before any invocation started, the same report is an init failure.
    expect(detect(events(text))[0]).toMatchObject({ kind: "init", phase: "init" });
  });

  test("Caused by chains, `... N more`, and suppressed exceptions", () => {
    const text = [
      "com.acme.OrderException: could not place order 17",
      "\tat com.acme.OrderService.place(OrderService.java:51)",
      "\tat com.acme.Handler.handleRequest(Handler.java:20)",
      "\tSuppressed: java.io.IOException: close failed",
      "\t\tat com.acme.Db.close(Db.java:9)",
      "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available,",
      "request timed out after 30000ms.",
      "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
      "\tat com.acme.Db.connect(Db.java:33)",
      "\t... 2 more",
    ].join("\n");
    const [e] = detect(events(text));
    expect(e).toMatchObject({ type: "com.acme.OrderException", message: "could not place order 17" });
    expect(e!.frames.map((f) => f.function)).toEqual(["place", "handleRequest"]);
    expect(e!.causes).toEqual([
      {
        type: "java.sql.SQLTransientConnectionException",
        message: "HikariPool-1 - Connection is not available,\nrequest timed out after 30000ms.",
        frames: [expect.objectContaining({ module: "com.zaxxer.hikari.pool.HikariPool", inApp: false }), expect.objectContaining({ module: "com.acme.Db", function: "connect", inApp: true })],
      },
    ]);
  });

  test("the JSON error document with nested causes", () => {
    const doc = {
      errorMessage: "An error occurred during JSON parsing",
      errorType: "java.lang.RuntimeException",
      stackTrace: [],
      cause: {
        errorMessage: "Can not construct instance of java.lang.Integer from String value '1000,10'",
        errorType: "java.io.UncheckedIOException",
        stackTrace: [],
        cause: { errorMessage: "not a valid Integer value", errorType: "com.fasterxml.jackson.databind.exc.InvalidFormatException", stackTrace: ["com.fasterxml.jackson.databind.exc.InvalidFormatException.from(InvalidFormatException.java:55)", "example.Handler.handleRequest(Handler.java:14)"] },
      },
    };
    const [e] = detect(events(start(), JSON.stringify(doc, null, 2)));
    expect(e).toMatchObject({ type: "java.lang.RuntimeException", kind: "invoke" });
    expect(e!.causes!.map((c) => c.type)).toEqual(["java.io.UncheckedIOException", "com.fasterxml.jackson.databind.exc.InvalidFormatException"]);
    expect(e!.causes![1]!.frames.map((f) => [f.module, f.function, f.line, f.inApp])).toEqual([
      ["com.fasterxml.jackson.databind.exc.InvalidFormatException", "from", 55, false],
      ["example.Handler", "handleRequest", 14, true],
    ]);
  });

  test("a log4j line, then the exception printed by the appender one line per event", () => {
    const errs = detect(events(start(), `2024-05-01 10:00:00 ${REQ} ERROR Handler - failed to process`, "java.lang.IllegalStateException: queue closed", "\tat com.acme.Queue.poll(Queue.java:80)", "\tat com.acme.Handler.handleRequest(Handler.java:25)", end()));
    expect(errs).toEqual([expect.objectContaining({ type: "java.lang.IllegalStateException", message: "queue closed", kind: "console", requestId: REQ })]);
  });

  test("exceptions without a message and `Exception in thread` lines", () => {
    expect(detect(events("java.lang.NullPointerException\n\tat com.acme.A.b(A.java:3)"))[0]).toMatchObject({ type: "java.lang.NullPointerException", message: "" });
    expect(detect(events('Exception in thread "main" java.lang.IllegalStateException: boom\n\tat com.acme.Main.main(Main.java:5)'))[0]).toMatchObject({ type: "java.lang.IllegalStateException", message: "boom" });
  });

  test("generated names do not enter the frame's function identity", () => {
    const [e] = detect(events("java.lang.RuntimeException: x\n\tat com.acme.Handler.lambda$handleRequest$0(Handler.java:31)\n\tat com.acme.Handler$$Lambda$14/0x0000000800c0b448.apply(Unknown Source)"));
    expect(e!.frames[0]!.function).toBe("lambda$handleRequest$0");
  });
});
