/**
 * The live tail's hook against a scripted EventSource: it connects only while on, says when
 * it is live, merges every batch by request id (a line sent twice shows once, an invocation
 * completes in place), reports a reconnect and the server's closing reason, and closes the
 * stream when turned off.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSignal } from "solid-js";
import type { Invocation } from "../lib/api";
import { useLiveTail } from "./logs";
import { renderData } from "./testing/render";

class FakeEventSource {
  static all: FakeEventSource[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readyState = 0;
  onerror: ((e: Event) => void) | null = null;
  private listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(type: string, fn: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  emit(type: string, data: unknown) {
    this.readyState = 1;
    for (const fn of this.listeners.get(type) ?? []) fn(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
  fail(closed: boolean) {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(new Event("error"));
  }
  close() {
    this.readyState = 2;
  }
}

const original = globalThis.EventSource;
beforeEach(() => {
  FakeEventSource.all = [];
  globalThis.EventSource = FakeEventSource as unknown as typeof EventSource;
});
afterEach(() => {
  globalThis.EventSource = original;
});

function inv(requestId: string, lines: Array<[string, number, string]>, over: Partial<Invocation> = {}): Invocation {
  return {
    requestId,
    logStream: "s",
    start: lines[0]?.[1] ?? 0,
    end: null,
    duration: null,
    billedDuration: null,
    memorySize: null,
    maxMemoryUsed: null,
    initDuration: null,
    status: "running",
    lines: lines.map(([id, timestamp, message]) => ({ id, timestamp, message })),
    errors: [],
    ...over,
  };
}

describe("useLiveTail", () => {
  it("follows the function while on, merging batches without repeating lines", () => {
    const [on, setOn] = createSignal(false);
    const { result } = renderData(() => useLiveTail(() => "ws_1", () => "fn_1", on));
    expect(result.state()).toBe("off");
    expect(FakeEventSource.all).toHaveLength(0);

    setOn(true);
    expect(FakeEventSource.all).toHaveLength(1);
    const source = FakeEventSource.all[0]!;
    expect(source.url).toBe("/api/workspaces/ws_1/functions/fn_1/logs/live");
    expect(result.state()).toBe("connecting");
    source.emit("ready", { time: 1 });
    expect(result.state()).toBe("live");

    source.emit("invocations", { invocations: [inv("r1", [["a", 10, "START RequestId: r1"], ["b", 11, "hello"]])] });
    // The server's overlap sends "b" again with the end of the invocation.
    source.emit("invocations", {
      invocations: [inv("r1", [["b", 11, "hello"], ["c", 20, "END RequestId: r1"], ["d", 21, "REPORT RequestId: r1"]], { status: "success", duration: 9 }), inv("r2", [["e", 30, "START RequestId: r2"]])],
    });
    const r1 = result.invocations().get("r1")!;
    expect(r1.lines.map((l) => l.id)).toEqual(["a", "b", "c", "d"]);
    expect(r1).toMatchObject({ status: "success", duration: 9, start: 10 });
    expect([...result.invocations().keys()].sort()).toEqual(["r1", "r2"]);

    source.fail(false);
    expect(result.state()).toBe("reconnecting");
    source.emit("invocations", { invocations: [] });
    expect(result.state()).toBe("live");

    setOn(false);
    expect(source.readyState).toBe(2);
    expect(result.state()).toBe("off");
  });

  it("stops with the server's reason when the stream is closed (a removed member)", () => {
    const [on] = createSignal(true);
    const { result } = renderData(() => useLiveTail(() => "ws_1", () => "fn_1", on));
    const source = FakeEventSource.all[0]!;
    source.emit("ready", {});
    source.emit("close", { reason: "You are no longer a member of this workspace" });
    expect(result.state()).toBe("closed");
    expect(result.reason()).toBe("You are no longer a member of this workspace");
    expect(source.readyState).toBe(2);
  });
});
