/**
 * `extract` CLI benchmark: 200,000 realistic CloudWatch events (70% ordinary lines: START,
 * END, REPORT and application logs; 30% the lines of real error traces from the demo
 * programs, Node minified with its source map) in one JSONL file, read by
 *   1. the floor: reading the file line by line and JSON-parsing each line, nothing else;
 *   2. `extract` without source maps;
 *   3. `extract --sourcemaps DIR` (the bundle's map in DIR),
 * in this process, output counted and dropped. Prints each figure with its share of the floor.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { progress } from "./setup";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const ORDINARY = 0.7;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const { DEMO_HANDLERS, bundleDemo, hasPython, invoke } = await import("@console/testkit/programs");
const { run } = await import("../../packages/functions/src/cli/extract");

progress("capturing real traces from the demo programs...");
const bundle = await bundleDemo();
const traces: string[][] = [];
for (const h of DEMO_HANDLERS.filter((x) => x.program === "node" || hasPython())) {
  for (const format of ["text", "json"] as const) {
    const r = await invoke(h.program, h.handler, h.event, { format, timeoutMs: h.outcome === "timeout" ? 300 : 3000, memoryMb: h.outcome === "oom" ? 64 : 128, timeoutStyle: "both" });
    const lines = r.events.map((e) => e.message).filter((m) => !m.startsWith("START ") && !m.startsWith("END ") && !m.startsWith("REPORT "));
    if (lines.length) traces.push(lines);
  }
}
progress(`${traces.length} traces captured`);

const dir = mkdtempSync(join(tmpdir(), "bench-extract-"));
const maps = join(dir, "maps");
const { mkdirSync } = await import("node:fs");
mkdirSync(maps);
writeFileSync(join(maps, "index.mjs.map"), bundle.map);
writeFileSync(join(maps, "index.js.map"), bundle.map);

// --- the input: invocations on 50 streams, 70% ordinary lines ------------------------------
const file = join(dir, "events.jsonl");
const out: string[] = [];
let t = Date.UTC(2026, 10, 22);
let errorLines = 0;
const ordinary = (rid: string, i: number) =>
  i % 3 === 0
    ? `${new Date(t).toISOString()}\t${rid}\tINFO\tprocessed order ${i} in ${i % 97} ms`
    : i % 3 === 1
      ? JSON.stringify({ timestamp: new Date(t).toISOString(), level: "INFO", requestId: rid, message: `cache hit for user ${i}` })
      : `${new Date(t).toISOString()}\t${rid}\tDEBUG\tloaded ${i % 13} items`;
while (out.length < EVENTS) {
  const stream = `2026/11/22/[$LATEST]${String(out.length % 50).padStart(32, "0")}`;
  const logGroup = "/aws/lambda/acme-api-production-Api";
  const rid = randomUUID();
  const push = (message: string) => out.push(JSON.stringify({ timestamp: t++, message, logGroup, logStream: stream }));
  push(`START RequestId: ${rid} Version: $LATEST`);
  const failing = errorLines / Math.max(1, out.length) < 1 - ORDINARY;
  for (let i = 0; i < (failing ? 1 : 4); i++) push(ordinary(rid, out.length + i));
  if (failing) {
    const trace = traces[out.length % traces.length]!;
    for (const m of trace) {
      push(m.split(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/).join(rid));
      errorLines++;
    }
  }
  push(`END RequestId: ${rid}`);
  push(`REPORT RequestId: ${rid}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB`);
}
writeFileSync(file, out.slice(0, EVENTS).join("\n") + "\n");
progress(`${EVENTS} events written (${Math.round((errorLines / EVENTS) * 100)}% in error traces)`);

async function floor(): Promise<number> {
  const start = performance.now();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  if (n !== EVENTS) throw new Error(`read ${n} events`);
  return (performance.now() - start) / 1000;
}

/** Run the CLI in this process with its output counted and dropped. */
async function cli(args: string[]): Promise<{ sec: number; errors: number }> {
  const original = process.stdout.write.bind(process.stdout);
  let errors = 0;
  process.stdout.write = ((chunk: string | Uint8Array, cb?: unknown) => {
    const s = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) errors++;
    if (typeof cb === "function") (cb as () => void)();
    return true;
  }) as typeof process.stdout.write;
  const start = performance.now();
  try {
    const code = await run([...args, file]);
    if (code !== 0) throw new Error(`extract exited with ${code}`);
  } finally {
    process.stdout.write = original;
  }
  return { sec: (performance.now() - start) / 1000, errors };
}

async function fastest<T extends { sec: number }>(f: () => Promise<T>): Promise<T> {
  let best: T | undefined;
  for (let i = 0; i < RUNS; i++) {
    const r = await f();
    if (!best || r.sec < best.sec) best = r;
  }
  return best!;
}

const floorRun = await fastest(async () => ({ sec: await floor() }));
const plain = await fastest(() => cli([]));
const mapped = await fastest(() => cli(["--sourcemaps", maps]));
const rate = (sec: number) => Math.round(EVENTS / sec);
const share = (sec: number) => Math.round((floorRun.sec / sec) * 1000) / 1000;
console.log(`events    ${EVENTS} (${Math.round((1 - errorLines / EVENTS) * 100)}% ordinary lines), best of ${RUNS}`);
console.log(`floor     read + JSON.parse each line              ${String(rate(floorRun.sec)).padStart(9)} events/s`);
console.log(`extract   no source maps                           ${String(rate(plain.sec)).padStart(9)} events/s  (${share(plain.sec)} of the floor; ${plain.errors} errors)`);
console.log(`extract   --sourcemaps                             ${String(rate(mapped.sec)).padStart(9)} events/s  (${share(mapped.sec)} of the floor, target >= 0.25; ${mapped.errors} errors)`);
console.log(
  JSON.stringify({ bench: "extract", events: EVENTS, floorEventsPerSec: rate(floorRun.sec), plainEventsPerSec: rate(plain.sec), mappedEventsPerSec: rate(mapped.sec), plainShareOfFloor: share(plain.sec), mappedShareOfFloor: share(mapped.sec), errors: mapped.errors }),
);
rmSync(dir, { recursive: true, force: true });
