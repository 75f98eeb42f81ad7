/**
 * Logs benchmark.
 *  1. Rebuild invocations (request ids, REPORT fields, statuses, errors via the issue
 *     detector) from 1,000,000 realistic Lambda log lines of 200 streams, text and JSON
 *     formats, cold and warm starts, errors, timeouts and OOM kills; against the floor of
 *     splitting the same text into lines.
 *  2. The live tail's added delay: events put into the emulator's CloudWatch Logs, read by
 *     the TailHub (FilterLogEvents, one poller, overlap and dedupe) and sent through a
 *     hono `streamSSE` server to a fetch client on 127.0.0.1; the time from PutLogEvents
 *     returning (the event is readable) to its arrival in the client.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { getRequestListener } from "@hono/node-server";
import { ms, progress } from "./setup";
import { startMoto } from "../../packages/functions/src/local/moto";
import { rebuildInvocations, type RawLine } from "../../packages/core/src/log/invocations";
import { TailHub } from "../../packages/core/src/log/live";

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const LIVE_EVENTS = Number(process.env.BENCH_LIVE_EVENTS ?? 60);

// ---------------------------------------------------------------- 1. rebuild
progress(`generating ${LINES} lines...`);
const parts: string[] = [];
let n = 0;
let t = 1_760_000_000_000;
const streams = Array.from({ length: 200 }, (_, i) => `2026/01/01/[$LATEST]${i.toString(16).padStart(32, "0")}`);
const warm = new Set<number>();
const iso = (x: number) => new Date(x).toISOString();
while (n < LINES) {
  const s = n % 200;
  const stream = streams[s]!;
  const rid = randomUUID();
  const json = s % 4 === 0;
  const kind = n % 97 === 0 ? "error" : n % 389 === 0 ? "timeout" : n % 997 === 0 ? "oom" : "ok";
  const out: string[] = [];
  if (!warm.has(s)) {
    warm.add(s);
    out.push(json ? JSON.stringify({ time: iso(t), type: "platform.initStart", record: { runtimeVersion: "nodejs:20.v13", phase: "init" } }) : "INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc");
  }
  out.push(json ? JSON.stringify({ time: iso(t), type: "platform.start", record: { requestId: rid, version: "$LATEST" } }) : `START RequestId: ${rid} Version: $LATEST`);
  for (let k = 0; k < 4; k++) out.push(json ? JSON.stringify({ timestamp: iso(t), level: "INFO", requestId: rid, message: `handled item ${k}`, path: "/items" }) : `${iso(t)}\t${rid}\tINFO\thandled item ${k} of /items`);
  if (kind === "error") out.push(`${iso(t)}\t${rid}\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined (reading 'id')","stack":["TypeError: Cannot read properties of undefined (reading 'id')","    at handler (file:///var/task/index.mjs:12:20)"]}`);
  out.push(json ? JSON.stringify({ time: iso(t), type: "platform.runtimeDone", record: { requestId: rid, status: "success" } }) : `END RequestId: ${rid}`);
  const status = kind === "timeout" ? "\tStatus: timeout" : kind === "oom" ? "\tStatus: error\tError Type: Runtime.OutOfMemory" : "";
  out.push(json ? JSON.stringify({ time: iso(t), type: "platform.report", record: { requestId: rid, status: kind === "ok" || kind === "error" ? "success" : kind === "timeout" ? "timeout" : "error", metrics: { durationMs: 12.3, billedDurationMs: 13, memorySizeMB: 128, maxMemoryUsedMB: 70 } } }) : `REPORT RequestId: ${rid}\tDuration: 12.30 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t${status}`);
  for (const m of out) {
    parts.push(`${t}\t${s}\t${m}`);
    t += 1;
    n++;
  }
}
const text = parts.join("\n");
parts.length = 0;
progress(`${(text.length / 1e6).toFixed(0)} MB of text`);

function floor(): number {
  const t0 = performance.now();
  const lines = text.split("\n");
  if (lines.length < LINES) throw new Error("short");
  return performance.now() - t0;
}
function rebuild(): { ms: number; invocations: number } {
  const t0 = performance.now();
  const raw: RawLine[] = [];
  for (const line of text.split("\n")) {
    const a = line.indexOf("\t");
    const b = line.indexOf("\t", a + 1);
    raw.push({ id: "", timestamp: Number(line.slice(0, a)), stream: streams[Number(line.slice(a + 1, b))], message: line.slice(b + 1) });
  }
  for (let i = 0; i < raw.length; i++) raw[i]!.id = String(i);
  const invs = rebuildInvocations(raw);
  return { ms: performance.now() - t0, invocations: invs.length };
}
floor();
const floorMs = Math.min(floor(), floor(), floor());
progress("rebuilding...");
const r1 = rebuild();
const r2 = rebuild();
const rebuildMs = Math.min(r1.ms, r2.ms);
const linesPerSec = Math.round(LINES / (rebuildMs / 1000));
const floorLinesPerSec = Math.round(LINES / (floorMs / 1000));
console.log(`rebuild: ${LINES} lines → ${r1.invocations} invocations and groups in ${ms(rebuildMs)} (${linesPerSec.toLocaleString()} lines/s)`);
console.log(`floor (split the text into lines): ${ms(floorMs)} (${floorLinesPerSec.toLocaleString()} lines/s); rebuild is ${(rebuildMs / floorMs).toFixed(1)}× the floor`);

// ---------------------------------------------------------------- 2. live delay
progress("starting the emulator...");
const moto = await startMoto();
const hub = new TailHub({ intervalMs: 1000, overlapMs: 10_000 });
const logs = new CloudWatchLogsClient({ endpoint: moto.url, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } });
const group = "/aws/lambda/bench-live";
const delays: number[] = [];
try {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: "s" }));
  const readable = new Map<string, number>();
  const app = new Hono().get("/live", (c) =>
    streamSSE(c, async (stream) => {
      await new Promise<void>((resolve) => {
        const stop = hub.watch(group, {
          async read({ start, end }) {
            const res = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: start, endTime: end, limit: 10_000 }));
            return (res.events ?? []).map((e) => ({ id: e.eventId!, timestamp: e.timestamp!, message: e.message ?? "" }));
          },
        }, {
          send: (lines) => stream.writeSSE({ event: "lines", data: JSON.stringify(lines) }),
          close: () => resolve(),
        });
        stream.onAbort(() => { stop(); resolve(); });
      });
    }),
  );
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  const ctrl = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}/live`, { signal: ctrl.signal });
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) !== -1) {
        const ev = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = ev.split("\n").find((l) => l.startsWith("data: "))?.slice(6);
        if (!data) continue;
        const now = performance.now();
        for (const l of JSON.parse(data) as { message: string }[]) {
          const at = readable.get(l.message);
          if (at !== undefined) delays.push(now - at);
        }
      }
    }
  })();
  progress(`putting ${LIVE_EVENTS} events at random moments...`);
  for (let i = 0; i < LIVE_EVENTS; i++) {
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
    const message = `live ${i} ${randomUUID()}`;
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: "s", logEvents: [{ timestamp: Date.now(), message }] }));
    readable.set(message, performance.now());
  }
  const deadline = performance.now() + 5000;
  while (delays.length < LIVE_EVENTS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  ctrl.abort();
  await reading;
  hub.close();
  server.close();
} finally {
  logs.destroy();
  await moto.stop();
}
delays.sort((a, b) => a - b);
const q = (p: number) => delays[Math.min(delays.length - 1, Math.floor(p * delays.length))] ?? NaN;
const liveDelayMedianMs = Math.round(q(0.5));
const liveDelayP99Ms = Math.round(q(0.99));
console.log(`live: ${delays.length}/${LIVE_EVENTS} events arrived once each; added delay median ${liveDelayMedianMs} ms, p99 ${liveDelayP99Ms} ms (poll every 1000 ms: the floor is ~500 ms median, ~1000 ms worst)`);
console.log(JSON.stringify({ lines: LINES, linesPerSec, floorLinesPerSec, rebuildMs: Math.round(rebuildMs), floorMs: Math.round(floorMs), liveEvents: delays.length, liveDelayMedianMs, liveDelayP99Ms }));
