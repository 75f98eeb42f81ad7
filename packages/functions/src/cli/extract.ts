/**
 * `npm run --silent cli -- extract [--sourcemaps DIR] [FILE]`
 *
 * Detects errors in Lambda log events and prints one JSON object per error, one per line:
 * `{"type","message","requestId"?,"frames":[{"file","line","column","function","inApp","source"?}],"fingerprint","eventIds"}`.
 *
 * Input (FILE, or stdin when FILE is absent or `-`), one item per line, each one of:
 * - a CloudWatch log event `{"id"?, "timestamp", "message", "logGroup"?, "logStream"?}`;
 * - a decoded subscription payload `{"messageType", "logGroup", "logStream", "logEvents": [...]}`
 *   (CONTROL_MESSAGE payloads are skipped);
 * - the base64 of a gzipped subscription payload (a Kinesis record's data).
 * Events of one log stream (log group + stream) are read in order, as one stream; streams
 * may be interleaved.
 *
 * `--sourcemaps DIR` maps frames whose file's base name X has a `DIR/X.map`.
 *
 * It runs the consumer's pipeline (@console/core/issue/pipeline): the same decode, detect and
 * enrich stages with the same work cache (each distinct stack mapped and fingerprinted once,
 * its repeats reuse the result; each map parsed once). Only the source (input lines) and the
 * sink (stdout) are the CLI's own. The errors of one input line are enriched together.
 *
 * Exit codes: 0 when the input was read to the end, including when some lines were bad
 * (each is reported on stderr as `line N: reason` and skipped); 1 when the input or the
 * output cannot be read or written (missing file, closed pipe); 2 for a usage error.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import { dirProvider, type DetectedError, type Extracted, type Frame, type LogEvent } from "@console/core/issue/extract";
import { decodeParsed, decodeRecord, Pipeline, type PipelineStream } from "@console/core/issue/pipeline";

const USAGE = "usage: extract [--sourcemaps DIR] [FILE]\n";

interface Options {
  sourcemaps?: string;
  file?: string;
}

function parseArgs(args: string[]): Options | string {
  const opts: Options = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--sourcemaps") {
      const dir = args[++i];
      if (!dir) return "--sourcemaps needs a directory";
      opts.sourcemaps = dir;
    } else if (a.startsWith("--sourcemaps=")) opts.sourcemaps = a.slice("--sourcemaps=".length);
    else if (a === "-h" || a === "--help") return "";
    else if (a.startsWith("-") && a !== "-") return `unknown option ${a}`;
    else if (opts.file !== undefined) return "only one FILE can be given";
    else opts.file = a;
  }
  return opts;
}

type Item = { events: LogEvent[]; logGroup?: string; logStream?: string } | { skip: true };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Read one input line; throws with a reason for a bad line. */
function readItem(line: string): Item {
  if (line.startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error("not valid JSON");
    }
    if (!isObject(json)) throw new Error("not a JSON object");
    if ("logEvents" in json || "messageType" in json) {
      const payload = decodeParsed(json);
      if (!payload) return { skip: true };
      return { events: payload.logEvents, logGroup: payload.logGroup, logStream: payload.logStream };
    }
    if (typeof json.message !== "string" || typeof json.timestamp !== "number") throw new Error("a log event needs a string message and a numeric timestamp");
    const event: LogEvent = { timestamp: json.timestamp, message: json.message };
    if (typeof json.id === "string") event.id = json.id;
    const item: Item = { events: [event] };
    if (typeof json.logGroup === "string") item.logGroup = json.logGroup;
    if (typeof json.logStream === "string") item.logStream = json.logStream;
    return item;
  }
  let payload;
  try {
    payload = decodeRecord(line);
  } catch (err) {
    throw new Error(`neither JSON nor base64 of a gzipped payload (${(err as Error).message})`);
  }
  if (!payload) return { skip: true };
  return { events: payload.logEvents, logGroup: payload.logGroup, logStream: payload.logStream };
}

function frameOut(f: Frame) {
  const out: Record<string, unknown> = { file: f.file, line: f.line ?? null, column: f.column ?? null, function: f.function ?? null, inApp: f.inApp };
  if (f.context) out.source = f.context;
  return out;
}

function errorOut({ error, fingerprint }: Extracted): string {
  const out: Record<string, unknown> = { type: error.type, message: error.message };
  if (error.requestId) out.requestId = error.requestId;
  out.frames = error.frames.map(frameOut);
  out.fingerprint = fingerprint.hash;
  out.eventIds = error.eventIds;
  return JSON.stringify(out);
}

class OutputError extends Error {}

function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(new OutputError(err.message)) : resolve()));
  });
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    process.stderr.write(parsed === "" ? USAGE : `${parsed}\n${USAGE}`);
    return parsed === "" ? 0 : 2;
  }
  if (parsed.sourcemaps !== undefined) {
    let reason: string | undefined;
    try {
      if (!(await stat(parsed.sourcemaps)).isDirectory()) reason = "is not a directory";
    } catch (err) {
      reason = `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    if (reason) {
      process.stderr.write(`--sourcemaps: ${parsed.sourcemaps} ${reason}\n`);
      return 1;
    }
  }
  const sourcemaps = parsed.sourcemaps
    ? {
        provider: dirProvider(parsed.sourcemaps),
        shouldMap: (f: Frame) => f.line !== undefined && f.column !== undefined && !f.file.includes("node_modules/"),
      }
    : undefined;

  const input = parsed.file && parsed.file !== "-" ? createReadStream(parsed.file) : process.stdin;
  const pipeline = new Pipeline();
  // Streams by log group, then log stream; lines of one stream mostly come together, so the
  // last one is tried first (no key is built or hashed for it).
  const streams = new Map<string, Map<string, PipelineStream>>();
  const all: PipelineStream[] = [];
  let last: { logGroup?: string; logStream?: string; stream: PipelineStream } | undefined;
  const streamFor = (logGroup?: string, logStream?: string): PipelineStream => {
    if (last && last.logGroup === logGroup && last.logStream === logStream) return last.stream;
    let byStream = streams.get(logGroup ?? "");
    if (!byStream) streams.set(logGroup ?? "", (byStream = new Map()));
    let s = byStream.get(logStream ?? "");
    if (!s) {
      const functionName = logGroup?.startsWith("/aws/lambda/") ? logGroup.slice("/aws/lambda/".length) : undefined;
      s = pipeline.stream({ logGroup, logStream, functionName }, sourcemaps ? { sourcemaps } : {});
      byStream.set(logStream ?? "", s);
      all.push(s);
    }
    last = { logGroup, logStream, stream: s };
    return s;
  };
  // Output leaves in one write per chunk of input (once the lines read so far are done, as
  // the reader waits for more), not one per error; a slow reader holds the input back.
  let pending = "";
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();
  let outputFailure: Error | undefined;
  const flushOutput = (): Promise<void> => {
    scheduled = false;
    if (pending !== "") {
      const text = pending;
      pending = "";
      writing = writing.then(() => write(text)).catch((err: Error) => {
        outputFailure ??= err;
      });
    }
    return writing;
  };
  const emit = async (stream: PipelineStream, errors: DetectedError[]) => {
    if (outputFailure) throw outputFailure;
    if (errors.length === 0) return;
    for (const e of await pipeline.enrich(stream, errors)) pending += errorOut(e) + "\n";
    if (pending.length >= 1024 * 1024) await flushOutput();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(() => void flushOutput());
    }
  };

  let lineNo = 0;
  try {
    const lines = createInterface({ input, crlfDelay: Infinity });
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (line === "") continue;
      let item: Item;
      try {
        item = readItem(line);
      } catch (err) {
        process.stderr.write(`line ${lineNo}: ${(err as Error).message}\n`);
        continue;
      }
      if ("skip" in item) continue;
      const stream = streamFor(item.logGroup, item.logStream);
      const found = pipeline.detect(stream, item.events);
      if (found.length) await emit(stream, found);
    }
    for (const stream of all) await emit(stream, pipeline.detect(stream, [], true));
    await flushOutput();
    if (outputFailure) throw outputFailure;
  } catch (err) {
    // What was found before a bad input still goes out.
    if (!(err instanceof OutputError)) await flushOutput();
    process.stderr.write(`${err instanceof OutputError ? "output" : "input"}: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}
