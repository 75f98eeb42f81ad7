/**
 * Hostile-input benchmark: for each pathological event of @console/testkit/hostile (a
 * 256 KB event aimed at one parser construct), the time the extraction engine takes on it
 * against its plain twin (the same event shape and size with ordinary prose in place of
 * the hostile run): that plain time is the floor. The pipeline is what the consumer runs
 * per stream: detect (classify, platform lines, text/JSON parsers, frames), then enrich
 * (source mapping when the input has maps, fingerprint with message normalisation).
 *
 * Every measurement runs in a child process killed at the cap (default 60 s), so a
 * quadratic parser is reported as "> cap" instead of stalling the run.
 *
 *   npm run bench -- hostile [--cap 60] [--size 256] [--only name,name]
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HOSTILE_INPUTS, MAX_EVENT_BYTES, type HostileInput } from "@console/testkit/hostile";
import { Extract } from "../../packages/core/src/issue/extract";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};

async function runOnce(input: HostileInput, size: number, plain: boolean): Promise<number> {
  const events = input.events(size, plain);
  const maps = input.maps?.(size, plain);
  const started = performance.now();
  const errors = Extract.detect(events, { runtime: input.runtime, functionName: "bench" });
  const sourcemaps = maps ? { provider: Extract.memoryProvider(maps), cache: new Extract.SourceMapCache() } : undefined;
  const out = await Extract.enrich(errors, { functionName: "bench", sourcemaps });
  const took = performance.now() - started;
  if (out.some((e) => !/^[0-9a-f]{32}$/.test(e.fingerprint.hash))) throw new Error("bad fingerprint");
  return took;
}

/** Child: `--child <name> <size> plain|hostile`, prints the median time in ms. */
if (args[0] === "--child") {
  const input = HOSTILE_INPUTS.find((i) => i.name === args[1])!;
  const size = Number(args[2]);
  const plain = args[3] === "plain";
  // Warm the code paths on a small plain event first (JIT), then measure.
  await runOnce(input, 4096, true);
  const runs = plain ? 5 : 1;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await runOnce(input, size, plain));
  times.sort((a, b) => a - b);
  process.stdout.write(`${times[Math.floor(times.length / 2)]}\n`);
  process.exit(0);
}

const capS = Number(opt("cap") ?? 60);
const size = opt("size") ? Number(opt("size")) * 1024 : MAX_EVENT_BYTES;
const only = opt("only")?.split(",");
const self = fileURLToPath(import.meta.url);

/** Milliseconds, or undefined when the child hit the cap. */
function measure(name: string, plain: boolean): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, self, "--child", name, String(size), plain ? "plain" : "hostile"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    let capped = false;
    child.stdout.on("data", (d) => (out += d));
    const timer = setTimeout(() => {
      capped = true;
      child.kill("SIGKILL");
    }, capS * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (capped) resolve(undefined);
      else if (code === 0) resolve(Number(out.trim()));
      else reject(new Error(`${name}: child exited with ${code}`));
    });
  });
}

const fmt = (n: number | undefined) => (n === undefined ? `> ${capS} s` : n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n.toFixed(1)} ms`);

const rows: { input: string; target: string; plainMs: number | undefined; hostileMs: number | undefined; ratio: number | undefined }[] = [];
process.stderr.write(`hostile inputs of ${size} characters, cap ${capS} s per run\n`);
for (const input of HOSTILE_INPUTS) {
  if (only && !only.includes(input.name)) continue;
  const plainMs = await measure(input.name, true);
  const hostileMs = await measure(input.name, false);
  const ratio = plainMs !== undefined && hostileMs !== undefined ? hostileMs / Math.max(plainMs, 0.01) : undefined;
  rows.push({ input: input.name, target: input.target, plainMs, hostileMs, ratio });
  process.stderr.write(`  ${input.name}: plain ${fmt(plainMs)}, hostile ${fmt(hostileMs)}\n`);
}

const header = ["input", "plain event (floor)", "hostile event", "ratio", "attacks"];
const table = rows.map((r) => [r.input, fmt(r.plainMs), fmt(r.hostileMs), r.ratio === undefined ? "-" : `${r.ratio.toFixed(1)}x`, r.target]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table) console.log(line(row));
console.log(JSON.stringify({ bench: "hostile", size, capSeconds: capS, rows }));
