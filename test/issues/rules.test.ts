/**
 * Fingerprint rules change how the consumer groups: a rule matching a function puts
 * its errors in one issue; removing it goes back to the default grouping.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { Ingest } from "../../packages/core/src/issue";
import { invoke } from "@console/testkit/programs";
import { seedDemoAccount, type SeedResult, type SeededFunction } from "@console/testkit/seed";
import { call, createWorkspace, expectError, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";

let seed: SeedResult;
let token: string;
let ws: { slug: string };
let connectionId: string;
let fn: SeededFunction;
let n = 0;

async function ingest(handler: string, event: unknown) {
  const run = await invoke("node", handler, event);
  const payload = {
    messageType: "DATA_MESSAGE",
    owner: seed.accountId,
    logGroup: fn.logGroup,
    logStream: `stream-${++n}`,
    subscriptionFilters: [`console-${connectionId}-${fn.region}`],
    logEvents: run.events,
  };
  const result = await Ingest.batch([{ id: String(n), data: gzipSync(JSON.stringify(payload)) }]);
  expect(result.stats.stored).toBe(1);
}

async function issueCounts() {
  const res = await call("GET", `/api/workspaces/${ws.slug}/issues?limit=200`, { token });
  return (res.body.issues as { type: string; count: number; id: string }[]).map((i) => `${i.type}:${i.count}`).sort();
}

beforeAll(async () => {
  seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  ({ token } = await signIn());
  ws = await createWorkspace(token);
  connectionId = (await connectAccount(token, ws.slug, seed.accountId)).id;
  fn = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
}, 60_000);

describe("fingerprint rules", () => {
  it("group what a rule matches into one issue, and validate rules", async () => {
    await ingest("checkout", { total: 250, currency: "EUR" });
    await ingest("shippingLabel", { customerId: "c2" });
    expect(await issueCounts()).toEqual(["PaymentDeclinedError:1", "TypeError:1"]);

    expectError(await call("POST", `/api/workspaces/${ws.slug}/fingerprint-rules`, { token, body: { match: {}, fingerprint: ["x"] } }), 400, "validation");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/fingerprint-rules`, { token, body: { match: { type: "X" }, fingerprint: [] } }), 400, "validation");
    const rule = await call("POST", `/api/workspaces/${ws.slug}/fingerprint-rules`, {
      token,
      body: { name: "Order worker", match: { function: "*OrderWorker*" }, fingerprint: ["order-worker"] },
    });
    expect(rule.status).toBe(201);
    expect((await call("GET", `/api/workspaces/${ws.slug}/fingerprint-rules`, { token })).body).toHaveLength(1);

    await ingest("checkout", { total: 250, currency: "EUR" });
    await ingest("shippingLabel", { customerId: "c2" });
    const counts = await issueCounts();
    // Both new errors joined one issue (keyed by the rule), whatever their type.
    expect(counts).toHaveLength(3);
    expect(counts.filter((c) => c.endsWith(":2"))).toHaveLength(1);

    expect((await call("DELETE", `/api/workspaces/${ws.slug}/fingerprint-rules/${rule.body.id}`, { token })).status).toBe(200);
    await ingest("checkout", { total: 250, currency: "EUR" });
    expect((await issueCounts()).find((c) => c.startsWith("PaymentDeclinedError"))).toBe("PaymentDeclinedError:2");
  });
});
