/**
 * Billing with the real `stripe` SDK pointed at a small local fake of the Stripe
 * endpoints the console uses (customers, checkout sessions, portal sessions, meter
 * events); webhooks signed as Stripe signs them; gating of the paid features.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { Actor } from "../../packages/core/src/actor";
import { appTable, stageTable } from "../../packages/core/src/app/app.sql";
import { eq } from "drizzle-orm";
import { Billing, billingTable } from "../../packages/core/src/billing";
import { Database } from "../../packages/core/src/db";
import { resetEnv } from "../../packages/core/src/env";
import { Bus } from "../../packages/core/src/event";
import { createId } from "../../packages/core/src/id";
import { invocationUsageTable } from "../../packages/core/src/usage/usage.sql";
import { call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";

const WHSEC = "whsec_test_secret";
const requests: { method: string; path: string; params: URLSearchParams; idempotencyKey?: string }[] = [];
const meterEvents = new Map<string, URLSearchParams>();
const idempotent = new Map<string, string>();
let server: Server;
let n = 0;

function fakeStripe() {
  return createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const key = req.headers["idempotency-key"] as string | undefined;
      requests.push({ method: req.method!, path: req.url!, params, idempotencyKey: key });
      const send = (status: number, obj: unknown) => {
        const text = JSON.stringify(obj);
        if (key) idempotent.set(key, text);
        res.writeHead(status, { "content-type": "application/json", "request-id": `req_${++n}` });
        res.end(text);
      };
      if (key && idempotent.has(key)) {
        res.writeHead(200, { "content-type": "application/json", "idempotent-replayed": "true" });
        return res.end(idempotent.get(key));
      }
      if (req.method === "POST" && req.url === "/v1/customers") return send(200, { id: `cus_${++n}`, object: "customer", metadata: {} });
      if (req.method === "POST" && req.url === "/v1/checkout/sessions") {
        if (params.has("line_items[0][quantity]")) return send(400, { error: { type: "invalid_request_error", message: "Quantity should not be defined when recurring.usage_type=metered" } });
        return send(200, { id: `cs_${++n}`, object: "checkout.session", url: `https://checkout.stripe.test/c/${n}` });
      }
      if (req.method === "POST" && req.url === "/v1/billing_portal/sessions") return send(200, { id: `bps_${++n}`, object: "billing_portal.session", url: `https://billing.stripe.test/p/${n}` });
      if (req.method === "POST" && req.url === "/v1/billing/meter_events") {
        const id = params.get("identifier")!;
        if (meterEvents.has(id)) return send(400, { error: { type: "invalid_request_error", message: "duplicate identifier" } });
        meterEvents.set(id, params);
        return send(200, { object: "billing.meter_event", identifier: id, event_name: params.get("event_name") });
      }
      send(404, { error: { type: "invalid_request_error", message: `unknown ${req.method} ${req.url}` } });
    });
  });
}

const signer = new Stripe("sk_test_signer");
function signed(event: object, timestamp = Math.floor(Date.now() / 1000), secret = WHSEC) {
  const payload = JSON.stringify(event);
  return { payload, header: signer.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}
let evt = 0;
function event(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  return { id: `evt_${Date.now()}_${++evt}`, object: "event", type, created, data: { object }, api_version: "2025-03-31.basil" };
}
async function post(ev: object, opts: { timestamp?: number; secret?: string } = {}) {
  const { payload, header } = signed(ev, opts.timestamp, opts.secret);
  return call("POST", "/api/billing/webhook", { rawBody: payload, headers: { "stripe-signature": header, "content-type": "application/json" } });
}

async function join(owner: string, wsId: string, role: "admin" | "member") {
  const email = randomEmail(role);
  const invited = await call("POST", `/api/workspaces/${wsId}/members`, { token: owner, body: { email, role } });
  const user = await signIn(email);
  await call("POST", `/api/invitations/${invited.body.id}/accept`, { token: user.token, body: {} });
  return user;
}

/** A stage with `invocations` metered today (rows as the metering job writes them). */
async function usage(workspaceId: string, invocations: number) {
  const appId = createId();
  const stageId = createId();
  await Database.use(async (db) => {
    await db.insert(appTable).values({ workspaceId, id: appId, name: `app-${appId.slice(-6)}` });
    await db.insert(stageTable).values({ workspaceId, id: stageId, appId, connectionId: createId(), region: "us-east-1", name: "production", version: "v3", contentHash: "0".repeat(64), sourceTag: "" });
    await db.insert(invocationUsageTable).values({ workspaceId, stageId, functionId: createId(), day: new Date().toISOString().slice(0, 10), invocations });
  });
}

let owner: { token: string };
let ws: { id: string; slug: string };

beforeAll(async () => {
  server = fakeStripe();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  process.env.STRIPE_SECRET_KEY = "sk_test_console";
  process.env.STRIPE_WEBHOOK_SECRET = WHSEC;
  process.env.STRIPE_PRICE_ID = "price_graduated";
  process.env.STRIPE_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resetEnv();
  owner = await signIn();
  ws = await createWorkspace(owner.token);
});

afterAll(async () => {
  for (const k of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_ID", "STRIPE_API_URL"]) delete process.env[k];
  resetEnv();
  await new Promise((r) => server.close(r));
});

describe("billing", () => {
  it("checkout and portal: owners and admins only, one customer per workspace, no quantity", async () => {
    const member = await join(owner.token, ws.id, "member");
    const admin = await join(owner.token, ws.id, "admin");
    const urls = { successUrl: "http://localhost/ok", cancelUrl: "http://localhost/no" };
    expectError(await call("POST", `/api/workspaces/${ws.slug}/billing/checkout`, { token: member.token, body: urls }), 403, "forbidden");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/billing/portal`, { token: member.token, body: { returnUrl: "http://localhost/" } }), 403, "forbidden");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/billing/portal`, { token: owner.token, body: { returnUrl: "http://localhost/" } }), 409, "conflict");
    expect((await call("GET", `/api/workspaces/${ws.slug}/billing`, { token: member.token })).body).toMatchObject({ enabled: true, gated: false, status: null });

    const first = await call("POST", `/api/workspaces/${ws.slug}/billing/checkout`, { token: owner.token, body: urls });
    expect(first.status).toBe(200);
    expect(first.body.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const second = await call("POST", `/api/workspaces/${ws.slug}/billing/checkout`, { token: admin.token, body: urls });
    expect(second.status).toBe(200);
    expect(requests.filter((r) => r.path === "/v1/customers")).toHaveLength(1);
    const sessions = requests.filter((r) => r.path === "/v1/checkout/sessions");
    expect(sessions[0]!.params.get("mode")).toBe("subscription");
    expect(sessions[0]!.params.get("line_items[0][price]")).toBe("price_graduated");
    expect(sessions[0]!.params.get("client_reference_id")).toBe(ws.id);
    const portal = await call("POST", `/api/workspaces/${ws.slug}/billing/portal`, { token: admin.token, body: { returnUrl: "http://localhost/" } });
    expect(portal.body.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
    expectError(await call("POST", `/api/workspaces/${ws.slug}/billing/checkout`, { token: owner.token, body: { successUrl: "javascript:x", cancelUrl: "x" } }), 400, "validation");

    // Another workspace's people cannot see or manage this one.
    const stranger = await signIn();
    expectError(await call("GET", `/api/workspaces/${ws.slug}/billing`, { token: stranger.token }), 404, "not_found");
    expectError(await call("POST", `/api/workspaces/${ws.slug}/billing/portal`, { token: stranger.token, body: { returnUrl: "http://localhost/" } }), 404, "not_found");
  });

  it("webhooks: valid, wrong signature, stale timestamp, replay, unknown customer, and gating on and off", async () => {
    const [row] = await Database.use((db) => db.select().from(billingTable).where(eq(billingTable.workspaceId, ws.id)));
    const customerId = row!.customerId;
    expect(customerId).toMatch(/^cus_/);
    await usage(ws.id, 1_000_001);
    const issues = `/api/workspaces/${ws.slug}/issues`;
    const gated = await call("GET", issues, { token: owner.token });
    expectError(gated, 402, "payment_required");
    expect((await call("GET", `/api/workspaces/${ws.slug}/billing`, { token: owner.token })).body).toMatchObject({ gated: true, reason: "over_free_tier", overFreeTier: true });
    // Usage stays readable (it is how the workspace finds out what it owes).
    expect((await call("GET", `/api/workspaces/${ws.slug}/usage`, { token: owner.token })).body.costUsd).toBe("0.00002");

    const subscribed = event("customer.subscription.created", { id: "sub_1", object: "subscription", customer: customerId, status: "active" });
    expectError(await post(subscribed, { secret: "whsec_wrong" }), 400, "invalid_signature");
    expectError(await post(subscribed, { timestamp: Math.floor(Date.now() / 1000) - 3600 }), 400, "invalid_signature");
    expectError(await call("POST", "/api/billing/webhook", { rawBody: JSON.stringify(subscribed), headers: { "content-type": "application/json" } }), 400, "invalid_signature");
    expectError(await call("GET", issues, { token: owner.token }), 402, "payment_required");

    expect((await post(subscribed)).body).toMatchObject({ received: true, outcome: "applied" });
    expect((await call("GET", issues, { token: owner.token })).status).toBe(200);

    const pastDue = event("customer.subscription.updated", { id: "sub_1", object: "subscription", customer: customerId, status: "past_due" });
    const warnings: unknown[] = [];
    Bus.subscribe(Billing.Events.Warning, async (e) => void warnings.push(e.properties));
    expect((await post(pastDue)).body.outcome).toBe("applied");
    expectError(await call("GET", issues, { token: owner.token }), 402, "payment_required");
    expect((await call("GET", `/api/workspaces/${ws.slug}/billing`, { token: owner.token })).body).toMatchObject({ status: "past_due", reason: "past_due" });
    await Bus.idle();
    expect(warnings).toEqual([{ reason: "past_due", status: "past_due", invocations: "0" }]);

    const paid = event("customer.subscription.updated", { id: "sub_1", object: "subscription", customer: customerId, status: "active" });
    expect((await post(paid)).body.outcome).toBe("applied");
    expect((await call("GET", issues, { token: owner.token })).status).toBe(200);
    // A replay of the past-due event changes nothing.
    expect((await post(pastDue)).body.outcome).toBe("replay");
    expect((await call("GET", issues, { token: owner.token })).status).toBe(200);
    // An older event arriving late never overwrites a newer state.
    const late = event("customer.subscription.updated", { id: "sub_1", object: "subscription", customer: customerId, status: "past_due" }, Math.floor(Date.now() / 1000) - 120);
    expect((await post(late)).body.outcome).toBe("stale");
    // Unknown customers and other event types are acknowledged and ignored.
    expect((await post(event("customer.subscription.updated", { id: "sub_x", customer: "cus_nobody", status: "active" }))).body.outcome).toBe("unknown_customer");
    expect((await post(event("charge.succeeded", { id: "ch_1", customer: customerId }))).body.outcome).toBe("ignored");

    const canceled = event("customer.subscription.deleted", { id: "sub_1", object: "subscription", customer: customerId, status: "canceled" }, Math.floor(Date.now() / 1000) + 1);
    expect((await post(canceled)).body.outcome).toBe("applied");
    expectError(await call("GET", issues, { token: owner.token }), 402, "payment_required");
    expect((await call("GET", `/api/workspaces/${ws.slug}/billing`, { token: owner.token })).body.status).toBe("canceled");
  });

  it("is off below the free tier, and for workspaces of others", async () => {
    const other = await signIn();
    const small = await createWorkspace(other.token);
    await usage((small as { id: string }).id, 1_000_000);
    expect((await call("GET", `/api/workspaces/${small.slug}/issues`, { token: other.token })).status).toBe(200);
  });

  it("sends each day once as a meter event with an identifier and idempotency key", async () => {
    await Database.use((db) => db.update(billingTable).set({ subscriptionId: "sub_1", status: "active" }).where(eq(billingTable.workspaceId, ws.id)));
    const days = [{ day: "2026-01-01", invocations: 1_500_000 }, { day: "2026-01-02", invocations: 7 }];
    const first = await Actor.system("test", { id: ws.id, slug: ws.slug }, () => Billing.report(days));
    expect(first.sent).toBe(2);
    const again = await Actor.system("test", { id: ws.id, slug: ws.slug }, () => Billing.report(days));
    expect(again.sent).toBe(0);
    const sent = requests.filter((r) => r.path === "/v1/billing/meter_events");
    expect(sent).toHaveLength(2);
    expect(sent[0]!.idempotencyKey).toBe(`meter-${ws.id}-2026-01-01`);
    expect(sent[0]!.params.get("identifier")).toBe(`${ws.id}-2026-01-01`);
    expect(sent[0]!.params.get("event_name")).toBe("console_invocations");
    expect(sent[0]!.params.get("payload[value]")).toBe("1500000");
    expect(sent[0]!.params.get("payload[stripe_customer_id]")).toMatch(/^cus_/);
  });
});
