/**
 * Python runtime formats, from aws-lambda-python-runtime-interface-client bootstrap.py:
 * `log_error` writes `[ERROR] Type: msg` + `Traceback (most recent call last):` + frames whose
 * leading spaces become U+00A0, joined with `\r` (stdout sink) or `\n` (telemetry frames);
 * the logging handler writes `[LEVEL]\tISO\treqid\tmsg`; JSON uses `log_level`/`level`.
 */
import { describe, expect, test } from "vitest";
import { end, events, REQ, start, TS } from "./fixtures/events";
import { detect } from "./index";

const NBSP = "\u00a0";

/** What bootstrap.py log_error prints for an exception, stdout (`\r`) or telemetry (`\n`) sink. */
function runtimeError(type: string, message: string, stackTrace: string[], sep = "\r"): string {
  const lines = [`[ERROR] ${type}: ${message}`, "Traceback (most recent call last):"];
  for (const entry of stackTrace) for (const l of entry.split("\n").filter((x) => x !== "")) lines.push(l.replace(/^ +/, (m) => NBSP.repeat(m.length)));
  return lines.join(sep) + "\n";
}

const tb = [
  '  File "/var/task/app.py", line 12, in handler\n    return process(event["order"])\n',
  '  File "/var/task/orders/process.py", line 40, in process\n    total = order["items"][0]["price"]\n',
];

describe("runtime framing", () => {
  test.each([
    ["stdout sink (\\r)", "\r"],
    ["telemetry sink (\\n)", "\n"],
  ])("uncaught exception, %s", (_n, sep) => {
    const [e] = detect(events(start(), runtimeError("KeyError", "'price'", tb, sep), end()));
    expect(e).toMatchObject({ type: "KeyError", message: "'price'", kind: "invoke", requestId: REQ, runtime: "python" });
    // Newest call first: the line that raised is frame 0.
    expect(e!.frames.map((f) => [f.file, f.line, f.function, f.inApp, f.context?.line])).toEqual([
      ["/var/task/orders/process.py", 40, "process", true, 'total = order["items"][0]["price"]'],
      ["/var/task/app.py", 12, "handler", true, 'return process(event["order"])'],
    ]);
    expect(e!.frames[0]!.module).toBe("orders.process");
  });

  test("Runtime.ImportModuleError with its traceback is an init error", () => {
    const [e] = detect(events(runtimeError("Runtime.ImportModuleError", "Unable to import module 'app': No module named 'requests'", [])));
    expect(e).toMatchObject({ type: "Runtime.ImportModuleError", message: "Unable to import module 'app': No module named 'requests'", kind: "init", phase: "init" });
  });

  test("Runtime.UserCodeSyntaxError", () => {
    const line = runtimeError("Runtime.UserCodeSyntaxError", "Syntax error in module 'app': invalid syntax (app.py, line 3)", ['  File "/var/task/app.py" Line 3\n        def handler(event, context)\n']);
    expect(detect(events(line))[0]).toMatchObject({ type: "Runtime.UserCodeSyntaxError", kind: "init" });
  });

  test("a multi-line message continues until the traceback", () => {
    const line = ["[ERROR] ValidationError: 2 validation errors for Order", "items", "  field required", "Traceback (most recent call last):", `${NBSP}${NBSP}File "/var/task/app.py", line 3, in handler`].join("\r");
    expect(detect(events(line))[0]).toMatchObject({ type: "ValidationError", message: "2 validation errors for Order\nitems\n  field required" });
  });

  test("the LAMBDA_WARNING before an unhandled exception is not an error", () => {
    const warn = `[WARNING]\t${TS}\t${REQ}\tLAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare cases, a Lambda runtime update can cause unexpected function behavior.`;
    const errs = detect(events(start(), warn, runtimeError("ValueError", "bad", tb), end()));
    expect(errs.map((e) => e.type)).toEqual(["ValueError"]);
  });

  test("Python 3.11+ caret lines under the source line are skipped", () => {
    const entry = '  File "/var/task/app.py", line 5, in handler\n    return a["x"] + b\n           ~~~~~~~^~~~~\n';
    const [e] = detect(events(runtimeError("TypeError", "unsupported operand", [entry])));
    expect(e!.frames).toHaveLength(1);
    expect(e!.frames[0]!.context?.line).toBe('return a["x"] + b');
  });
});

describe("logging module", () => {
  test("logger.exception: message, traceback, then the exception line", () => {
    const line = [`[ERROR]\t${TS}\t${REQ}\tcould not charge order 42`, "Traceback (most recent call last):", '  File "/var/task/app.py", line 8, in charge', "    stripe.Charge.create(amount=amount)", '  File "/var/lang/lib/python3.12/site-packages/stripe/api.py", line 99, in create', "    raise CardError(msg)", "stripe.error.CardError: Your card was declined."].join("\n");
    const [e] = detect(events(line));
    expect(e).toMatchObject({ type: "stripe.error.CardError", message: "Your card was declined.", kind: "console", requestId: REQ });
    expect(e!.frames.map((f) => f.inApp)).toEqual([false, true]);
  });

  test("logger.error of a plain message is not an issue; of an exception's text it is", () => {
    expect(detect(events(`[ERROR]\t${TS}\t${REQ}\tCould not reach the payments API`))).toEqual([]);
    expect(detect(events(`[ERROR]\t${TS}\t${REQ}\tTimeoutError: read timed out`))[0]).toMatchObject({ type: "TimeoutError", requestId: REQ });
  });

  test("an empty request id column (outside an invocation) is the init phase", () => {
    const line = `[ERROR]\t${TS}\t\tConfigError: missing TABLE_NAME`;
    expect(detect(events(line))[0]).toMatchObject({ type: "ConfigError", phase: "init" });
  });

  test("INFO and WARNING lines are not errors", () => {
    expect(detect(events(`[INFO]\t${TS}\t${REQ}\tKeyError: looked up but fine`, `[WARNING]\t${TS}\t${REQ}\tValueError: retrying`))).toEqual([]);
  });
});

describe("chains and legacy runtimes", () => {
  test("chained exceptions: the last is the error, the earlier ones its causes", () => {
    const text = [
      "Traceback (most recent call last):",
      '  File "/var/task/db.py", line 10, in get',
      "    return rows[0]",
      "IndexError: list index out of range",
      "",
      "The above exception was the direct cause of the following exception:",
      "",
      "Traceback (most recent call last):",
      '  File "/var/task/app.py", line 4, in handler',
      "    user = get_user(event)",
      "app.NotFound: user 7 not found",
    ].join("\n");
    const [e] = detect(events(`[ERROR]\t${TS}\t${REQ}\tfailed\n${text}`));
    expect(e).toMatchObject({ type: "app.NotFound", message: "user 7 not found" });
    expect(e!.causes).toEqual([expect.objectContaining({ type: "IndexError", message: "list index out of range" })]);
  });

  test("python 2.7/3.6: `'msg': Type` then the traceback, with no exception line", () => {
    const line = "'Details': KeyError\nTraceback (most recent call last):\n  File \"/var/task/index.py\", line 6, in lambda_handler\n    x = event['Details']";
    const [e] = detect(events(start(), line, end()));
    expect(e).toMatchObject({ type: "KeyError", message: "'Details'", kind: "invoke", requestId: REQ });
  });

  test("a traceback printed to stderr arrives one line per event and is joined", () => {
    const lines = ["Traceback (most recent call last):", '  File "/var/task/app.py", line 3, in handler', "    1 / 0", "ZeroDivisionError: division by zero"];
    const errs = detect(events(start(), ...lines, end()));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ type: "ZeroDivisionError", message: "division by zero", requestId: REQ, eventIds: ["e1", "e2", "e3", "e4"] });
  });
});

describe("JSON log format", () => {
  test("uncaught error: `log_level` (older) or `level` (newer) with errorType/stackTrace", () => {
    for (const key of ["log_level", "level"]) {
      const line = JSON.stringify({ timestamp: TS, [key]: "ERROR", errorMessage: "bad input", errorType: "ValueError", requestId: REQ, stackTrace: ['  File "/var/task/app.py", line 3, in handler\n    raise ValueError("bad input")\n'] });
      const [e] = detect(events(line));
      expect(e).toMatchObject({ type: "ValueError", message: "bad input", kind: "invoke", requestId: REQ, runtime: "python" });
      expect(e!.frames[0]).toMatchObject({ file: "/var/task/app.py", line: 3, function: "handler", context: { line: 'raise ValueError("bad input")' } });
    }
  });

  test("logger.exception in JSON: message plus error fields is a console error", () => {
    const line = JSON.stringify({ timestamp: TS, level: "ERROR", message: "lookup failed", logger: "root", stackTrace: ['  File "/var/task/app.py", line 9, in h\n    d["k"]\n'], errorType: "KeyError", errorMessage: "'k'", requestId: REQ, location: "/var/task/app.py:h:9" });
    expect(detect(events(line))[0]).toMatchObject({ type: "KeyError", kind: "console" });
  });

  test("legacy stackTrace arrays of [file, line, function, code]", () => {
    const line = JSON.stringify({ errorMessage: "boom", errorType: "Exception", stackTrace: [["/var/task/app.py", 5, "handler", "raise Exception('boom')"]] });
    const [e] = detect(events(line));
    expect(e!.frames[0]).toMatchObject({ file: "/var/task/app.py", line: 5, function: "handler", context: { line: "raise Exception('boom')" } });
  });

  test("Powertools logger: `exception` text and `exception_name`", () => {
    const line = JSON.stringify({ level: "ERROR", location: "handler:9", message: "failed", service: "x", exception: 'Traceback (most recent call last):\n  File "/var/task/app.py", line 9, in handler\n    d["k"]\nKeyError: \'k\'', exception_name: "KeyError" });
    expect(detect(events(line))[0]).toMatchObject({ type: "KeyError", message: "'k'" });
  });

  test("INFO app logs are not errors", () => {
    expect(detect(events(JSON.stringify({ timestamp: TS, level: "INFO", message: "Error budget fine", logger: "root", requestId: REQ })))).toEqual([]);
  });
});

describe("in-app", () => {
  test("runtime, layers, site-packages and well-known libraries vendored into /var/task are not in-app", () => {
    const text = [
      "[ERROR] ClientError: An error occurred (AccessDenied)",
      "Traceback (most recent call last):",
      '  File "/var/task/app.py", line 2, in handler',
      "    s3.get_object(Bucket=b, Key=k)",
      '  File "/var/task/botocore/client.py", line 553, in _api_call',
      "    return self._make_api_call(operation_name, kwargs)",
      '  File "/var/runtime/botocore/client.py", line 1009, in _make_api_call',
      "    raise error_class(parsed_response, operation_name)",
      '  File "/opt/python/lib/helper.py", line 1, in x',
      "    pass",
    ].join("\n");
    const [e] = detect(events(text));
    expect(e!.frames.map((f) => [f.file, f.inApp])).toEqual([
      ["/opt/python/lib/helper.py", false],
      ["/var/runtime/botocore/client.py", false],
      ["/var/task/botocore/client.py", false],
      ["/var/task/app.py", true],
    ]);
  });
});
