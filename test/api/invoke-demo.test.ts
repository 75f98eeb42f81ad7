/**
 * Invoking the demo account's functions: the emulator's Lambda runs no code, so the local
 * runtime's invoker seam (packages/functions/src/local/demo-invoker.ts, registered the way
 * `npm run dev` registers it) runs the function's demo program and writes its log. Checks the
 * real answer, the function error of a failing handler, the log tail with its REPORT figures
 * (cold, then warm), that the same invocation is in the function's past logs, replay; and
 * that every demo function writes an ordinary, successful invocation for its usual events.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rebuildInvocations } from "../../packages/core/src/log";
import { lambdaAnswer, useDemoRuntime } from "../../packages/functions/src/local/demo-invoker";
import { decodeTail } from "../../packages/core/src/lambda";
import { call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { demoBehaviour } from "@console/testkit/demo-functions";
import { startTraffic, type DemoRuntime } from "@console/testkit/traffic";

let seed: SeedResult;
let runtime: DemoRuntime;
let stopDemo: () => void;
let token: string;
let ws: { id: string; slug: string };
/** Console function ids by component, in the API app's production stage (us-east-1) and the storefront's. */
const ids = new Map<string, string>();

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  // As `npm run dev` does (packages/functions/src/local/emulator.ts), without random extra cold starts.
  ({ runtime, stop: stopDemo } = useDemoRuntime({ endpoint: motoUrl(), accountId: seed.accountId, functions: seed.functions, extraCold: 0 }));
  ({ token } = await signIn(randomEmail("demo-invoke")));
  ws = await createWorkspace(token, "Demo Invoke Co");
  await connectAccount(token, ws.slug, seed.accountId);
  const stages = (await call("GET", `/api/workspaces/${ws.id}/stages`, { token })).body as { id: string; app: string; name: string }[];
  for (const s of stages.filter((s) => s.name === "production" && s.app !== "acme-legacy")) {
    const detail = await call("GET", `/api/workspaces/${ws.id}/stages/${s.id}`, { token });
    for (const f of detail.body.functions as { id: string; name: string }[]) {
      const seeded = seed.functions.find((x) => x.name === f.name)!;
      ids.set(seeded.component, f.id);
    }
  }
});

afterAll(() => stopDemo());

const invoke = (component: string, body: unknown) => call("POST", `/api/workspaces/${ws.id}/functions/${ids.get(component)}/invoke`, { token, body });

describe("invoking a demo function", () => {
  it("returns the program's real answer and its log: a cold start first, then warm", async () => {
    const cold = await invoke("Api", { payload: { rawPath: "/orders/o-1001", requestContext: { http: { method: "GET" } } } });
    expect(cold.status).toBe(200);
    expect(cold.body).not.toHaveProperty("functionError");
    expect(cold.body.statusCode).toBe(200);
    expect(cold.body.response).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(cold.body.response.body)).toEqual({ id: "o-1001", status: "shipped", total: 42.5 });
    const rid = cold.body.requestId as string;
    expect(rid).toMatch(/^[0-9a-f-]{36}$/);
    const logs = cold.body.logs as string[];
    expect(logs[0]).toMatch(/^INIT_START Runtime Version: nodejs:/);
    expect(logs).toContain(`START RequestId: ${rid} Version: $LATEST`);
    expect(logs.some((l) => l.includes(`\t${rid}\tINFO\t{"level":"info","msg":"request","method":"GET","path":"/orders/o-1001"}`))).toBe(true);
    expect(logs.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${rid}\\tDuration: [0-9.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 1024 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: [0-9.]+ ms`));
    expect(cold.body.report).toMatchObject({ status: "success", memorySize: 1024, duration: expect.any(Number), billedDuration: expect.any(Number), initDuration: expect.any(Number) });
    expect(cold.body.logsTruncated).toBe(false);

    const warm = await invoke("Api", { payload: {} });
    expect(warm.status).toBe(200);
    expect(JSON.parse(warm.body.response.body)).toMatchObject({ ok: true, routes: expect.arrayContaining(["GET /health"]) });
    expect(warm.body.logs.some((l: string) => l.startsWith("INIT_START"))).toBe(false);
    expect(warm.body.report).toMatchObject({ status: "success", initDuration: null });

    // The same invocations are in the function's log group, in one stream (one warm environment): past logs show them.
    const past = await call("GET", `/api/workspaces/${ws.id}/functions/${ids.get("Api")}/logs`, { token });
    expect(past.status).toBe(200);
    const byId = new Map((past.body.invocations as { requestId: string; logStream: string; initDuration: number | null; status: string }[]).map((i) => [i.requestId, i]));
    expect(byId.get(rid)).toMatchObject({ status: "success", initDuration: expect.any(Number) });
    expect(byId.get(warm.body.requestId)).toMatchObject({ status: "success", initDuration: null, logStream: byId.get(rid)!.logStream });
  });

  it("returns the function error of a failing handler with the error in its log, and replays it", async () => {
    const res = await invoke("Api", { payload: { rawPath: "/customers/c2/label", requestContext: { http: { method: "GET" } } } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, functionError: "Unhandled", response: { errorType: "TypeError", errorMessage: expect.stringContaining("street") } });
    expect(res.body.logs.some((l: string) => l.includes("\tERROR\tInvoke Error \t") && l.includes("TypeError"))).toBe(true);
    expect(res.body.report).toMatchObject({ status: "error" });

    const again = await invoke("Api", { replay: res.body.requestId });
    expect(again.body).toMatchObject({ functionError: "Unhandled", replayOf: res.body.invocationId, response: { errorType: "TypeError" } });
    expect(again.body.requestId).not.toBe(res.body.requestId);

    const declined = await invoke("Checkout", { payload: { cartId: "cart-8", total: 250, currency: "EUR" } });
    expect(declined.body).toMatchObject({ functionError: "Unhandled", response: { errorType: "PaymentDeclinedError", errorMessage: "card declined for 250 EUR" } });
    const paid = await invoke("Checkout", { payload: { cartId: "cart-7", total: 80 } });
    expect(paid.body).toMatchObject({ response: { ok: true, payment: { authorized: 80 }, sessionId: expect.stringMatching(/^cs_/) } });
    expect(paid.body).not.toHaveProperty("functionError");
  });

  it("answers a timeout and a runtime exit as Lambda does", async () => {
    // The demo cuts long timeouts to 5 s; the report asks for a minute.
    const slow = await invoke("NightlyReport", { payload: { ms: 60_000 } });
    expect(slow.body).toMatchObject({ functionError: "Unhandled", response: { errorType: "Sandbox.Timedout", errorMessage: expect.stringMatching(/Task timed out after 5\.00 seconds$/) }, report: { status: "timeout" } });
    expect(slow.body.logs.at(-1)).toMatch(/\tStatus: timeout$/);
    const crashed = await invoke("SendEmail", { payload: { orderId: "o-1002", legacy: true } });
    expect(crashed.body).toMatchObject({ functionError: "Unhandled", response: { errorType: "Runtime.UnhandledPromiseRejection" }, report: { status: "error" } });
    expect(crashed.body.logs.some((l: string) => l.includes("Unhandled Promise Rejection"))).toBe(true);
    // Out of memory (the legacy app's export job, run directly: the answer the invoker gives).
    const job = runtime.functions().find((f) => f.component === "ExportJob")!;
    const oom = lambdaAnswer(await runtime.invoke(job, { action: "export", rows: 2_000_000 }, { memoryMb: 64 }));
    expect(oom.functionError).toBe("Unhandled");
    expect(JSON.parse(Buffer.from(oom.payload).toString())).toMatchObject({ errorType: "Runtime.OutOfMemory" });
    expect(decodeTail(oom.logResult).report).toMatchObject({ status: "oom", memorySize: 64 });
  });

  it("leaves functions outside the demo runtime to Lambda", async () => {
    expectError(await call("POST", `/api/workspaces/${ws.id}/functions/unknown/invoke`, { token, body: {} }), 404, "not_found");
    expect(runtime.find("arn:aws:lambda:us-east-1:000000000000:function:elsewhere")).toBeUndefined();
  });
});

describe("the demo's logs", () => {
  it("every demo function answers its usual event with an ordinary, successful invocation", async () => {
    const fns = runtime.functions().filter((f) => !f.internal && runtime.runnable(f));
    expect(fns.length).toBeGreaterThanOrEqual(8);
    for (const f of fns) {
      const usual = demoBehaviour(f).events[0]!;
      const r = await runtime.invoke(f, usual.event);
      expect(r.status, `${f.app}/${f.stage}/${f.component}`).toBe("success");
      const messages = r.events.map((e) => e.message);
      // START, END, REPORT around at least one ordinary line the program logged.
      expect(messages.some((m) => m.startsWith(`START RequestId: ${r.requestId}`))).toBe(true);
      expect(messages.some((m) => m.startsWith(`END RequestId: ${r.requestId}`))).toBe(true);
      expect(messages.some((m) => m.startsWith(`REPORT RequestId: ${r.requestId}\tDuration:`))).toBe(true);
      expect(messages.some((m) => /\tINFO\t|^\[INFO\]/.test(m)), `${f.component} logs an ordinary line`).toBe(true);
      expect(messages.some((m) => /ERROR/.test(m))).toBe(false);
    }
    // What was written rebuilds into invocations with durations and a cold start per new environment.
    const api = fns.find((f) => f.component === "Api")!;
    for (let i = 0; i < 2; i++) await runtime.invoke(api, demoBehaviour(api).events[1]!.event);
    const logs = customerClient(CloudWatchLogsClient, seed.accountId, api.region);
    const read = await logs.send(new FilterLogEventsCommand({ logGroupName: api.logGroup }));
    const invocations = rebuildInvocations((read.events ?? []).map((e) => ({ id: e.eventId, timestamp: e.timestamp!, message: e.message!, stream: e.logStreamName })));
    const done = invocations.filter((i) => i.requestId);
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(done.every((i) => i.duration !== null && i.billedDuration !== null && i.memorySize === 1024)).toBe(true);
    expect(done.filter((i) => i.initDuration !== null).length).toBeGreaterThanOrEqual(1);
    expect(done.filter((i) => i.initDuration === null).length).toBeGreaterThanOrEqual(1);
  });
});

describe("the demo traffic", () => {
  it("a burst invokes demo functions and writes their logs", async () => {
    const traffic = startTraffic(runtime, { intervalMs: 3_600_000 });
    try {
      expect(await traffic.burst()).toBeGreaterThan(0);
    } finally {
      traffic.stop();
    }
  });
});
