/**
 * The local `sst dev` as the web app sees it: one connection for the whole signed-in app
 * (started by the first component that asks), its state as Solid signals, and the
 * invocations it streamed. See ./connection.ts for where it looks and ./protocol.ts for
 * the messages (and the SST sources they follow).
 */
import { createRoot, createSignal, type Accessor } from "solid-js";
import { LocalConnection, localUrls, portFromSearch, type LocalStatus, type SocketFactory } from "./connection";
import { clearMessages, type CliDev } from "./protocol";
import { InvocationStore, type LocalInvocation } from "./store";

export type { CliDev } from "./protocol";
export type { LocalError, LocalInvocation, LocalLog } from "./store";

const PORT_KEY = "console.local.port";

export interface Local {
  status: Accessor<LocalStatus>;
  /** The app and stage `sst dev` runs, while connected. */
  dev: Accessor<CliDev | undefined>;
  /** The last app and stage seen (kept when the connection drops: its invocations stay). */
  lastDev: Accessor<CliDev | undefined>;
  url: Accessor<string | undefined>;
  /** How many full rounds of addresses failed since the last connection. */
  rounds: Accessor<number>;
  /** The port given with `?_port=` (this tab only), if any. */
  port: Accessor<number | undefined>;
  invocations: Accessor<LocalInvocation[]>;
  /** Clears invocations here and in `sst dev` (`log.cleared`). */
  clear(sources: string[] | "all"): void;
  /** Looks at one port only (`?_port=`), or at the usual addresses again (undefined). */
  usePort(port: number | undefined): void;
}

function readPort(): number | undefined {
  const fromUrl = typeof location !== "undefined" ? portFromSearch(location.search) : undefined;
  try {
    if (fromUrl) sessionStorage.setItem(PORT_KEY, String(fromUrl));
    return fromUrl ?? portFromSearch(`?_port=${sessionStorage.getItem(PORT_KEY) ?? ""}`);
  } catch {
    return fromUrl;
  }
}

export function createLocal(options: { port?: number; socket?: SocketFactory; retryMs?: number } = {}): Local & { stop(): void } {
  const [status, setStatus] = createSignal<LocalStatus>("connecting");
  const [dev, setDev] = createSignal<CliDev>();
  const [lastDev, setLastDev] = createSignal<CliDev>();
  const [url, setUrl] = createSignal<string>();
  const [rounds, setRounds] = createSignal(0);
  const [port, setPort] = createSignal(options.port);
  const [version, setVersion] = createSignal(0);
  const store = new InvocationStore();
  const bump = () => setVersion((v) => v + 1);

  let connection: LocalConnection | undefined;
  const open = () => {
    connection?.stop();
    connection = new LocalConnection({
      urls: localUrls(port()),
      socket: options.socket,
      retryMs: options.retryMs,
      onStatus(s, u) {
        setStatus(s);
        setUrl(u);
        if (s === "connected") {
          setRounds(0);
          store.connected();
        }
      },
      onDev(d) {
        setDev(d);
        if (!d) return;
        const last = lastDev();
        // Another app or stage: the invocations of the previous one are not its.
        if (last && (last.app !== d.app || last.stage !== d.stage)) {
          store.clear("all");
          bump();
        }
        setLastDev(d);
      },
      onRound: setRounds,
      onMessage(msg) {
        if (store.apply(msg)) bump();
      },
    });
    connection.start();
  };
  open();

  return {
    status,
    dev,
    lastDev,
    url,
    rounds,
    port,
    invocations: () => {
      version();
      return store.list();
    },
    clear(sources) {
      const version = dev()?.version ?? lastDev()?.version ?? "v3";
      const list = sources === "all" && version === "v2" ? store.sources() : sources;
      store.clear(sources);
      bump();
      for (const text of clearMessages(version, list)) connection?.send(text);
    },
    usePort(p) {
      if (p === port()) return;
      try {
        if (p) sessionStorage.setItem(PORT_KEY, String(p));
        else sessionStorage.removeItem(PORT_KEY);
      } catch {
        // this tab only
      }
      setPort(p);
      setStatus("connecting");
      setDev(undefined);
      setRounds(0);
      open();
    },
    stop() {
      connection?.stop();
    },
  };
}

let shared: Local | undefined;

/** The app's one connection to `sst dev` (started on first use, kept for the page's life). */
export function useLocal(): Local {
  if (!shared) shared = createRoot(() => createLocal({ port: readPort() }));
  return shared;
}

/** Whether `sst dev` runs this app and stage right now. */
export function runsLocally(local: Local, stage: { app: string; name: string }): boolean {
  const d = local.dev();
  return !!d && d.app === stage.app && d.stage === stage.name;
}
