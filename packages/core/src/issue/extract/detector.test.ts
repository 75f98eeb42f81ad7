/**
 * The stream detector's state: request tracking, multi-event blocks, batches (push/flush),
 * robustness against odd input, and its cost on the hot path.
 */
import { describe, expect, test } from "vitest";
import { createDetector, detect } from "./index";
import { end, events, invokeError, node, REQ, REQ2, report, start } from "./fixtures/events";
import type { LogEvent } from "./types";

describe("request ids", () => {
  test("a line's own request id wins over the open invocation", () => {
    const errs = detect(events(start(REQ2), invokeError({ errorType: "Error", errorMessage: "x" }, REQ), end(REQ2)));
    expect(errs[0]!.requestId).toBe(REQ);
  });

  test("lines without an id between END and the next START belong to no invocation", () => {
    const [e] = detect(events(start(), end(), report(), "java.lang.IllegalStateException: late\n\tat com.acme.A.b(A.java:1)"));
    expect(e!.requestId).toBeUndefined();
    expect(e!.phase).toBe("invoke");
  });

  test("ids missing from events are made up from the timestamp, in order", () => {
    const d = createDetector();
    const out = d.push({ timestamp: 5, message: invokeError({ errorType: "Error", errorMessage: "x" }) });
    expect(out[0]!.eventIds).toEqual(["5-0"]);
  });
});

describe("batches", () => {
  test("push returns code errors at once; held platform errors come at flush", () => {
    const d = createDetector();
    expect(d.push({ id: "1", timestamp: 1, message: start() })).toEqual([]);
    expect(d.push({ id: "2", timestamp: 2, message: invokeError({ errorType: "Error", errorMessage: "x" }) })).toHaveLength(1);
    expect(d.push({ id: "3", timestamp: 3, message: report(REQ, "Status: timeout") })).toEqual([]);
    expect(d.flush()).toEqual([expect.objectContaining({ kind: "timeout" })]);
    expect(d.flush()).toEqual([]);
    expect(d.stats).toMatchObject({ events: 3, errors: 2, failures: 0 });
  });

  test("the next START releases the failures of earlier invocations", () => {
    const d = createDetector();
    d.push({ id: "1", timestamp: 1, message: start(REQ) });
    d.push({ id: "2", timestamp: 2, message: report(REQ, "Status: timeout") });
    expect(d.push({ id: "3", timestamp: 3, message: start(REQ2) })).toEqual([expect.objectContaining({ requestId: REQ, kind: "timeout" })]);
  });

  test("a multi-event block spans two pushes and closes on the next unrelated line", () => {
    const d = createDetector();
    expect(d.push({ id: "1", timestamp: 1, message: "java.lang.IllegalStateException: x" })).toEqual([]);
    expect(d.push({ id: "2", timestamp: 2, message: "\tat com.acme.A.b(A.java:3)" })).toEqual([]);
    const out = d.push({ id: "3", timestamp: 3, message: "next line" });
    expect(out).toEqual([expect.objectContaining({ type: "java.lang.IllegalStateException", eventIds: ["1", "2"] })]);
  });

  test("a lone exception-like line that no frame follows is not an error", () => {
    expect(detect(events("com.acme.RetryableException: will retry", "processing item 4"))).toEqual([]);
  });

  test("the runtime hint and INIT_START name the runtime of errors without clues", () => {
    expect(detect(events(`RequestId: ${REQ} Error: Runtime exited with error: exit status 2\nRuntime.ExitError`), { runtime: "provided.al2023" })[0]!.runtime).toBe("provided");
    expect(detect(events("INIT_START Runtime Version: java:21.v20", `RequestId: ${REQ} Error: Runtime exited with error: exit status 2`))[0]!.runtime).toBe("java");
  });

  test("the context is validated once", () => {
    expect(() => createDetector({ logGroup: 42 as unknown as string })).toThrow();
  });
});

describe("robustness", () => {
  const nasty: string[] = [
    "",
    "\u0000\u0001\u0002\u00ff",
    "{",
    "{\"errorType\":",
    '{"errorType":"X","errorMessage":"y","stack":"not an array"}',
    '{"message":{"errorType":null}}',
    "[ERROR] ",
    "[ERROR] [",
    "Traceback (most recent call last):",
    "panic: ",
    "goroutine 1 [running]:",
    "    at ",
    "at (",
    "    at x (file:///var/task/a.mjs:99999999999999:1)",
    `${"2024-05-01T10:00:00.000Z"}\t`,
    "START RequestId:",
    "REPORT RequestId: \tStatus:",
    "INIT_REPORT Status",
    "RequestId: Error:",
    "Runtime.",
    "Error: Runtime exited",
    "Invoke Error",
    node("ERROR", "Invoke Error \t{"),
    node("ERROR", "Uncaught Exception \t{\"errorType\":1}"),
    "Error: x\n".repeat(5000),
    "    at f (a:1:1)\n".repeat(5000),
    "a".repeat(300_000),
    '"'.repeat(100_000),
    "{".repeat(100_000),
    "Caused by: ",
    "\ud800\udc00\ud800",
  ];

  test("odd, truncated and binary lines never throw", () => {
    const d = createDetector();
    for (const [i, message] of nasty.entries()) d.push({ id: String(i), timestamp: i, message });
    d.flush();
    expect(d.stats.failures).toBe(0);
  });

  test("fuzz: random slices and mutations of real lines never throw", () => {
    const seeds = [
      invokeError({ errorType: "TypeError", errorMessage: "x", stack: ["TypeError: x", "    at h (file:///var/task/index.mjs:3:25)"] }),
      "[ERROR] KeyError: 'k'\rTraceback (most recent call last):\r\u00a0\u00a0File \"/var/task/app.py\", line 3, in h\r\u00a0\u00a0\u00a0\u00a0x",
      "java.lang.RuntimeException: a\n\tat com.acme.A.b(A.java:1)\nCaused by: java.io.IOException: b\n\tat x.Y.z(Y.java:2)\n\t... 1 more",
      "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/b/m.go:3 +0x1d",
      report(REQ, "Status: error\tError Type: Runtime.OutOfMemory"),
      "INIT_REPORT Init Duration: 1 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError",
      JSON.stringify({ level: "ERROR", message: { errorType: "E", errorMessage: "m", stackTrace: ["E: m", "    at f (/var/task/a.js:1:1)"] } }),
    ];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const d = createDetector();
    for (let i = 0; i < 5000; i++) {
      const s = seeds[rand(seeds.length)]!;
      let m = s.slice(rand(s.length), rand(s.length + 1) + 1);
      if (rand(3) === 0) m = m.slice(0, rand(m.length + 1)) + String.fromCharCode(rand(0x3000)) + m.slice(rand(m.length + 1));
      if (rand(5) === 0) m = s.slice(0, rand(s.length));
      d.push({ id: String(i), timestamp: i, message: m });
      if (i % 97 === 0) d.flush();
    }
    d.flush();
    expect(d.stats.failures).toBe(0);
    expect(d.stats.events).toBe(5000);
  });

  test("a non-string message does not throw", () => {
    const d = createDetector();
    d.push({ id: "1", timestamp: 1, message: undefined as unknown as string });
    d.push({ id: "2", timestamp: Number.NaN, message: 42 as unknown as string });
    expect(d.stats.failures).toBe(0);
  });
});

describe("cost", () => {
  test("ordinary traffic is read quickly (a sanity bound, not a benchmark)", () => {
    const evs: LogEvent[] = [];
    for (let i = 0; i < 20_000; i++) {
      const rid = `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
      evs.push({ id: `${i}a`, timestamp: i, message: start(rid) });
      evs.push({ id: `${i}b`, timestamp: i, message: node("INFO", `handled order ${i} in 12ms`, rid) });
      evs.push({ id: `${i}c`, timestamp: i, message: end(rid) });
      evs.push({ id: `${i}d`, timestamp: i, message: report(rid) });
    }
    const t = performance.now();
    const errs = detect(evs);
    const ms = performance.now() - t;
    expect(errs).toEqual([]);
    // 80k events; generous bound so slow CI machines pass, yet a quadratic path would not.
    expect(ms).toBeLessThan(2000);
  });

  test("long hostile lines stay linear", () => {
    const lines = ["a.".repeat(100_000), `${"x: ".repeat(60_000)}`, `${" (".repeat(50_000)}:1:1)`, `    at ${"a (".repeat(20_000)}`, node("ERROR", `${"Error: ".repeat(40_000)}`)];
    for (const l of lines) {
      const t = performance.now();
      detect(events(l));
      expect(performance.now() - t).toBeLessThan(500);
    }
  });
});

test("end-to-end stream: mixed traffic gives exactly the expected errors", () => {
  const errs = detect(
    events(
      "INIT_START Runtime Version: nodejs:20.v13",
      start(REQ),
      node("INFO", "processing"),
      invokeError({ errorType: "TypeError", errorMessage: "a is undefined", stack: ["TypeError: a is undefined", "    at h (file:///var/task/index.mjs:1:10)"] }),
      end(REQ),
      report(REQ, "Init Duration: 120.00 ms"),
      start(REQ2),
      node("ERROR", "(node:8) [DEP0040] DeprecationWarning: The `punycode` module is deprecated."),
      end(REQ2),
      report(REQ2, "Status: timeout"),
    ),
  );
  expect(errs.map((e) => [e.type, e.kind, e.requestId])).toEqual([
    ["TypeError", "invoke", REQ],
    ["Timeout", "timeout", REQ2],
  ]);
});
