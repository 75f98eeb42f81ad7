/**
 * The app's connection state (createLocal) over a scripted socket: what it shows while it
 * looks, when sst dev answers, when another stage replaces it, and what Clear sends.
 */
import { createRoot } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SocketLike } from "./connection";
import { createLocal, runsLocally } from "./index";

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike["onopen"] = null;
  onmessage: SocketLike["onmessage"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  message(type: string, properties: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type, properties }) });
  }
  refuse() {
    this.onerror?.({});
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

afterEach(() => {
  FakeSocket.all = [];
  vi.useRealTimers();
});

function setup(port?: number) {
  vi.useFakeTimers();
  return createRoot((dispose) => {
    const local = createLocal({ port, socket: (url) => new FakeSocket(url), retryMs: 3000 });
    return { local, dispose: () => (local.stop(), dispose()) };
  });
}

describe("the connection to sst dev", () => {
  it("tries SST's addresses in order, pauses after a round, and shows the stage once one answers", async () => {
    const { local, dispose } = setup();
    const urls = () => FakeSocket.all.map((s) => s.url);
    expect(urls()).toEqual(["ws://localhost:13557/socket"]);
    FakeSocket.all.at(-1)!.refuse();
    await vi.advanceTimersByTimeAsync(0);
    expect(urls().at(-1)).toBe("wss://localhost:13557/socket");
    FakeSocket.all.at(-1)!.refuse();
    await vi.advanceTimersByTimeAsync(0);
    expect(urls().at(-1)).toBe("wss://localhost:14557/socket");
    // ...the ports v3 moves to, then a pause of 3 s before the next round.
    for (let i = 0; i < 10; i++) {
      FakeSocket.all.at(-1)!.refuse();
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(urls()).toHaveLength(12);
    expect(local.rounds()).toBe(1);
    await vi.advanceTimersByTimeAsync(2999);
    expect(urls()).toHaveLength(12);
    await vi.advanceTimersByTimeAsync(1);
    expect(urls().at(-1)).toBe("ws://localhost:13557/socket");

    const socket = FakeSocket.all.at(-1)!;
    socket.open();
    expect(local.status()).toBe("connected");
    expect(local.rounds()).toBe(0);
    socket.message("cli.dev", { app: "acme-api", stage: "jane", region: "" });
    expect(local.dev()).toEqual({ app: "acme-api", stage: "jane", region: undefined, version: "v3" });
    expect(runsLocally(local, { app: "acme-api", name: "jane" })).toBe(true);
    expect(runsLocally(local, { app: "acme-api", name: "production" })).toBe(false);
    socket.message("invocation", [{ id: "r-1", source: "urn:pulumi:jane::acme-api::sst:aws:Function::Api", start: 1, errors: [], logs: [] }]);
    expect(local.invocations().map((i) => i.id)).toEqual(["r-1"]);

    // Clear: here, and `log.cleared` to sst dev.
    local.clear("all");
    expect(local.invocations()).toEqual([]);
    expect(socket.sent).toEqual(['{"type":"log.cleared","properties":{"source":"all"}}']);

    // The connection drops: the stage is no longer running here, but the last one is remembered.
    socket.message("invocation", [{ id: "r-2", start: 2, errors: [], logs: [] }]);
    socket.close();
    expect(local.dev()).toBeUndefined();
    expect(local.lastDev()?.stage).toBe("jane");
    expect(local.invocations()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3000);
    // It comes back with another stage: the old stage's invocations go.
    const next = FakeSocket.all.at(-1)!;
    expect(next.url).toBe("ws://localhost:13557/socket");
    next.open();
    next.message("cli.dev", { app: "acme-api", stage: "omar", region: "" });
    expect(local.invocations()).toEqual([]);
    dispose();
  });

  it("looks at the one port given with ?_port=", () => {
    const { local, dispose } = setup(13600);
    expect(local.port()).toBe(13600);
    expect(FakeSocket.all.map((s) => s.url)).toEqual(["ws://localhost:13600/socket"]);
    dispose();
  });
});
