/**
 * The browser's connection to the local server of `sst dev`. Nothing of it passes through
 * the console's servers: the page opens the WebSocket to localhost itself.
 *
 * Where it looks, in this order, then again after a pause, for as long as the page is open:
 * - SST's own console's addresses (sst/console `packages/web/workspace/src/providers/local.tsx`):
 *   `ws://localhost:13557/socket`, `wss://localhost:13557/socket` (v2 serves HTTPS on its own
 *   port when mkcert is installed) and `wss://localhost:14557/socket` (v3's HTTPS proxy on
 *   port + 1000 after `sst cert`, `pkg/server/server.go`);
 * - then the next ports v3 falls back to when 13557 is taken (`pkg/server/server.go` `port()`
 *   counts up): `ws://localhost:13558/socket` … `13566`;
 * - with `?_port=N` in the address (what SST v2 prints when it is not on 13557, `cli/local/
 *   server.ts`), only port N: `ws://` and `wss://` on N, then `wss://` on N + 1000.
 * SST's console retries every 3 s after a close or an error; this one goes straight to the
 * next address after an error (a closed local port refuses at once) and pauses 3 s after a
 * full round or a lost connection.
 */
import { parseMessage, type CliDev, type LocalMessage } from "./protocol";

export const SST_PORT = 13557;
/** v3 tries 13557, then counts up; the console looks this far. */
export const EXTRA_PORTS = 9;
export const RETRY_MS = 3000;

export function localUrls(port?: number): string[] {
  if (port) return [`ws://localhost:${port}/socket`, `wss://localhost:${port}/socket`, `wss://localhost:${port + 1000}/socket`];
  return [
    `ws://localhost:${SST_PORT}/socket`,
    `wss://localhost:${SST_PORT}/socket`,
    `wss://localhost:${SST_PORT + 1000}/socket`,
    ...Array.from({ length: EXTRA_PORTS }, (_, i) => `ws://localhost:${SST_PORT + 1 + i}/socket`),
  ];
}

/** The `_port` of an address's query (`?_port=13560`), when it is a port number. */
export function portFromSearch(search: string): number | undefined {
  const raw = new URLSearchParams(search).get("_port");
  if (!raw || !/^\d{1,5}$/.test(raw)) return undefined;
  const port = Number(raw);
  return port >= 1 && port <= 64535 ? port : undefined;
}

/** What the browser's WebSocket offers that this needs (Node's `ws` package fits too). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

export type LocalStatus = "connecting" | "connected";

export interface LocalConnectionOptions {
  urls: string[];
  socket?: SocketFactory;
  retryMs?: number;
  onMessage(msg: LocalMessage): void;
  /** A socket opened (`url`), or was lost (`undefined`). */
  onStatus(status: LocalStatus, url: string | undefined): void;
  onDev(dev: CliDev | undefined): void;
  /** A full round of addresses failed (how many rounds so far). */
  onRound?(rounds: number): void;
}

const OPEN = 1;

export class LocalConnection {
  private ws: SocketLike | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private index = 0;
  private rounds = 0;
  private stopped = false;
  dev: CliDev | undefined;
  url: string | undefined;

  constructor(private readonly options: LocalConnectionOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.onclose = ws.onerror = ws.onmessage = ws.onopen = null;
      ws.close();
    }
  }

  /** Sends a message when connected; returns whether it was sent. */
  send(text: string): boolean {
    if (!this.ws || this.ws.readyState !== OPEN || !this.url) return false;
    this.ws.send(text);
    return true;
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect();
    }, delay);
  }

  private connect() {
    if (this.stopped) return;
    const urls = this.options.urls;
    const url = urls[this.index % urls.length]!;
    const factory = this.options.socket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
    let ws: SocketLike;
    try {
      ws = factory(url);
    } catch {
      this.next();
      return;
    }
    this.ws = ws;
    let opened = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      if (this.ws === ws) this.ws = undefined;
      if (opened) {
        // A lost connection: start the round again from the address that worked.
        this.url = undefined;
        this.dev = undefined;
        this.options.onDev(undefined);
        this.options.onStatus("connecting", undefined);
        this.schedule(this.options.retryMs ?? RETRY_MS);
      } else {
        this.next();
      }
    };
    ws.onopen = () => {
      opened = true;
      this.rounds = 0;
      this.url = url;
      this.options.onStatus("connected", url);
    };
    ws.onmessage = (ev) => {
      const msg = parseMessage(ev.data);
      if (!msg) return;
      if (msg.type === "cli.dev") {
        this.dev = msg.dev;
        this.options.onDev(msg.dev);
      }
      this.options.onMessage(msg);
    };
    ws.onclose = finish;
    ws.onerror = () => {
      finish();
      try {
        ws.close();
      } catch {
        // already closed
      }
    };
  }

  private next() {
    this.index++;
    if (this.index % this.options.urls.length === 0) {
      this.rounds++;
      this.options.onRound?.(this.rounds);
      this.schedule(this.options.retryMs ?? RETRY_MS);
    } else {
      this.schedule(0);
    }
  }
}
