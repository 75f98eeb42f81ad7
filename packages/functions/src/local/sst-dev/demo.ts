/**
 * The demo's `sst dev`: plays the local server of `sst dev` for one personal stage of the
 * demo account (acme-api's developer stage), so that a newcomer sees the Local tab work.
 * Like `sst dev`, it runs the functions on this machine: each invocation runs a real demo
 * program (the same minified Node bundle the demo traffic runs) and what it prints, returns
 * or throws becomes the bus events SST publishes (FunctionInvokedEvent, FunctionLogEvent,
 * FunctionResponseEvent, FunctionErrorEvent), sent to the browser by ./server.ts exactly as
 * SST's socket.go sends them. Bound to 127.0.0.1 on 13557 or the next free port.
 */
import { randomUUID } from "node:crypto";
import { log } from "@console/core/util/log";
import { invoke, type InvokeResult } from "@console/testkit/programs";
import { urn } from "@console/testkit/sst-state";
import type { SeedResult } from "@console/testkit/seed";
import { startSstDevServer, type SstDevServer } from "./server";

/** Which demo handler each live function runs (events that make some of them fail). */
const PLAN: { component: string; handler: string; event: unknown }[] = [
  { component: "Api", handler: "health", event: { rawPath: "/health", requestContext: { http: { method: "GET" } } } },
  { component: "Api", handler: "checkout", event: { total: 250, currency: "EUR" } },
  { component: "OrderWorker", handler: "health", event: { Records: [{ body: '{"orderId":"o-1001"}' }] } },
  { component: "OrderWorker", handler: "syncInventory", event: { sku: "sku-404" } },
  { component: "NightlyReport", handler: "health", event: { source: "aws.events", "detail-type": "Scheduled Event" } },
  { component: "OrderWorker", handler: "createOrder", event: { id: "x", items: [] } },
  { component: "Api", handler: "health", event: { rawPath: "/health", requestContext: { http: { method: "GET" } } } },
  { component: "NightlyReport", handler: "shippingLabel", event: { customerId: "c2" } },
];

// `<time>\t<request id>\t<LEVEL>\t<message>`: Lambda's text framing, which `sst dev` does not add.
const FRAMED = /^\d{4}-\d\d-\d\dT[^\t]*\t[0-9a-f-]{36}\t[A-Z]+\t/;
const PLATFORM = /^(START|END|REPORT|INIT_START|INIT_REPORT) /;

export interface DemoSstDev {
  server: SstDevServer;
  app: string;
  stage: string;
  /** Runs one invocation now (the first one happens at start). */
  invokeOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** The stage the demo plays: the first v3 personal stage with Node functions. */
export function demoLiveStage(seed: Pick<SeedResult, "stages">) {
  return seed.stages.find((s) => s.sst === "v3" && s.personal && s.functions.some((f) => f.live && PLAN.some((p) => p.component === f.component)));
}

/** Splits what a demo program printed into what `sst dev` would publish. */
export function busEventsOf(result: InvokeResult): { lines: string[]; error?: { errorType: string; errorMessage: string; trace: string[] } } {
  const lines: string[] = [];
  let error: { errorType: string; errorMessage: string; trace: string[] } | undefined;
  for (const e of result.events) {
    const text = e.message.replace(/\n$/, "");
    if (PLATFORM.test(text)) continue;
    const body = text.replace(FRAMED, "");
    const invokeError = /^Invoke Error \t(\{.*\})$/s.exec(body);
    if (invokeError) {
      try {
        const parsed = JSON.parse(invokeError[1]!) as { errorType?: string; errorMessage?: string; stack?: string[] };
        error = { errorType: parsed.errorType ?? "Error", errorMessage: parsed.errorMessage ?? "", trace: parsed.stack ?? [] };
      } catch {
        // an unparsable report: the result's error below stands in
      }
      continue;
    }
    lines.push(body);
  }
  if (!error && result.status !== "success") {
    error = { errorType: result.error?.errorType ?? "Runtime.ExitError", errorMessage: result.error?.errorMessage ?? result.status, trace: [] };
  }
  return { lines, error };
}

export async function startDemoSstDev(options: { seed: Pick<SeedResult, "stages">; intervalMs?: number; port?: number }): Promise<DemoSstDev | undefined> {
  const stage = demoLiveStage(options.seed);
  if (!stage) return undefined;
  const components = new Set(stage.functions.filter((f) => f.live).map((f) => f.component));
  const plan = PLAN.filter((p) => components.has(p.component));
  // SST keeps every invocation until the console clears them; the demo runs for days, so it keeps the newest 200.
  const server = await startSstDevServer({ app: stage.app, stage: stage.stage, port: options.port, keep: 200 });
  // SST learns its resources when the deploy of `sst dev` completes.
  server.complete([...components].map((c) => ({ urn: urn(stage.stage, stage.app, "sst:aws:Function", c), type: "sst:aws:Function" })));

  const warm = new Set<string>();
  let next = 0;
  let running: Promise<void> | undefined;
  async function invokeOnce() {
    const step = plan[next++ % plan.length]!;
    const requestId = randomUUID();
    const cold = !warm.has(step.component);
    warm.add(step.component);
    server.invoked({ functionId: step.component, requestId, input: JSON.stringify(step.event), cold });
    const result = await invoke("node", step.handler, step.event, { requestId, coldStart: cold, timeoutMs: 3000 });
    const { lines, error } = busEventsOf(result);
    for (const line of lines) server.log({ functionId: step.component, requestId, line });
    if (error) server.error({ functionId: step.component, requestId, ...error });
    else server.response({ functionId: step.component, requestId, output: JSON.stringify(result.result ?? null) });
  }
  const tick = () => {
    if (running) return;
    running = invokeOnce()
      .catch((err) => log.warn("demo sst dev: an invocation failed to run", { error: (err as Error).message }))
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 5000);
  timer.unref();
  return {
    server,
    app: stage.app,
    stage: stage.stage,
    invokeOnce,
    async stop() {
      clearInterval(timer);
      await running;
      await server.close();
    },
  };
}
