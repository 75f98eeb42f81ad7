/**
 * A server that speaks the `sst dev` local server's Console protocol, message for message,
 * so that the web app's Local tab can be shown working without SST (the demo) and tested.
 * It follows SST's own source (read from the public sst/sst repository):
 *
 * - v3/v4 (`mode: "v3"`): `cmd/sst/mosaic/socket/socket.go` at commit
 *   4077fee16c6cf2e0bcddcc6eaae7643f7d66b597 (same text at 08e20f48b3ac000f34a2ea8c82b748ed0d7c473b).
 *   On connect: `{"type":"cli.dev","properties":{"app","stage","region":""}}`, then
 *   `{"type":"invocation","properties":[...every buffered invocation]}`. Each bus event
 *   (FunctionInvokedEvent, FunctionResponseEvent, FunctionErrorEvent, FunctionLogEvent)
 *   re-sends the whole invocation as `{"type":"invocation","properties":[inv]}`. The
 *   invocation's JSON follows the Go struct tags: `id`, `source`, `cold`, `input`, `start`,
 *   `end`, `report` are `omitempty`; `errors` and `logs` are always there; `output` is an
 *   interface holding a `json.RawMessage`, so it is present (`null` when empty) once set;
 *   an error's `id` is always `""`; a log's `id` is Go's `time.Now().String()`. `source` is
 *   the URN of the `sst:aws:Function` whose name is the function id, from the last
 *   `project.CompleteEvent` (empty before the first deploy completes). `report` carries
 *   `duration` = end - start and zeros. `{"type":"log.cleared","properties":{"source"}}`
 *   from the client drops the invocations of that source, or all of them for `"all"`.
 *   The port comes from `pkg/server/server.go` (commit 017b968f2222f484377350406f32c755e1b8fb62):
 *   13557, else the next free one; SST listens on 0.0.0.0, this server on 127.0.0.1 only.
 * - v2 (`mode: "v2"`): `packages/sst/src/cli/local/server.ts` at commit
 *   729c9e56e104f62b3ceef87cb171d9147c3e0dd3: a buffer that starts with
 *   `{"type":"cli.dev","properties":{"stage","app"}}` and keeps every published bus event
 *   (`function.invoked`, `worker.stdout`, `function.success`, `function.error`, with the
 *   properties of `packages/sst/src/runtime/runtime.ts` and `workers.ts`); a new socket gets
 *   the whole buffer; `log.cleared` keeps only messages whose `properties.functionID`
 *   differs from the one sent.
 *
 * The Origin header is not checked (v3 `CheckOrigin` returns true; v2's `/socket` has no check).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export const SST_DEV_PORT = 13557;
/** Ports this server tries (and the web app looks at): 13557 and the next ones, as SST v3 does. */
export const SST_DEV_PORT_RANGE = 10;

export interface SstDevResource {
  urn: string;
  type: string;
}

export interface SstDevOptions {
  app: string;
  stage: string;
  /** `v3` (also v4) or `v2`: which server to play. */
  mode?: "v3" | "v2";
  /** Region: v3 always sends `""` (`p.App().Region` is not set in socket.go); v2 sends none. */
  host?: string;
  /** The first port to try (default 13557) and how many after it. 0 picks any free port. */
  port?: number;
  range?: number;
  /** v3: keep at most this many invocations, dropping the oldest (SST keeps all until `log.cleared`). */
  keep?: number;
}

/** The v3 `Invocation` struct of socket.go, as its JSON tags print it. */
export interface WireInvocation {
  id?: string;
  source?: string;
  cold?: boolean;
  input?: unknown;
  output?: unknown;
  start?: number;
  end?: number;
  errors: { id: string; error: string; message: string; stack: { raw: string }[]; failed: boolean }[];
  logs: { id?: string; timestamp?: number; message?: string }[];
  report?: { duration: number; init: number; size: number; memory: number; xray: string };
}

interface Stored {
  id: string;
  source: string;
  cold: boolean;
  /** Raw JSON text (Go `json.RawMessage`). */
  input: string;
  output?: string;
  start: number;
  end?: number;
  errors: WireInvocation["errors"];
  logs: { id: string; timestamp: number; message: string }[];
  report?: WireInvocation["report"];
}

export interface SstDevServer {
  port: number;
  /** `ws://localhost:<port>/socket` */
  url: string;
  mode: "v3" | "v2";
  /** How many sockets are connected. */
  connections(): number;
  /** `project.CompleteEvent`: the resources of the last deploy (v3: gives invocations their `source`). */
  complete(resources: SstDevResource[]): void;
  /** `aws.FunctionInvokedEvent` (v3) / `function.invoked` (v2). `input` is the event's JSON text. */
  invoked(e: { functionId: string; requestId: string; input: string; workerId?: string; cold?: boolean }): void;
  /** `aws.FunctionLogEvent` / `worker.stdout`. */
  log(e: { functionId: string; requestId: string; line: string; workerId?: string }): void;
  /** `aws.FunctionResponseEvent` / `function.success`. `output` is JSON text. */
  response(e: { functionId: string; requestId: string; output: string; workerId?: string }): void;
  /** `aws.FunctionErrorEvent` / `function.error`. */
  error(e: { functionId: string; requestId: string; errorType: string; errorMessage: string; trace: string[]; workerId?: string }): void;
  /** Drops every socket and keeps the buffer, as when the browser's connection breaks (sleep, network). */
  disconnectAll(): void;
  /** Messages a client sent (parsed), newest last: what tests look at. */
  received: unknown[];
  close(): Promise<void>;
}

// ANSI escape sequences (CSI and OSC), what charmbracelet/x/ansi.Strip removes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

const startedAt = process.hrtime.bigint();
/** Go's `time.Now().String()`: `2006-01-02 15:04:05.999999999 +0000 UTC m=+0.000000001`. */
export function goTimeString(now = new Date()): string {
  const mono = process.hrtime.bigint() - startedAt;
  const nanos = (BigInt(now.getUTCMilliseconds()) * 1_000_000n + (mono % 1_000_000n)).toString().padStart(9, "0").replace(/0+$/, "");
  const iso = now.toISOString();
  const seconds = `${Number(mono / 1_000_000_000n)}.${(mono % 1_000_000_000n).toString().padStart(9, "0")}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${nanos ? `.${nanos}` : ""} +0000 UTC m=+${seconds}`;
}

/** The Go `json.Marshal` of one invocation (field order and omitempty as the struct says). */
function wire(inv: Stored): string {
  const parts: string[] = [];
  if (inv.id) parts.push(`"id":${JSON.stringify(inv.id)}`);
  if (inv.source) parts.push(`"source":${JSON.stringify(inv.source)}`);
  if (inv.cold) parts.push(`"cold":true`);
  if (inv.input.length) parts.push(`"input":${compact(inv.input)}`);
  if (inv.output !== undefined) parts.push(`"output":${inv.output.length ? compact(inv.output) : "null"}`);
  if (inv.start) parts.push(`"start":${inv.start}`);
  if (inv.end) parts.push(`"end":${inv.end}`);
  parts.push(`"errors":${JSON.stringify(inv.errors)}`);
  parts.push(
    `"logs":${JSON.stringify(
      inv.logs.map((l) => ({ ...(l.id ? { id: l.id } : {}), ...(l.timestamp ? { timestamp: l.timestamp } : {}), ...(l.message ? { message: l.message } : {}) })),
    )}`,
  );
  if (inv.report) parts.push(`"report":${JSON.stringify(inv.report)}`);
  return `{${parts.join(",")}}`;
}

/** Go compacts a RawMessage when marshalling it. */
function compact(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

async function listen(server: Server, host: string, port: number, range: number): Promise<number> {
  const tries = port === 0 ? [0] : Array.from({ length: range }, (_, i) => port + i);
  let last: unknown;
  for (const p of tries) {
    try {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => {
          server.off("listening", onListening);
          reject(err);
        };
        const onListening = () => {
          server.off("error", onError);
          resolve();
        };
        server.once("error", onError);
        server.once("listening", onListening);
        server.listen(p, host);
      });
      return (server.address() as AddressInfo).port;
    } catch (err) {
      last = err;
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    }
  }
  throw Object.assign(new Error(`no free port in ${port}-${port + range - 1}`), { cause: last });
}

export async function startSstDevServer(options: SstDevOptions): Promise<SstDevServer> {
  const mode = options.mode ?? "v3";
  const host = options.host ?? "127.0.0.1";
  const http = createServer((req, res) => {
    // v2 answers /ping for the console's checks, with CORS open (server.ts `rest.all("/ping")`).
    if (mode === "v2" && req.url === "/ping") {
      res.writeHead(200, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, PUT, PATCH, POST, DELETE" });
      res.end("OK");
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on("upgrade", (req, socket, head) => {
    if (req.url !== "/socket") {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  const sockets = new Set<WebSocket>();
  const received: unknown[] = [];

  // v3 state (socket.go)
  let invocations = new Map<string, Stored>();
  let completed: SstDevResource[] | undefined;
  // v2 state (server.ts)
  let buffer: { type: string; properties: Record<string, unknown> }[] = [
    { type: "cli.dev", properties: { stage: options.stage, app: options.app } },
  ];

  const sendAll = (text: string) => {
    for (const ws of sockets) ws.send(text);
  };
  const publishInvocation = (inv: Stored) => sendAll(`{"type":"invocation","properties":[${wire(inv)}]}`);
  const publishV2 = (type: string, properties: Record<string, unknown>) => {
    const msg = { type, properties };
    buffer.push(msg);
    sendAll(JSON.stringify(msg));
  };

  wss.on("connection", (ws) => {
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    ws.on("message", (data) => {
      let parsed: { type?: unknown; properties?: Record<string, unknown> } | undefined;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        return; // socket.go: a message that is not JSON is skipped
      }
      received.push(parsed);
      if (parsed?.type !== "log.cleared") return;
      if (mode === "v3") {
        const source = parsed.properties?.source;
        if (typeof source !== "string") return; // socket.go would panic on the type assertion
        if (source === "all") invocations = new Map();
        else for (const [id, inv] of invocations) if (inv.source === source) invocations.delete(id);
      } else {
        const fid = parsed.properties?.functionID;
        buffer = buffer.filter((msg) => msg.properties?.functionID !== fid);
      }
    });
    if (mode === "v3") {
      ws.send(JSON.stringify({ type: "cli.dev", properties: { app: options.app, stage: options.stage, region: "" } }));
      ws.send(`{"type":"invocation","properties":[${[...invocations.values()].map(wire).join(",")}]}`);
    } else {
      for (const msg of buffer) ws.send(JSON.stringify(msg));
    }
  });

  const port = await listen(http, host, options.port ?? SST_DEV_PORT, options.range ?? SST_DEV_PORT_RANGE);
  const worker = (id?: string) => id ?? "worker-1";

  return {
    port,
    url: `ws://localhost:${port}/socket`,
    mode,
    received,
    connections: () => sockets.size,
    disconnectAll() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
    },
    complete(resources) {
      completed = resources;
    },
    invoked(e) {
      if (mode === "v2") {
        let event: unknown;
        try {
          event = JSON.parse(e.input);
        } catch {
          event = e.input;
        }
        publishV2("function.invoked", {
          workerID: worker(e.workerId),
          functionID: e.functionId,
          requestID: e.requestId,
          env: {},
          event,
          context: { awsRequestId: e.requestId, functionName: e.functionId },
          deadline: Date.now() + 30_000,
        });
        return;
      }
      let source = "";
      for (const r of completed ?? []) if (urnName(r.urn) === e.functionId && r.type === "sst:aws:Function") source = r.urn;
      const inv: Stored = { id: e.requestId, source, cold: e.cold ?? false, input: e.input, start: Date.now(), errors: [], logs: [] };
      invocations.set(e.requestId, inv);
      if (options.keep !== undefined) for (const id of invocations.keys()) if (invocations.size > options.keep) invocations.delete(id);
      publishInvocation(inv);
    },
    log(e) {
      if (mode === "v2") {
        publishV2("worker.stdout", { workerID: worker(e.workerId), functionID: e.functionId, requestID: e.requestId, message: e.line });
        return;
      }
      const inv = invocations.get(e.requestId);
      if (!inv) return;
      inv.logs.push({ id: goTimeString(), timestamp: Date.now(), message: stripAnsi(e.line) });
      publishInvocation(inv);
    },
    response(e) {
      if (mode === "v2") {
        let body: unknown;
        try {
          body = JSON.parse(e.output);
        } catch {
          body = e.output;
        }
        publishV2("function.success", { workerID: worker(e.workerId), functionID: e.functionId, requestID: e.requestId, body });
        return;
      }
      const inv = invocations.get(e.requestId);
      if (!inv) return;
      inv.output = e.output;
      inv.end = Date.now();
      inv.report = { duration: inv.end - inv.start, init: 0, size: 0, memory: 0, xray: "" };
      publishInvocation(inv);
    },
    error(e) {
      if (mode === "v2") {
        publishV2("function.error", {
          workerID: worker(e.workerId),
          functionID: e.functionId,
          requestID: e.requestId,
          errorType: e.errorType,
          errorMessage: e.errorMessage,
          trace: e.trace,
        });
        return;
      }
      const inv = invocations.get(e.requestId);
      if (!inv) return;
      inv.end = Date.now();
      inv.report = { duration: inv.end - inv.start, init: 0, size: 0, memory: 0, xray: "" };
      inv.errors.push({ id: "", error: e.errorType, message: e.errorMessage, stack: e.trace.map((raw) => ({ raw })), failed: true });
      publishInvocation(inv);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
