/**
 * Delivery latency, measured (printed, not asserted): a CloudWatch Logs record with a
 * new error goes through the consumer (`Ingest.batch`), `issue.detected` through the
 * rules, and a signed webhook reaches a local receiver. Each record is a new issue.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { startWebhookReceiver, type WebhookReceiver } from "@console/testkit/alerts";
import { seedDemoAccount } from "@console/testkit/seed";
import { Ingest } from "../../packages/core/src/issue";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";

let hook: WebhookReceiver;
beforeAll(async () => {
  hook = await startWebhookReceiver();
});
afterAll(async () => hook?.close());

describe("alert latency", () => {
  it("issue detected → webhook received", async () => {
    const { token } = await signIn();
    const ws = await createWorkspace(token);
    const seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    const connection = await connectAccount(token, ws.slug, seed.accountId);
    const fn = seed.functions.find((f) => !f.live && f.sst === "v3")!;
    const d = await call("POST", `/api/workspaces/${ws.slug}/alerts/destinations`, { token, body: { type: "webhook", name: "bench", url: hook.url } });
    hook.setSecret(d.body.secret);
    await call("POST", `/api/workspaces/${ws.slug}/alerts/rules`, { token, body: { events: ["issue.new"], stages: ["*"], personalStages: true, destinations: [d.body.id] } });
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const requestId = `6f1b2c3d-0000-4000-8000-${String(i).padStart(12, "0")}`;
      const payload = {
        messageType: "DATA_MESSAGE",
        owner: seed.accountId,
        logGroup: fn.logGroup,
        logStream: "2026/11/22/[$LATEST]abc",
        subscriptionFilters: [`console-${connection.id}-${fn.region}`],
        logEvents: [{ id: `ev-${i}-${Date.now()}`, timestamp: Date.now(), message: `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t{"errorType":"Bench${i}Error","errorMessage":"bench ${i}","stack":["Bench${i}Error: bench","    at handler${i} (/var/task/index.mjs:1:10)"]}` }],
      };
      const started = performance.now();
      const startedWall = Date.now();
      await Ingest.batch([{ id: String(i), data: gzipSync(JSON.stringify(payload)) }]);
      const got = await hook.waitFor(i + 1);
      samples.push(Math.max(got[i]!.time - startedWall, 0) || performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const p = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    console.log(`alert latency (ingest → signed webhook received, ${samples.length} new issues): p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${samples.at(-1)} ms`);
    expect(hook.verified()).toHaveLength(20);
  }, 120_000);
});
