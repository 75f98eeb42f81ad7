/**
 * The demo account's functions, run locally: the emulator runs no function code, so the
 * local runtime runs the demo programs itself (a minified Node bundle whose source map is in
 * the demo account, and Python where `python3` exists) and writes what they print, framed as
 * Lambda frames it, into the functions' log groups.
 *
 * - `DemoRuntime.invoke(fn, event)` runs the handler behind `fn` (demo-functions.ts) with
 *   `event` and writes its log. Execution environments are kept the way Lambda keeps them:
 *   the first invocation of a function, or one after 5 idle minutes, is a cold start
 *   (INIT_START, `Init Duration`) in a new log stream; the next ones are warm and go to the
 *   same stream; now and then a second environment starts (concurrency).
 * - `startTraffic` invokes the functions now and then with the events each one sees
 *   (mostly ordinary, succeeding requests; sometimes the one that hits its bug), so a
 *   newcomer sees live logs, durations, cold starts and issues.
 * - The console's invocations of demo functions reach `DemoRuntime.invoke` through the
 *   local runtime's invoker (packages/functions/src/local/demo-invoker.ts).
 */
import { randomUUID } from "node:crypto";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { log } from "@console/core/util/log";
import { actAsAccount } from "./aws";
import { demoBehaviour, pickEvent } from "./demo-functions";
import { hasPython, invoke, type InvokeResult } from "./programs";
import type { SeededFunction } from "./seed";

/** An execution environment stays warm this long after its last invocation. */
const WARM_MS = 5 * 60_000;
/** Chance that an invocation of a warm function still starts a new environment. */
const EXTRA_COLD = 0.08;
/** The demo cuts long timeouts short, so a timing-out invocation ends within seconds. */
const MAX_DEMO_TIMEOUT_MS = 5_000;

export interface DemoInvocation extends InvokeResult {
  logStream: string;
  cold: boolean;
  /** The function's configured memory, as REPORT shows it. */
  memoryMb: number;
  timeoutMs: number;
}

interface Environment {
  stream: string;
  lastUsed: number;
  busy: boolean;
}

export class DemoUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoUnavailable";
  }
}

export class DemoRuntime {
  readonly accountId: string;
  private readonly endpoint: string;
  private readonly byArn = new Map<string, SeededFunction>();
  private readonly clients = new Map<string, CloudWatchLogsClient>();
  private readonly environments = new Map<string, Environment[]>();
  private readonly extraCold: number;

  /** `extraCold`: the chance that a warm function still starts a new environment (default 8%; tests pass 0). */
  constructor(options: { endpoint: string; accountId: string; functions: SeededFunction[]; extraCold?: number }) {
    this.endpoint = options.endpoint;
    this.accountId = options.accountId;
    this.extraCold = options.extraCold ?? EXTRA_COLD;
    for (const f of options.functions) if (f.created && !f.live) this.byArn.set(f.arn, f);
  }

  /** The demo function with this ARN, if this runtime runs it. */
  find(arn: string): SeededFunction | undefined {
    return this.byArn.get(arn);
  }

  functions(): SeededFunction[] {
    return [...this.byArn.values()];
  }

  /** Whether `fn`'s language can run here (Python is optional). */
  runnable(fn: SeededFunction): boolean {
    return demoBehaviour(fn).program === "node" || hasPython();
  }

  private client(region: string) {
    let c = this.clients.get(region);
    if (!c) {
      c = actAsAccount(new CloudWatchLogsClient({ region, endpoint: this.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } }), this.accountId);
      this.clients.set(region, c);
    }
    return c;
  }

  /** A warm idle environment of `fn`, or a new one (a cold start). */
  private environment(fn: SeededFunction, now: number): { env: Environment; cold: boolean } {
    const list = (this.environments.get(fn.arn) ?? []).filter((e) => now - e.lastUsed < WARM_MS || e.busy);
    this.environments.set(fn.arn, list);
    const idle = list.find((e) => !e.busy);
    if (idle && Math.random() >= this.extraCold) return { env: idle, cold: false };
    const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, "/");
    const env: Environment = { stream: `${day}/[$LATEST]${randomUUID().replace(/-/g, "")}`, lastUsed: now, busy: false };
    list.push(env);
    return { env, cold: true };
  }

  /** Runs `fn` with `event` and writes its log into the function's log group. */
  async invoke(fn: SeededFunction, event: unknown, options: { memoryMb?: number } = {}): Promise<DemoInvocation> {
    const behaviour = demoBehaviour(fn);
    if (!this.runnable(fn)) throw new DemoUnavailable("python3 is not installed here, so the Python demo functions cannot run");
    const { env, cold } = this.environment(fn, Date.now());
    env.busy = true;
    const memoryMb = options.memoryMb ?? fn.memorySize;
    const timeoutMs = Math.min(fn.timeout * 1000, MAX_DEMO_TIMEOUT_MS);
    let result: InvokeResult;
    try {
      result = await invoke(behaviour.program, behaviour.handler, event, { timeoutMs, memoryMb, coldStart: cold });
    } finally {
      env.busy = false;
      env.lastUsed = Date.now();
    }
    // A killed or crashed runtime does not stay warm.
    if (result.status === "timeout" || result.status === "oom" || result.status === "crash") {
      this.environments.set(fn.arn, (this.environments.get(fn.arn) ?? []).filter((e) => e !== env));
    }
    const logs = this.client(fn.region);
    if (cold) await logs.send(new CreateLogStreamCommand({ logGroupName: fn.logGroup, logStreamName: env.stream })).catch(ignoreExisting);
    const events = result.events.map((e) => ({ timestamp: e.timestamp, message: e.message })).sort((a, b) => a.timestamp - b.timestamp);
    try {
      await logs.send(new PutLogEventsCommand({ logGroupName: fn.logGroup, logStreamName: env.stream, logEvents: events }));
    } catch (err) {
      // The emulator restarted under a warm environment: its stream is gone; start it again.
      if ((err as { name?: string }).name !== "ResourceNotFoundException") throw err;
      await logs.send(new CreateLogStreamCommand({ logGroupName: fn.logGroup, logStreamName: env.stream })).catch(ignoreExisting);
      await logs.send(new PutLogEventsCommand({ logGroupName: fn.logGroup, logStreamName: env.stream, logEvents: events }));
    }
    return { ...result, logStream: env.stream, cold, memoryMb, timeoutMs };
  }

  stop() {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

function ignoreExisting(err: unknown) {
  if ((err as { name?: string }).name !== "ResourceAlreadyExistsException") throw err;
}

export interface Traffic {
  stop(): void;
  /** Runs one burst now (tests, and the first burst after start). */
  burst(): Promise<number>;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** Invokes a few demo functions every `intervalMs` or so (default 10 s: each function about once a minute), with their usual events. */
export function startTraffic(runtime: DemoRuntime, options: { intervalMs?: number } = {}): Traffic {
  const targets = runtime.functions().filter((f) => !f.internal && runtime.runnable(f));

  async function once(): Promise<number> {
    if (!targets.length) return 0;
    const fn = pick(targets);
    const e = pickEvent(demoBehaviour(fn));
    const result = await runtime.invoke(fn, e.event, { memoryMb: e.memoryMb });
    return result.events.length;
  }

  async function burst() {
    let events = 0;
    const n = 2 + Math.floor(Math.random() * 3);
    for (let i = 0; i < n; i++) {
      try {
        events += await once();
      } catch (err) {
        log.debug("demo traffic invocation failed", { err });
      }
    }
    return events;
  }

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    timer = setTimeout(async () => {
      if (stopped) return;
      await burst();
      if (!stopped) schedule((options.intervalMs ?? 10_000) * (0.5 + Math.random()));
    }, ms);
    timer.unref?.();
  };
  if (targets.length) schedule(5_000);
  return {
    burst,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
