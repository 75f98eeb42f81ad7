/**
 * Go (provided.al2/al2023 with aws-lambda-go): the runtime `log.Printf`s the error payload
 * it posts (invoke_loop.go reportFailure), `{errorMessage, errorType, stackTrace:
 * [{path, line, label}], shouldExit}`; a panic also ends the process. Panics outside the
 * handler print Go's own `panic:` + goroutine dump, one line per event.
 */
import { describe, expect, test } from "vitest";
import { end, events, REQ, report, start } from "./fixtures/events";
import { detect } from "./index";

describe("Go", () => {
  test("a returned error: the payload line has no request id, the open invocation gives it", () => {
    const errs = detect(events(start(), '2024/05/01 10:00:00 {"errorMessage":"user 42 not found","errorType":"errorString"}', end(), report()));
    expect(errs).toEqual([expect.objectContaining({ type: "errorString", message: "user 42 not found", kind: "invoke", requestId: REQ })]);
  });

  test("a panic in the handler: one error from the payload, the forced exit is its consequence", () => {
    const payload = {
      errorMessage: "runtime error: index out of range [3] with length 1",
      errorType: "boundsError",
      stackTrace: [
        { path: "github.com/aws/aws-lambda-go@v1.47.0/lambda/errors.go", line: 39, label: "lambdaPanicResponse" },
        { path: "runtime/panic.go", line: 770, label: "gopanic" },
        { path: "github.com/acme/orders/handler.go", line: 27, label: "handleOrder" },
        { path: "github.com/acme/orders/main.go", line: 12, label: "main.func1" },
      ],
      shouldExit: true,
    };
    const errs = detect(
      events(
        start(),
        `2024/05/01 10:00:00 ${JSON.stringify(payload)}`,
        "2024/05/01 10:00:00 calling the handler function resulted in a panic, the process should exit",
        end(),
        report(REQ, "Status: error\tError Type: Runtime.ExitError"),
        `RequestId: ${REQ} Error: Runtime exited with error: exit status 1\nRuntime.ExitError`,
      ),
    );
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e).toMatchObject({ type: "boundsError", runtime: "go", requestId: REQ });
    expect(e.frames.map((f) => [f.function, f.inApp])).toEqual([
      ["lambdaPanicResponse", false],
      ["gopanic", false],
      ["handleOrder", true],
      ["main.func1", true],
    ]);
  });

  test("a raw panic split one line per event is joined into one error", () => {
    const lines = [
      "panic: runtime error: invalid memory address or nil pointer dereference",
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]",
      "",
      "goroutine 1 [running]:",
      "main.loadConfig(...)",
      "\t/build/cmd/api/config.go:31",
      "main.main()",
      "\t/build/cmd/api/main.go:14 +0x1d",
      "runtime.main()",
      "\t/usr/local/go/src/runtime/proc.go:271 +0x29d",
    ];
    const errs = detect(events(...lines));
    expect(errs).toHaveLength(1);
    const e = errs[0]!;
    expect(e).toMatchObject({ type: "runtime.Error", message: "invalid memory address or nil pointer dereference", runtime: "go", phase: "init" });
    expect(e.eventIds).toHaveLength(lines.length);
    expect(e.frames.map((f) => [f.module, f.function, f.file, f.line, f.inApp])).toEqual([
      ["main", "loadConfig", "/build/cmd/api/config.go", 31, true],
      ["main", "main", "/build/cmd/api/main.go", 14, true],
      ["runtime", "main", "/usr/local/go/src/runtime/proc.go", 271, false],
    ]);
  });

  test("a custom panic value and fatal errors", () => {
    expect(detect(events("panic: config missing [recovered]\n\tpanic: config missing\n\ngoroutine 7 [running]:\nmain.x()\n\t/b/m.go:3 +0x1"))[0]).toMatchObject({ type: "panic", message: "config missing" });
    expect(detect(events("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/b/m.go:9 +0x2"))[0]).toMatchObject({ type: "fatal error", message: "all goroutines are asleep - deadlock!" });
  });

  test("JSON log format: the payload inside a `msg` at INFO is still the runtime's report", () => {
    const line = JSON.stringify({ time: "2024-05-01T10:00:00Z", level: "INFO", msg: '{"errorMessage":"boom","errorType":"errorString"}', requestId: REQ });
    expect(detect(events(line))[0]).toMatchObject({ type: "errorString", message: "boom", requestId: REQ });
  });

  test("dependencies from the module cache and the Go runtime are not in-app", () => {
    const payload = { errorMessage: "x", errorType: "T", stackTrace: [{ path: "/root/go/pkg/mod/github.com/jackc/pgx/v5@v5.5.0/conn.go", line: 1, label: "(*Conn).Query" }, { path: "/usr/local/go/src/net/http/server.go", line: 2, label: "serve" }, { path: "/src/app/db.go", line: 3, label: "query" }] };
    const [e] = detect(events(JSON.stringify(payload)));
    expect(e!.frames.map((f) => f.inApp)).toEqual([false, false, true]);
  });
});
