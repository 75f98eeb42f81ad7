/**
 * The web app's side of `sst dev` (packages/web/src/lib/local: connection, messages, store)
 * against a server that plays SST's local server message for message
 * (packages/functions/src/local/sst-dev/server.ts). That server follows, and these tests
 * check it against, SST's own source in the public sst/sst repository:
 * - v3/v4: `cmd/sst/mosaic/socket/socket.go` at 4077fee16c6cf2e0bcddcc6eaae7643f7d66b597
 *   (the same text at 08e20f48b3ac000f34a2ea8c82b748ed0d7c473b), ports from
 *   `pkg/server/server.go` at 017b968f2222f484377350406f32c755e1b8fb62;
 * - v2: `packages/sst/src/cli/local/server.ts` at 729c9e56e104f62b3ceef87cb171d9147c3e0dd3,
 *   bus event shapes from `packages/sst/src/runtime/runtime.ts`.
 * The real CLI could not be run here: the `sst` package's binary (4.17.1, sst-linux-x64)
 * downloads Pulumi from github.com before any command, even `sst version`, and `sst dev`
 * needs AWS besides. The browser's WebSocket is played by the `ws` package.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { startSstDevServer, type SstDevServer } from "../../packages/functions/src/local/sst-dev/server";
import { busEventsOf, demoLiveStage } from "../../packages/functions/src/local/sst-dev/demo";
import { LocalConnection, localUrls, portFromSearch, type SocketLike } from "../../packages/web/src/lib/local/connection";
import { clearMessages, parseMessage, type CliDev } from "../../packages/web/src/lib/local/protocol";
import { InvocationStore } from "../../packages/web/src/lib/local/store";
import { stagesOf, parseSource } from "../../packages/web/src/lib/local/match";
import { invoke } from "@console/testkit/programs";

const URN = (name: string) => `urn:pulumi:jane::acme-api::sst:aws:Function::${name}`;
const servers: SstDevServer[] = [];
const connections: LocalConnection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) c.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function server(mode: "v3" | "v2" = "v3", port = 0) {
  const s = await startSstDevServer({ app: "acme-api", stage: "jane", mode, port });
  servers.push(s);
  if (mode === "v3") s.complete([{ urn: URN("Api"), type: "sst:aws:Function" }, { urn: URN("Worker"), type: "sst:aws:Function" }]);
  return s;
}

/** A raw client: every text message, in order. */
async function raw(url: string) {
  const ws = new WebSocket(url);
  const messages: string[] = [];
  ws.on("message", (d) => messages.push(d.toString()));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  return { ws, messages };
}

/** The web app's connection and store, as `lib/local/index.ts` wires them. */
function client(urls: string[], retryMs = 50) {
  const store = new InvocationStore();
  const state = { status: "connecting" as string, url: undefined as string | undefined, dev: undefined as CliDev | undefined, rounds: 0, opened: 0 };
  const c = new LocalConnection({
    urls,
    retryMs,
    socket: (u) => new WebSocket(u) as unknown as SocketLike,
    onStatus(s, u) {
      state.status = s;
      state.url = u;
      if (s === "connected") {
        state.opened++;
        store.connected();
      }
    },
    onDev(d) {
      state.dev = d;
    },
    onRound(n) {
      state.rounds = n;
    },
    onMessage(msg) {
      store.apply(msg);
    },
  });
  connections.push(c);
  c.start();
  return { c, store, state };
}

describe("the server plays socket.go (v3) message for message", () => {
  it("sends cli.dev then the buffered invocations on connect, and each whole invocation again when it changes", async () => {
    const s = await server();
    const first = await raw(s.url);
    await vi.waitFor(() => expect(first.messages.length).toBe(2));
    expect(first.messages[0]).toBe('{"type":"cli.dev","properties":{"app":"acme-api","stage":"jane","region":""}}');
    expect(first.messages[1]).toBe('{"type":"invocation","properties":[]}');

    s.invoked({ functionId: "Api", requestId: "r-1", input: '{ "path": "/x" }' });
    s.log({ functionId: "Api", requestId: "r-1", line: "\u001b[32mhello\u001b[0m" });
    s.response({ functionId: "Api", requestId: "r-1", output: '{"ok":true}' });
    s.invoked({ functionId: "Nope", requestId: "r-2", input: "{}" });
    s.error({ functionId: "Nope", requestId: "r-2", errorType: "TypeError", errorMessage: "boom", trace: ["TypeError: boom", "    at f (/x.js:1:2)"] });
    s.log({ functionId: "Api", requestId: "unknown", line: "dropped: no such invocation" });
    await vi.waitFor(() => expect(first.messages.length).toBe(7));
    const [invoked, logged, responded, invoked2, failed] = first.messages.slice(2).map((m) => JSON.parse(m));
    // FunctionInvokedEvent: id, source (URN of the sst:aws:Function named FunctionID), input compacted, start; empty errors and logs.
    expect(Object.keys(invoked.properties[0])).toEqual(["id", "source", "input", "start", "errors", "logs"]);
    expect(invoked.properties[0]).toMatchObject({ id: "r-1", source: URN("Api"), input: { path: "/x" }, errors: [], logs: [] });
    expect(first.messages[2]).toContain('"input":{"path":"/x"}');
    // FunctionLogEvent: the line, ANSI stripped, with Go's time.Now().String() as its id.
    expect(logged.properties[0].logs).toHaveLength(1);
    expect(logged.properties[0].logs[0].message).toBe("hello");
    expect(logged.properties[0].logs[0].id).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC m=\+\d+\.\d{9}$/);
    // FunctionResponseEvent: output, end, report with duration = end - start and zeros.
    const done = responded.properties[0];
    expect(Object.keys(done)).toEqual(["id", "source", "input", "output", "start", "end", "errors", "logs", "report"]);
    expect(done.output).toEqual({ ok: true });
    expect(done.report).toEqual({ duration: done.end - done.start, init: 0, size: 0, memory: 0, xray: "" });
    // No deployed function named Nope: no source (omitempty). FunctionErrorEvent: id "", failed, stack of {raw}.
    expect(invoked2.properties[0].source).toBeUndefined();
    expect(failed.properties[0].errors).toEqual([{ id: "", error: "TypeError", message: "boom", stack: [{ raw: "TypeError: boom" }, { raw: "    at f (/x.js:1:2)" }], failed: true }]);
    expect("output" in failed.properties[0]).toBe(false);

    // A new socket gets both invocations in one `invocation` message.
    const second = await raw(s.url);
    await vi.waitFor(() => expect(second.messages.length).toBe(2));
    expect(JSON.parse(second.messages[1]!).properties.map((i: { id: string }) => i.id).sort()).toEqual(["r-1", "r-2"]);

    // log.cleared for one source drops its invocations; "all" drops every one.
    first.ws.send(JSON.stringify({ type: "log.cleared", properties: { source: URN("Api") } }));
    await vi.waitFor(() => expect(s.received).toHaveLength(1));
    const third = await raw(s.url);
    await vi.waitFor(() => expect(third.messages.length).toBe(2));
    expect(JSON.parse(third.messages[1]!).properties.map((i: { id: string }) => i.id)).toEqual(["r-2"]);
    first.ws.send(JSON.stringify({ type: "log.cleared", properties: { source: "all" } }));
    await vi.waitFor(() => expect(s.received).toHaveLength(2));
    const fourth = await raw(s.url);
    await vi.waitFor(() => expect(fourth.messages.length).toBe(2));
    expect(fourth.messages[1]).toBe('{"type":"invocation","properties":[]}');
    for (const c of [first, second, third, fourth]) c.ws.close();
  });

  it("keeps the newest invocations when told to (the demo runs for days; SST keeps all)", async () => {
    const s = await startSstDevServer({ app: "acme-api", stage: "jane", port: 0, keep: 2 });
    servers.push(s);
    for (const id of ["r-1", "r-2", "r-3"]) s.invoked({ functionId: "Api", requestId: id, input: "{}" });
    const c = await raw(s.url);
    await vi.waitFor(() => expect(c.messages.length).toBe(2));
    expect(JSON.parse(c.messages[1]!).properties.map((i: { id: string }) => i.id)).toEqual(["r-2", "r-3"]);
    c.ws.close();
  });

  it("takes 13557 or the next free port, on 127.0.0.1 only", async () => {
    const a = await startSstDevServer({ app: "a", stage: "s", port: 13557, range: 10 }).catch(() => undefined);
    // Another run may hold 13557 already: then this one is further up the range.
    if (a) servers.push(a);
    const b = await startSstDevServer({ app: "a", stage: "s", port: a?.port ?? 13557, range: 10 });
    servers.push(b);
    if (a) {
      expect(a.port).toBeGreaterThanOrEqual(13557);
      expect(b.port).toBeGreaterThan(a.port);
    }
    expect(b.port).toBeLessThan(13567);
    expect(localUrls()).toContain(b.url);
    await expect(raw(`ws://[::1]:${b.port}/socket`)).rejects.toThrow();
  });
});

describe("the web app's connection", () => {
  it("looks where SST's console looks, in order, then the ports v3 moves to; ?_port= narrows it to one port", () => {
    expect(localUrls().slice(0, 3)).toEqual(["ws://localhost:13557/socket", "wss://localhost:13557/socket", "wss://localhost:14557/socket"]);
    expect(localUrls().slice(3)).toEqual(Array.from({ length: 9 }, (_, i) => `ws://localhost:${13558 + i}/socket`));
    expect(localUrls(13600)).toEqual(["ws://localhost:13600/socket", "wss://localhost:13600/socket", "wss://localhost:14600/socket"]);
    expect(portFromSearch("?_port=13600")).toBe(13600);
    expect(portFromSearch("?_port=13600abc")).toBeUndefined();
    expect(portFromSearch("?_port=70000")).toBeUndefined();
  });

  it("goes on to the next address when one refuses, connects, and shows the app and stage", async () => {
    const s = await server();
    const dead = await startSstDevServer({ app: "x", stage: "y", port: 0 });
    const deadUrl = dead.url;
    await dead.close();
    const { state } = client([deadUrl, s.url]);
    await vi.waitFor(() => expect(state.status).toBe("connected"));
    expect(state.url).toBe(s.url);
    await vi.waitFor(() => expect(state.dev).toEqual({ app: "acme-api", stage: "jane", region: undefined, version: "v3" }));
  });

  it("reconnects when the connection drops, without duplicating what the server replays", async () => {
    const s = await server();
    const { store, state } = client([s.url]);
    await vi.waitFor(() => expect(state.dev?.stage).toBe("jane"));
    s.invoked({ functionId: "Api", requestId: "r-1", input: "{}" });
    s.log({ functionId: "Api", requestId: "r-1", line: "one" });
    s.log({ functionId: "Api", requestId: "r-1", line: "two" });
    await vi.waitFor(() => expect(store.get("r-1")?.logs.map((l) => l.message)).toEqual(["one", "two"]));
    const opened = state.opened;
    s.disconnectAll();
    // While away, sst dev goes on; on reconnect it replays every invocation whole.
    s.log({ functionId: "Api", requestId: "r-1", line: "three" });
    s.invoked({ functionId: "Worker", requestId: "r-2", input: '{"n":1}' });
    await vi.waitFor(() => expect(state.opened).toBe(opened + 1));
    await vi.waitFor(() => expect(store.get("r-2")).toBeDefined());
    expect(store.get("r-1")!.logs.map((l) => l.message)).toEqual(["one", "two", "three"]);
    expect(store.get("r-2")!.source).toBe(URN("Worker"));
    expect(store.size).toBe(2);
  });

  it("reconnects when sst dev restarts on its port, and forgets the stage while it is gone", async () => {
    const s = await server();
    const { store, state } = client([s.url]);
    await vi.waitFor(() => expect(state.dev?.stage).toBe("jane"));
    s.invoked({ functionId: "Api", requestId: "r-1", input: "{}" });
    await vi.waitFor(() => expect(store.size).toBe(1));
    const port = s.port;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    await vi.waitFor(() => expect(state.dev).toBeUndefined());
    expect(state.status).toBe("connecting");
    // What was streamed stays on screen.
    expect(store.size).toBe(1);
    const again = await server("v3", port);
    await vi.waitFor(() => expect(state.status).toBe("connected"));
    await vi.waitFor(() => expect(state.dev?.stage).toBe("jane"));
    again.invoked({ functionId: "Api", requestId: "r-9", input: "{}" });
    await vi.waitFor(() => expect(store.get("r-9")).toBeDefined());
  });

  it("merges partial updates of one invocation by id and keeps logs once, in time order", () => {
    const store = new InvocationStore();
    const apply = (properties: unknown) => store.apply(parseMessage(JSON.stringify({ type: "invocation", properties }))!);
    apply([{ id: "a", source: URN("Api"), input: { q: 1 }, start: 1000, errors: [], logs: [] }]);
    apply([{ id: "a", logs: [{ id: "l2", timestamp: 1020, message: "second" }] }]);
    apply([{ id: "a", logs: [{ id: "l1", timestamp: 1010, message: "first" }, { id: "l2", timestamp: 1020, message: "second" }] }]);
    apply([{ id: "a", end: 1100, output: null }]);
    apply([{ id: "a", errors: [{ id: "", error: "Error", message: "x", stack: [{ raw: "Error: x" }], failed: true }] }]);
    apply([{ id: "a", errors: [{ id: "", error: "Error", message: "x", stack: [{ raw: "Error: x" }], failed: true }], report: { duration: 100 } }]);
    expect(apply([{ id: "a", logs: [{ id: "l1", timestamp: 1010, message: "first" }] }])).toBe(false);
    const inv = store.get("a")!;
    // Changes come as new objects (what the screen re-renders on); a no-op keeps the object.
    apply([{ id: "a", logs: [{ id: "l1", timestamp: 1010, message: "first" }] }]);
    expect(store.get("a")).toBe(inv);
    expect(inv).toMatchObject({ id: "a", source: URN("Api"), input: { q: 1 }, start: 1000, end: 1100, hasOutput: true, output: null, duration: 100 });
    expect(inv.logs.map((l) => l.message)).toEqual(["first", "second"]);
    expect(inv.errors).toHaveLength(1);
    // Logs without ids (a partial server) are kept once by time and text.
    apply([{ id: "a", logs: [{ timestamp: 1030, message: "third" }] }]);
    expect(store.get("a")).not.toBe(inv);
    apply([{ id: "a", logs: [{ timestamp: 1030, message: "third" }] }]);
    expect(store.get("a")!.logs.map((l) => l.message)).toEqual(["first", "second", "third"]);
    // Junk is ignored.
    expect(parseMessage("not json")).toBeUndefined();
    expect(parseMessage(JSON.stringify({ type: "invocation", properties: [{ no: "id" }] }))).toEqual({ type: "invocation", invocations: [] });
    expect(parseMessage(JSON.stringify({ type: "cli.dev", properties: { app: 1 } }))).toBeUndefined();
  });

  it("clears here and in sst dev: log.cleared", async () => {
    const s = await server();
    const { c, store, state } = client([s.url]);
    await vi.waitFor(() => expect(state.dev?.version).toBe("v3"));
    s.invoked({ functionId: "Api", requestId: "r-1", input: "{}" });
    await vi.waitFor(() => expect(store.size).toBe(1));
    store.clear("all");
    for (const text of clearMessages("v3", "all")) expect(c.send(text)).toBe(true);
    await vi.waitFor(() => expect(s.received).toEqual([{ type: "log.cleared", properties: { source: "all" } }]));
    // A new socket now gets nothing back.
    const fresh = await raw(s.url);
    await vi.waitFor(() => expect(fresh.messages.length).toBe(2));
    expect(fresh.messages[1]).toBe('{"type":"invocation","properties":[]}');
    fresh.ws.close();
    expect(store.size).toBe(0);
  });
});

describe("v2 (server.ts): the same invocations from its bus events", () => {
  it("builds invocations, keeps a replayed buffer once, and clears by functionID", async () => {
    const s = await server("v2");
    const first = await raw(s.url);
    await vi.waitFor(() => expect(first.messages.length).toBe(1));
    expect(first.messages[0]).toBe('{"type":"cli.dev","properties":{"stage":"jane","app":"acme-api"}}');
    first.ws.close();

    const { c, store, state } = client([s.url]);
    await vi.waitFor(() => expect(state.dev).toEqual({ app: "acme-api", stage: "jane", region: undefined, version: "v2" }));
    s.invoked({ functionId: "fn-a", requestId: "r-1", input: '{"x":1}' });
    s.log({ functionId: "fn-a", requestId: "r-1", line: "hello" });
    s.log({ functionId: "fn-a", requestId: "r-1", line: "hello" });
    s.response({ functionId: "fn-a", requestId: "r-1", output: '{"ok":1}' });
    s.invoked({ functionId: "fn-b", requestId: "r-2", input: "{}" });
    s.error({ functionId: "fn-b", requestId: "r-2", errorType: "Error", errorMessage: "bad", trace: ["Error: bad", "    at g (/y.js:2:3)"] });
    await vi.waitFor(() => expect(store.get("r-2")?.errors).toHaveLength(1));
    const a = store.get("r-1")!;
    expect(a).toMatchObject({ source: "fn-a", input: { x: 1 }, output: { ok: 1 }, hasOutput: true });
    // The same line twice is two lines; each is kept once.
    expect(a.logs.map((l) => l.message)).toEqual(["hello", "hello"]);
    expect(store.get("r-2")!.errors[0]).toMatchObject({ error: "Error", message: "bad", stack: ["Error: bad", "    at g (/y.js:2:3)"] });

    // Reconnect: v2 replays its whole buffer (every bus event again); nothing is doubled.
    const opened = state.opened;
    s.disconnectAll();
    s.log({ functionId: "fn-a", requestId: "r-1", line: "later" });
    await vi.waitFor(() => expect(state.opened).toBe(opened + 1));
    await vi.waitFor(() => expect(store.get("r-1")?.logs.map((l) => l.message)).toEqual(["hello", "hello", "later"]));
    expect(store.size).toBe(2);
    expect(store.get("r-2")!.errors).toHaveLength(1);

    // v2 clears per function (its filter reads properties.functionID).
    for (const text of clearMessages("v2", ["fn-a"])) expect(c.send(text)).toBe(true);
    await vi.waitFor(() => expect(s.received).toEqual([{ type: "log.cleared", properties: { source: "fn-a", functionID: "fn-a" } }]));
    const fresh = await raw(s.url);
    await vi.waitFor(() => expect(fresh.messages.some((m) => m.includes('"function.error"'))).toBe(true));
    expect(fresh.messages.some((m) => m.includes('"fn-a"'))).toBe(false);
    fresh.ws.close();
  });
});

describe("finding the local stage and its functions", () => {
  it("matches app and stage across workspaces, and says when none has it", () => {
    const ws1 = { id: "w1", slug: "one", name: "One" };
    const ws2 = { id: "w2", slug: "two", name: "Two" };
    const stage = (id: string, app: string, name: string) => ({ id, app, name });
    const lists = [
      { workspace: ws1, stages: [stage("s1", "acme-api", "production"), stage("s2", "acme-api", "jane")] },
      { workspace: ws2, stages: [stage("s3", "acme-api", "jane"), stage("s4", "other", "jane")] },
    ];
    expect(stagesOf(lists, "acme-api", "jane").map((m) => [m.workspace.slug, m.stage.id])).toEqual([
      ["one", "s2"],
      ["two", "s3"],
    ]);
    expect(stagesOf(lists, "acme-api", "omar")).toEqual([]);
    expect(parseSource(URN("Api"))).toEqual({ stage: "jane", app: "acme-api", name: "Api" });
    expect(parseSource("urn:pulumi:jane::acme-api::sst:aws:ApiGatewayV2$sst:aws:Function::WebhooksStripeHandler").name).toBe("WebhooksStripeHandler");
    expect(parseSource("c8a1f0", [{ key: "c8a1f0", name: "ListReports" }])).toEqual({ name: "ListReports" });
  });
});

describe("the demo's sst dev", () => {
  it("turns a real run of a demo program into SST's bus events: lines without Lambda's framing, the error with its stack", async () => {
    const failed = await invoke("node", "shippingLabel", { customerId: "c2" }, { timeoutMs: 3000 });
    const events = busEventsOf(failed);
    expect(events.error?.errorType).toBe("TypeError");
    expect(events.error?.trace.some((f) => f.includes("/var/task/index.mjs"))).toBe(true);
    expect(events.lines.every((l) => !/^START |^END |^REPORT /.test(l) && !/\t[0-9a-f-]{36}\t/.test(l))).toBe(true);
    const ok = busEventsOf(await invoke("node", "health", {}, { timeoutMs: 3000 }));
    expect(ok.error).toBeUndefined();
    expect(demoLiveStage({ stages: [] })).toBeUndefined();
  }, 60_000);
});
