/**
 * Demo traffic: the emulator runs no function code, so the local runtime runs the
 * demo programs itself (a minified Node bundle whose source map is in the demo
 * account's asset bucket, and Python where `python3` exists) and writes what they
 * print, framed as Lambda frames it, into the demo functions' log groups now and
 * then. Once the demo account is connected, those errors become issues on their own.
 */
import { randomUUID } from "node:crypto";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { log } from "@console/core/util/log";
import { actAsAccount } from "./aws";
import { DEMO_HANDLERS, hasPython, invoke } from "./programs";
import type { SeededFunction } from "./seed";

export interface Traffic {
  stop(): void;
  /** Runs one burst now (tests, and the first burst after start). */
  burst(): Promise<number>;
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

export function startTraffic(options: { endpoint: string; accountId: string; functions: SeededFunction[]; intervalMs?: number }): Traffic {
  const targets = options.functions.filter((f) => !f.live && !f.internal && f.created);
  const clients = new Map<string, CloudWatchLogsClient>();
  const client = (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = actAsAccount(
        new CloudWatchLogsClient({ region, endpoint: options.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } }),
        options.accountId,
      );
      clients.set(region, c);
    }
    return c;
  };
  const handlers = DEMO_HANDLERS.filter((h) => h.program === "node" || hasPython());

  const python = targets.filter((f) => f.runtime.startsWith("python"));
  const node = targets.filter((f) => f.runtime.startsWith("nodejs"));

  async function once(): Promise<number> {
    const h = pick(handlers);
    // A program's logs go to a function of its own language.
    const pool = h.program === "python" ? python : node;
    if (!pool.length) return 0;
    const fn = pick(pool);
    const result = await invoke(h.program, h.handler, h.event, { timeoutMs: h.outcome === "timeout" ? 800 : 3000, memoryMb: h.outcome === "oom" ? 64 : 128 });
    const stream = `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomUUID().replace(/-/g, "")}`;
    const logs = client(fn.region);
    await logs.send(new CreateLogStreamCommand({ logGroupName: fn.logGroup, logStreamName: stream }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: fn.logGroup,
        logStreamName: stream,
        logEvents: result.events.map((e) => ({ timestamp: e.timestamp, message: e.message })).sort((a, b) => a.timestamp - b.timestamp),
      }),
    );
    return result.events.length;
  }

  async function burst() {
    let events = 0;
    const n = 1 + Math.floor(Math.random() * 3);
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
      if (!stopped) schedule((options.intervalMs ?? 20_000) * (0.5 + Math.random()));
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
