/**
 * The messages of the `sst dev` local server's `/socket`, as SST's own source writes them
 * (read in the public sst/sst repository; the console's own demo server,
 * packages/functions/src/local/sst-dev/server.ts, plays them and cites the same files):
 *
 * - v3/v4, `cmd/sst/mosaic/socket/socket.go` at 4077fee16c6cf2e0bcddcc6eaae7643f7d66b597:
 *   `cli.dev` `{app, stage, region}` (region always present, empty), then `invocation` with an
 *   array of whole invocations `{id, source?, cold?, input?, output?, start?, end?,
 *   errors: [{id, error, message, stack: [{raw}], failed}], logs: [{id?, timestamp?, message?}],
 *   report?: {duration, init, size, memory, xray}}`, first every buffered one, then each one
 *   again whenever it changes. Client to server: `log.cleared` `{source}` (`"all"` for all).
 * - v2, `packages/sst/src/cli/local/server.ts` at 729c9e56e104f62b3ceef87cb171d9147c3e0dd3
 *   (bus shapes: `packages/sst/src/runtime/runtime.ts`, `workers.ts`): `cli.dev` `{stage, app}`
 *   (no region), then the bus events `function.invoked` `{workerID, functionID, requestID,
 *   event, context}`, `worker.stdout` `{functionID, requestID, message}`, `function.success`
 *   `{functionID, requestID?, body}`, `function.error` `{functionID, requestID?, errorType,
 *   errorMessage, trace}`, replayed in full to each new socket. `log.cleared` `{functionID}`.
 *   Older v2 `function.error` events name the stack `stackTrace`; both are read.
 *
 * Anything else is ignored: the server is on the developer's machine, and what it sends is
 * read defensively (types checked, sizes bounded by the store).
 */

export interface CliDev {
  app: string;
  stage: string;
  region?: string;
  /** `v3` when the server sent a region key (SST v3 and v4 always do), else `v2`. */
  version: "v3" | "v2";
}

export interface WireError {
  id?: string;
  error?: string;
  message?: string;
  stack?: { raw?: string }[];
  failed?: boolean;
}

export interface WireLog {
  id?: string;
  timestamp?: number;
  message?: string;
}

/** An invocation as v3 sends it; any field may be missing in an update. */
export interface WireInvocation {
  id: string;
  source?: string;
  cold?: boolean;
  input?: unknown;
  output?: unknown;
  /** Whether `output` was in the message (it may be `null`). */
  hasOutput: boolean;
  start?: number;
  end?: number;
  errors?: WireError[];
  logs?: WireLog[];
  report?: { duration?: number; init?: number; size?: number; memory?: number; xray?: string };
}

export type LocalMessage =
  | { type: "cli.dev"; dev: CliDev }
  | { type: "invocation"; invocations: WireInvocation[] }
  | { type: "function.invoked"; functionID: string; requestID: string; event: unknown }
  | { type: "worker.stdout"; functionID: string; requestID?: string; message: string }
  | { type: "function.success"; functionID: string; requestID?: string; body: unknown }
  | { type: "function.error"; functionID: string; requestID?: string; errorType: string; errorMessage: string; trace: string[] };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function invocationOf(v: unknown): WireInvocation | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v.id);
  if (!id) return undefined;
  const report = isObj(v.report)
    ? { duration: num(v.report.duration), init: num(v.report.init), size: num(v.report.size), memory: num(v.report.memory), xray: str(v.report.xray) }
    : undefined;
  return {
    id,
    source: str(v.source),
    cold: v.cold === true ? true : undefined,
    input: v.input,
    output: v.output,
    hasOutput: "output" in v,
    start: num(v.start),
    end: num(v.end),
    errors: Array.isArray(v.errors)
      ? v.errors.filter(isObj).map((e) => ({
          id: str(e.id),
          error: str(e.error),
          message: str(e.message),
          stack: Array.isArray(e.stack) ? e.stack.filter(isObj).map((f) => ({ raw: str(f.raw) })) : [],
          failed: e.failed === true,
        }))
      : undefined,
    logs: Array.isArray(v.logs)
      ? v.logs.filter(isObj).map((l) => ({ id: str(l.id), timestamp: num(l.timestamp), message: str(l.message) }))
      : undefined,
    report,
  };
}

/** One message of the socket, or undefined for what this console does not read. */
export function parseMessage(data: unknown): LocalMessage | undefined {
  if (typeof data !== "string") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObj(parsed)) return undefined;
  const p = parsed.properties;
  switch (parsed.type) {
    case "cli.dev": {
      if (!isObj(p)) return undefined;
      const app = str(p.app);
      const stage = str(p.stage);
      if (!app || !stage) return undefined;
      const region = str(p.region);
      return { type: "cli.dev", dev: { app, stage, region: region || undefined, version: "region" in p ? "v3" : "v2" } };
    }
    case "invocation": {
      const list = Array.isArray(p) ? p : [p];
      return { type: "invocation", invocations: list.map(invocationOf).filter((x): x is WireInvocation => !!x) };
    }
    case "function.invoked": {
      if (!isObj(p)) return undefined;
      const functionID = str(p.functionID);
      const requestID = str(p.requestID) ?? (isObj(p.context) ? str(p.context.awsRequestId) : undefined);
      if (!functionID || !requestID) return undefined;
      return { type: "function.invoked", functionID, requestID, event: p.event };
    }
    case "worker.stdout": {
      if (!isObj(p)) return undefined;
      const functionID = str(p.functionID);
      const message = str(p.message);
      if (!functionID || message === undefined) return undefined;
      return { type: "worker.stdout", functionID, requestID: str(p.requestID), message };
    }
    case "function.success": {
      if (!isObj(p)) return undefined;
      const functionID = str(p.functionID);
      if (!functionID) return undefined;
      return { type: "function.success", functionID, requestID: str(p.requestID), body: p.body };
    }
    case "function.error": {
      if (!isObj(p)) return undefined;
      const functionID = str(p.functionID);
      if (!functionID) return undefined;
      return {
        type: "function.error",
        functionID,
        requestID: str(p.requestID),
        errorType: str(p.errorType) ?? "Error",
        errorMessage: str(p.errorMessage) ?? "",
        trace: strings(p.trace ?? p.stackTrace),
      };
    }
    default:
      return undefined;
  }
}

/** The `log.cleared` messages that clear `sources` (v3: one per source, or `all`; v2: by functionID). */
export function clearMessages(version: CliDev["version"], sources: string[] | "all"): string[] {
  if (version === "v3" && sources === "all") return [JSON.stringify({ type: "log.cleared", properties: { source: "all" } })];
  const list = sources === "all" ? [] : sources;
  return list.map((source) =>
    JSON.stringify({ type: "log.cleared", properties: version === "v3" ? { source } : { source, functionID: source } }),
  );
}
