/**
 * Platform failures: timeouts, out-of-memory kills, runtime exits, init failures, Runtime
 * API failures. Each failure is one error however many lines report it, joined by request
 * id even when the lines come after END and REPORT.
 */
import { describe, expect, test } from "vitest";
import { createDetector, detect } from "./index";
import { end, events, invokeError, node, REQ, REQ2, report, start, TS } from "./fixtures/events";

describe("timeouts", () => {
  test("REPORT `Status: timeout` alone (runtimes that no longer write `Task timed out`)", () => {
    const errs = detect(events(start(), end(), report(REQ, "Status: timeout")));
    expect(errs).toEqual([expect.objectContaining({ type: "Timeout", message: "Status: timeout", kind: "timeout", requestId: REQ, eventIds: ["e2"] })]);
  });

  test.each([
    ["line after REPORT", [start(), end(), report(REQ, "Status: timeout"), `${TS} ${REQ} Task timed out after 3.00 seconds`], ["e2", "e3"]],
    ["line before REPORT", [start(), `${TS} ${REQ} Task timed out after 3.00 seconds`, end(), report(REQ, "Status: timeout")], ["e1", "e3"]],
  ])("`Task timed out` and `Status: timeout` of one request are one error (%s)", (_n, lines, ids) => {
    const errs = detect(events(...lines));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "Timeout", message: "Task timed out after 3.00 seconds", requestId: REQ, eventIds: ids });
  });

  test("joined by request id, not position: a late timeout line of A after B started", () => {
    const errs = detect(events(start(REQ), end(REQ), report(REQ), start(REQ2), `${TS} ${REQ} Task timed out after 3.00 seconds`, end(REQ2), report(REQ2)));
    expect(errs).toEqual([expect.objectContaining({ type: "Timeout", requestId: REQ })]);
  });

  test("two timed-out requests are two errors", () => {
    const errs = detect(events(start(REQ), end(REQ), report(REQ, "Status: timeout"), start(REQ2), end(REQ2), report(REQ2, "Status: timeout")));
    expect(errs.map((e) => e.requestId)).toEqual([REQ, REQ2]);
  });

  test("a duplicate arriving in a later batch is not reported again", () => {
    const d = createDetector();
    const first = [...d.push({ id: "a", timestamp: 1, message: report(REQ, "Status: timeout") }), ...d.flush()];
    const second = [...d.push({ id: "b", timestamp: 2, message: `${TS} ${REQ} Task timed out after 3.00 seconds` }), ...d.flush()];
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
  });

  test("errors the code logged before the timeout are kept, the timeout too", () => {
    const errs = detect(events(start(), node("ERROR", "Error: slow query\n    at q (file:///var/task/a.mjs:1:1)"), end(), report(REQ, "Status: timeout")));
    expect(errs.map((e) => e.kind)).toEqual(["console", "timeout"]);
  });
});

describe("out of memory and exits", () => {
  test("`signal: killed`, the lone `Runtime.ExitError` event, and REPORT `Runtime.OutOfMemory`: one OOM", () => {
    const errs = detect(
      events(start(), `RequestId: ${REQ} Error: Runtime exited with error: signal: killed`, "Runtime.ExitError", end(), report(REQ, "Status: error\tError Type: Runtime.OutOfMemory")),
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "Runtime.OutOfMemory", message: "Runtime exited with error: signal: killed", kind: "oom", requestId: REQ, eventIds: ["e1", "e2", "e4"] });
  });

  test("an OOM is reported even after the code logged an error in the request", () => {
    const errs = detect(events(start(), node("ERROR", "Error: cache miss storm\n    at f (file:///var/task/a.mjs:1:1)"), `RequestId: ${REQ} Error: Runtime exited with error: signal: killed\nRuntime.ExitError`, end()));
    expect(errs.map((e) => e.kind)).toEqual(["console", "oom"]);
  });

  test("`exit status 1` without an error from the code is an exit error", () => {
    const errs = detect(events(start(), `RequestId: ${REQ} Error: Runtime exited with error: exit status 1\nRuntime.ExitError`, end(), report(REQ, "Status: error\tError Type: Runtime.ExitError")));
    expect(errs).toEqual([expect.objectContaining({ type: "Runtime.ExitError", message: "Runtime exited with error: exit status 1", kind: "exit", requestId: REQ })]);
  });

  test("a console error does not hide a later crash of the same request", () => {
    const errs = detect(events(start(), node("ERROR", "Error: handled\n    at f (file:///var/task/a.mjs:1:1)"), `RequestId: ${REQ} Error: Runtime exited with error: exit status 1\nRuntime.ExitError`));
    expect(errs.map((e) => e.kind)).toEqual(["console", "exit"]);
  });

  test("older OOM text and unknown application errors", () => {
    expect(detect(events(`RequestId: ${REQ} Process exited before completing request`))[0]).toMatchObject({ kind: "exit", message: "Process exited before completing request", requestId: REQ });
    expect(detect(events(`RequestId: ${REQ} Error: Unknown application error occurred\nRuntime.Unknown`))[0]).toMatchObject({ type: "Runtime.Unknown", message: "Unknown application error occurred" });
  });

  test("REPORT `Status: error` alone keeps its error type", () => {
    expect(detect(events(start(), end(), report(REQ, "Status: error\tError Type: Runtime.InvalidEntrypoint")))[0]).toMatchObject({ type: "Runtime.InvalidEntrypoint", kind: "exit", message: "Status: error" });
  });
});

describe("init phase", () => {
  test("INIT_REPORT failure alone is an init error keyed by the stream, with no request id", () => {
    const [e] = detect(events("INIT_START Runtime Version: python:3.12.v18\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:x", "INIT_REPORT Init Duration: 3000.12 ms\tPhase: init\tStatus: timeout"));
    expect(e).toMatchObject({ type: "Timeout", kind: "timeout", phase: "init", message: "INIT_REPORT Status: timeout", runtime: "python" });
    expect(e!.requestId).toBeUndefined();
  });

  test("a top-level throw at init, INIT_REPORT, then the retried init and the exit of the request: one error per phase", () => {
    const uncaught = (rid: string) => invokeError({ errorType: "Error", errorMessage: "DATABASE_URL is not set", stack: ["Error: DATABASE_URL is not set", "    at file:///var/task/index.mjs:3:9", "    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)"] }, rid, "Uncaught Exception");
    const errs = detect(
      events(
        "INIT_START Runtime Version: nodejs:20.v13",
        uncaught("undefined"),
        "INIT_REPORT Init Duration: 80.10 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError",
        start(),
        uncaught("undefined"),
        "INIT_REPORT Init Duration: 75.00 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ExitError",
        `RequestId: ${REQ} Error: Runtime exited with error: exit status 129\nRuntime.ExitError`,
        end(),
        report(REQ, "Status: error\tError Type: Runtime.ExitError"),
      ),
    );
    expect(errs.map((e) => [e.type, e.kind, e.phase, e.requestId])).toEqual([
      ["Error", "init", "init", undefined],
      ["Error", "uncaught", "invoke", REQ],
    ]);
  });

  test("SnapStart restore failures and extension launch errors", () => {
    expect(detect(events("RESTORE_REPORT Restore Duration: 120.00 ms\tStatus: error\tError Type: Runtime.ExitError"))[0]).toMatchObject({ kind: "init", message: "RESTORE_REPORT Status: error" });
    expect(detect(events("EXTENSION\tName: datadog-agent\tState: LaunchError\tEvents: []\tError Type: UnknownError"))[0]).toMatchObject({ kind: "init", type: "UnknownError" });
  });

  test("JSON platform records: initReport error", () => {
    const line = JSON.stringify({ time: TS, type: "platform.initReport", record: { initializationType: "on-demand", phase: "init", status: "error", errorType: "Runtime.ExitError", metrics: { durationMs: 10 } } });
    expect(detect(events(line))[0]).toMatchObject({ type: "Runtime.ExitError", kind: "init", message: "INIT_REPORT Status: error" });
  });

  test("plain INIT_START / INIT_REPORT lines are not errors", () => {
    expect(detect(events("INIT_START Runtime Version: nodejs:20.v13", "INIT_REPORT Init Duration: 10 ms\tPhase: init\tStatus: success"))).toEqual([]);
  });
});

describe("runtime failures", () => {
  test("LAMBDA_RUNTIME Failed to post ... inside an invocation", () => {
    const errs = detect(events(start(), "[ERROR] [1698615205834] LAMBDA_RUNTIME Failed to post handler success response. Http response code: 413.", end()));
    expect(errs).toEqual([expect.objectContaining({ type: "LambdaRuntimeError", kind: "runtime", requestId: REQ, message: "Failed to post handler success response. Http response code: 413." })]);
  });
});
