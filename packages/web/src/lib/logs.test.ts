/**
 * The function page's pure parts: invocations merged from past pages and live batches
 * (each line once, the status that says the most), the order of rows, the live tail's own
 * search check, the invoke editor's JSON check, and the page's address.
 */
import { describe, expect, it } from "vitest";
import type { Invocation, Stage } from "./api";
import { addInvocations, checkJson, functionPath, matchesSearch, mergeInvocation, newestFirst } from "./logs";

function inv(over: Omit<Partial<Invocation>, "lines"> & { lines?: Array<[string, number, string]> }): Invocation {
  const { lines, ...rest } = over;
  return {
    requestId: "r1",
    logStream: "s1",
    start: 1000,
    end: null,
    duration: null,
    billedDuration: null,
    memorySize: null,
    maxMemoryUsed: null,
    initDuration: null,
    status: "running",
    lines: (lines ?? []).map(([id, timestamp, message]) => ({ id, timestamp, message })),
    errors: [],
    ...rest,
  };
}

const error = (eventIds: string[]) => ({ type: "TypeError", message: "x", frames: [], kind: "invoke" as const, phase: "invoke" as const, timestamp: 1001, eventIds, runtime: "node" as const });

describe("merging invocations", () => {
  it("joins a running part and its end: lines once, in time order, the figures of the end", () => {
    const first = inv({ lines: [["a", 1000, "START RequestId: r1"], ["b", 1005, "hello"]] });
    const second = inv({
      start: 1005,
      end: 1020,
      duration: 16.2,
      billedDuration: 17,
      memorySize: 1024,
      maxMemoryUsed: 80,
      status: "success",
      lines: [["b", 1005, "hello"], ["d", 1021, "REPORT RequestId: r1"], ["c", 1020, "END RequestId: r1"]],
    });
    const merged = mergeInvocation(first, second);
    expect(merged.lines.map((l) => l.id)).toEqual(["a", "b", "c", "d"]);
    expect(merged).toMatchObject({ start: 1000, end: 1020, duration: 16.2, maxMemoryUsed: 80, status: "success" });
  });

  it("keeps an error seen in one part when the next part only ends the invocation", () => {
    const failing = inv({ status: "error", errors: [error(["b"])], lines: [["b", 1005, "ERROR boom"]] });
    const ending = inv({ status: "success", end: 1020, lines: [["c", 1020, "END RequestId: r1"]] });
    const merged = mergeInvocation(failing, ending);
    expect(merged.status).toBe("error");
    expect(mergeInvocation(ending, failing).status).toBe("error");
    expect(mergeInvocation(merged, failing).errors).toHaveLength(1);
  });

  it("adds batches by request id, keeps groups of other lines apart, and orders newest first", () => {
    let map = addInvocations(new Map(), [inv({ requestId: "r1", start: 1000, lines: [["a", 1000, "START"]] })]);
    map = addInvocations(map, [
      inv({ requestId: "r1", start: 1000, lines: [["a", 1000, "START"]] }),
      inv({ requestId: "r2", start: 3000, lines: [["x", 3000, "START"]] }),
      inv({ requestId: null, start: 500, status: "other", lines: [["i", 500, "INIT_START"]] }),
    ]);
    expect(map.size).toBe(3);
    expect(map.get("r1")!.lines).toHaveLength(1);
    expect(newestFirst(map.entries())).toEqual(["r2", "r1", "~s1@500"]);
  });
});

describe("the live tail's search", () => {
  const hello = inv({ lines: [["a", 1, "START"], ["b", 2, 'INFO {"msg":"Order Shipped"}']] });
  it("needs every plain term and phrase in a line, case-insensitive", () => {
    expect(matchesSearch(hello, "order")).toBe(true);
    expect(matchesSearch(hello, '"order shipped"')).toBe(true);
    expect(matchesSearch(hello, "order refund")).toBe(false);
    expect(matchesSearch(hello, undefined)).toBe(true);
  });
  it("leaves what it cannot judge to the server (exclusions, alternatives, JSON patterns)", () => {
    expect(matchesSearch(hello, "-order")).toBe(true);
    expect(matchesSearch(hello, '{ $.msg = "x" }')).toBe(true);
  });
});

describe("the invoke editor's JSON check", () => {
  it("accepts JSON, and an empty editor as {}", () => {
    expect(checkJson('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(checkJson("  ")).toEqual({ ok: true, value: {} });
    expect(checkJson("42")).toEqual({ ok: true, value: 42 });
  });
  it("says what is wrong and where", () => {
    expect(checkJson('{\n  "orderId": \n}')).toMatchObject({ ok: false, line: 3, column: 1, message: "a value is expected" });
    expect(checkJson('{"a": 1,}')).toMatchObject({ ok: false, line: 1 });
    expect(checkJson("{'a': 1}")).toMatchObject({ ok: false, line: 1, column: 2 });
    expect(checkJson('{"a": 1} // note')).toMatchObject({ ok: false });
  });
});

describe("the function page's address", () => {
  const stage = { id: "st_1", app: "acme api", name: "production" } as Stage;
  it("is under the stage's Logs tab, with ?id= when the stage's name is not unique", () => {
    expect(functionPath("ws", stage, [stage], "fn_1")).toBe("/ws/app/acme%20api/production/logs/fn_1");
    const twin = { ...stage, id: "st_2" } as Stage;
    expect(functionPath("ws", stage, [stage, twin], "fn_1", { around: 5, request: "r1" })).toBe("/ws/app/acme%20api/production/logs/fn_1?id=st_1&around=5&request=r1");
  });
});
