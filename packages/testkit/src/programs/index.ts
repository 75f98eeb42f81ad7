/**
 * Real traces for the demo and for tests: runs the demo programs (node/handler.ts bundled
 * with esbuild like an SST function, python/handler.py) for one invocation in a child
 * process and returns the CloudWatch log events Lambda would have written for it.
 *
 * The split mirrors Lambda's own: the child runs a small runtime interface client
 * (node/runner.mjs, python/runner.py) that formats application log lines and handler
 * failures exactly as the real clients do; this module plays the platform and adds
 * INIT_START, START, END, REPORT, timeouts (`Status: timeout` and/or the legacy
 * `Task timed out` line after REPORT), runtime exits and out-of-memory kills. Paths are
 * rewritten to /var/task and /var/runtime so stacks look as they do on AWS, and the
 * bundle's source map is returned for mapping them back.
 *
 * Used by the local runtime's demo traffic, the ingest benchmark and the engine's tests.
 * The bundle is built once per process (and cached on disk by content hash).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomInt, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, version as esbuildVersion } from "esbuild";
import type { LogEvent } from "@console/core/issue/extract";

const PROGRAMS = dirname(fileURLToPath(import.meta.url));
const NODE_SOURCE = join(PROGRAMS, "node/handler.ts");
const NODE_RUNNER = join(PROGRAMS, "node/runner.mjs");
const PYTHON_DIR = join(PROGRAMS, "python");
const PYTHON_RUNNER = join(PYTHON_DIR, "runner.py");

/** The path the bundle has inside the function (what stacks show). */
const DEMO_BUNDLE_FILE = "/var/task/index.mjs";

export interface DemoBundle {
  /** The minified bundle. */
  code: string;
  /** Its source map (JSON text), sources relative to the programs folder, with contents. */
  map: string;
  /** `/var/task/index.mjs`: the file name frames carry. */
  file: string;
  /** Where the bundle is on disk. */
  path: string;
}

let bundling: Promise<DemoBundle> | undefined;

/** Bundle the Node demo program (minified ESM, external source map). Cached. */
export function bundleDemo(): Promise<DemoBundle> {
  bundling ??= buildDemo().catch((err: unknown) => {
    bundling = undefined;
    throw err;
  });
  return bundling;
}

/** `sources` as developers know them: `node/handler.ts`, `node_modules/zod/...`. */
function cleanSources(map: { sources: string[] }, outDir: string): void {
  map.sources = map.sources.map((s) => {
    const abs = join(outDir, s);
    const nm = abs.lastIndexOf("/node_modules/");
    return nm !== -1 ? abs.slice(nm + 1) : relative(PROGRAMS, abs);
  });
}

async function buildDemo(): Promise<DemoBundle> {
  const hash = createHash("sha256").update(readFileSync(NODE_SOURCE)).update(esbuildVersion).digest("hex").slice(0, 16);
  const outDir = join(tmpdir(), `console-demo-${hash}`, "task");
  const path = join(outDir, "index.mjs");
  if (existsSync(path) && existsSync(`${path}.map`)) {
    return { code: readFileSync(path, "utf8"), map: readFileSync(`${path}.map`, "utf8"), file: DEMO_BUNDLE_FILE, path };
  }
  const result = await build({
    entryPoints: [NODE_SOURCE],
    bundle: true,
    minify: true,
    sourcemap: "external",
    sourcesContent: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile: path,
    write: false,
    logLevel: "silent",
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".mjs"))!.text;
  const mapJson = JSON.parse(result.outputFiles.find((f) => f.path.endsWith(".map"))!.text) as { sources: string[] };
  cleanSources(mapJson, outDir);
  const map = JSON.stringify(mapJson);
  mkdirSync(outDir, { recursive: true });
  // Write then rename: several processes may build at once.
  const tmp = `${path}.${process.pid}.${randomInt(1e9)}`;
  writeFileSync(`${tmp}.map`, map);
  writeFileSync(tmp, js);
  renameSync(`${tmp}.map`, `${path}.map`);
  renameSync(tmp, path);
  return { code: js, map, file: DEMO_BUNDLE_FILE, path };
}

let python: boolean | undefined;

/** Whether `python3` can run here. The Python demo is optional. */
export function hasPython(): boolean {
  python ??= spawnSync("python3", ["--version"], { stdio: "ignore" }).status === 0;
  return python;
}

class DemoUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoUnavailableError";
  }
}

export type DemoProgram = "node" | "python";

export interface InvokeOptions {
  requestId?: string;
  /** AWS_LAMBDA_LOG_FORMAT. Default text. */
  format?: "text" | "json";
  /** The function's timeout. Default 3000 ms (Lambda's default). */
  timeoutMs?: number;
  /**
   * How the platform reports a timeout: `report` (REPORT `Status: timeout`, today's runtimes),
   * `line` (the legacy `Task timed out after N seconds` after REPORT), or `both`. Default `report`.
   */
  timeoutStyle?: "report" | "line" | "both";
  /** Memory size (MB); the Node heap is limited to it, so `exportAll` runs out. Default 128. */
  memoryMb?: number;
  /** Write INIT_START and Init Duration (each invocation is a fresh process). Default true. */
  coldStart?: boolean;
  /** Shift every timestamp so the invocation starts at this time (ms). */
  startTime?: number;
}

export interface InvokeResult {
  requestId: string;
  events: LogEvent[];
  status: "success" | "error" | "timeout" | "oom" | "crash";
  result?: unknown;
  error?: { errorType: string; errorMessage: string };
  durationMs: number;
}

/** The demo handlers, their bug, and an event that triggers it. For the demo traffic generator. */
export const DEMO_HANDLERS = [
  { program: "node", handler: "shippingLabel", event: { customerId: "c2" }, bug: "TypeError on undefined", outcome: "error" },
  { program: "node", handler: "checkout", event: { total: 250, currency: "EUR" }, bug: "a thrown custom error", outcome: "error" },
  { program: "node", handler: "sendReceipt", event: { orderId: "o-1001" }, bug: "an unhandled promise rejection", outcome: "crash" },
  { program: "node", handler: "syncInventory", event: { sku: "sku-404" }, bug: "console.error(err) of a handled error", outcome: "success" },
  { program: "node", handler: "generateReport", event: { ms: 60_000 }, bug: "slower than the timeout", outcome: "timeout" },
  { program: "node", handler: "createOrder", event: { id: "x", items: [] }, bug: "a zod validation error", outcome: "error" },
  { program: "node", handler: "quote", event: { total: 120 }, bug: "a TypeError inside a library callback", outcome: "error" },
  { program: "node", handler: "exportAll", event: {}, bug: "out of memory", outcome: "oom" },
  { program: "node", handler: "health", event: {}, bug: "none", outcome: "success" },
  { program: "python", handler: "price_quote", event: { sku: "sku-404" }, bug: "KeyError", outcome: "error" },
  { program: "python", handler: "reserve_stock", event: { sku: "sku-1", qty: 5 }, bug: "a raised custom exception", outcome: "error" },
  { program: "python", handler: "audit", event: { skus: ["sku-1", "sku-9"] }, bug: "logger.exception of a handled error", outcome: "success" },
  { program: "python", handler: "health", event: {}, bug: "none", outcome: "success" },
] as const satisfies ReadonlyArray<{ program: DemoProgram; handler: string; event: unknown; bug: string; outcome: InvokeResult["status"] }>;

interface ChildRecord {
  t: "log" | "init-done" | "done";
  ts?: number;
  message?: string;
  result?: unknown;
  error?: { errorType: string; errorMessage: string };
  crashed?: boolean;
  maxRssKb?: number;
}

/** Split a byte stream into lines, calling `onLine` for each complete one. */
function lines(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let buffer = "";
  return {
    push(chunk) {
      buffer += chunk.toString("utf8");
      let i: number;
      while ((i = buffer.indexOf("\n")) !== -1) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    },
    end() {
      if (buffer !== "") onLine(buffer);
      buffer = "";
    },
  };
}

/** A CloudWatch-like event id: 56 digits, increasing with time. */
function eventId(ts: number, seq: number): string {
  return `${String(ts).padStart(16, "0")}${String(seq).padStart(8, "0")}${Array.from({ length: 32 }, () => randomInt(10)).join("")}`;
}

const fmtMs = (ms: number) => ms.toFixed(2);

/**
 * Invoke one demo handler in a child process and return the log events Lambda would have
 * written. Rejects with DemoUnavailableError when the program's runtime is missing.
 */
export async function invoke(program: DemoProgram, handler: string, event: unknown = {}, opts: InvokeOptions = {}): Promise<InvokeResult> {
  const requestId = opts.requestId ?? randomUUID();
  const format = opts.format ?? "text";
  const timeoutMs = opts.timeoutMs ?? 3000;
  const memoryMb = opts.memoryMb ?? 128;
  const cold = opts.coldStart ?? true;
  const eventJson = JSON.stringify(event ?? {});

  let command: string;
  let args: string[];
  let rewrites: Array<[string, string]>;
  let runtimeVersion: string;
  if (program === "node") {
    const demo = await bundleDemo();
    const taskDir = dirname(demo.path);
    command = process.execPath;
    args = [`--max-old-space-size=${memoryMb}`, NODE_RUNNER, demo.path, handler, requestId, format, eventJson, String(timeoutMs)];
    rewrites = [
      [`file://${NODE_RUNNER}`, "file:///var/runtime/index.mjs"],
      [NODE_RUNNER, "/var/runtime/index.mjs"],
      [`file://${taskDir}/`, "file:///var/task/"],
      [`${taskDir}/`, "/var/task/"],
    ];
    runtimeVersion = `nodejs:${process.versions.node.split(".")[0]}.v1`;
  } else {
    if (!hasPython()) throw new DemoUnavailableError("python3 is not installed: the Python demo is unavailable");
    command = "python3";
    args = [PYTHON_RUNNER, join(PYTHON_DIR, "handler.py"), handler, requestId, format, eventJson];
    rewrites = [
      [PYTHON_RUNNER, "/var/runtime/bootstrap.py"],
      [`${PYTHON_DIR}/`, "/var/task/"],
    ];
    runtimeVersion = "python:3.12.v1";
  }
  const rewrite = (text: string) => rewrites.reduce((t, [from, to]) => t.split(from).join(to), text);

  const t0 = Date.now();
  const out: Array<{ ts: number; message: string }> = [];
  const add = (message: string, ts = Date.now()) => out.push({ ts, message });
  if (cold) add(`INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:${"0".repeat(64)}`, t0);

  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe", "pipe"] });
  let startedAt = 0;
  let done: ChildRecord | undefined;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const stderr: string[] = [];

  const records = lines((line) => {
    let r: ChildRecord;
    try {
      r = JSON.parse(line) as ChildRecord;
    } catch {
      return;
    }
    if (r.t === "log" && r.message !== undefined) add(rewrite(r.message), Math.round(r.ts ?? Date.now()));
    else if (r.t === "init-done") {
      // The child's own clock, as its log lines: read late (a busy machine), START must not
      // land after the first lines the handler printed.
      startedAt = Math.round(r.ts ?? Date.now());
      add(`START RequestId: ${requestId} Version: $LATEST`, startedAt);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, timeoutMs);
    } else if (r.t === "done") done = r;
  });
  const stdout = lines((line) => add(rewrite(line)));
  const errLines = lines((line) => stderr.push(line));
  (child.stdio[3] as NodeJS.ReadableStream).on("data", (c: Buffer) => records.push(c));
  child.stdout!.on("data", (c: Buffer) => stdout.push(c));
  child.stderr!.on("data", (c: Buffer) => errLines.push(c));

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  records.end();
  stdout.end();
  errLines.end();

  const end = Date.now();
  const began = startedAt || end;
  const duration = end - began;
  const oom = !timedOut && (exit.signal === "SIGABRT" || stderr.some((l) => l.includes("heap out of memory") || l.includes("MemoryError")));
  // Lambda captures stderr too; V8's own OOM report is not something Lambda would show.
  if (!oom) for (const l of stderr) add(rewrite(l));
  if (!startedAt) add(`START RequestId: ${requestId} Version: $LATEST`, end);

  const maxUsed = oom ? memoryMb : Math.min(memoryMb, Math.max(1, Math.round((done?.maxRssKb ?? 40_000) / 1024)));
  const reportBase = [`REPORT RequestId: ${requestId}`, `Duration: ${fmtMs(timedOut ? timeoutMs : duration)} ms`, `Billed Duration: ${Math.ceil(timedOut ? timeoutMs : duration)} ms`, `Memory Size: ${memoryMb} MB`, `Max Memory Used: ${maxUsed} MB`];
  if (cold) reportBase.push(`Init Duration: ${fmtMs(began - t0)} ms`);
  const report = (...extra: string[]) => add([...reportBase, ...extra].join("\t"), end);

  let status: InvokeResult["status"];
  if (timedOut) {
    status = "timeout";
    const style = opts.timeoutStyle ?? "report";
    add(`END RequestId: ${requestId}`, end);
    if (style === "line") report();
    else report("Status: timeout");
    if (style !== "report") add(`${new Date(end).toISOString()} ${requestId} Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, end);
  } else if (oom) {
    status = "oom";
    add(`RequestId: ${requestId} Error: Runtime exited with error: signal: killed\nRuntime.ExitError`, end);
    add(`END RequestId: ${requestId}`, end);
    report("Status: error", "Error Type: Runtime.OutOfMemory");
  } else if (done && !done.crashed) {
    status = done.error ? "error" : "success";
    add(`END RequestId: ${requestId}`, end);
    report();
  } else {
    status = "crash";
    const why = exit.signal ? `signal: ${exit.signal === "SIGKILL" ? "killed" : exit.signal.toLowerCase()}` : `exit status ${exit.code ?? 1}`;
    add(`RequestId: ${requestId} Error: Runtime exited with error: ${why}\nRuntime.ExitError`, end);
    add(`END RequestId: ${requestId}`, end);
    report("Status: error", "Error Type: Runtime.ExitError");
  }

  const shift = opts.startTime !== undefined ? opts.startTime - t0 : 0;
  const events = out.map((e, i) => ({ id: eventId(e.ts + shift, i), timestamp: e.ts + shift, message: e.message }));
  const result: InvokeResult = { requestId, events, status, durationMs: duration };
  if (done?.error) result.error = done.error;
  if (done && "result" in done) result.result = done.result;
  return result;
}
