/**
 * What each function of the demo account runs, and the traffic it sees.
 *
 * Every demo function is backed by one handler of the demo programs (programs/node/handler.ts,
 * programs/python/handler.py), so invoking it from the console gives that handler's real
 * answer, and the demo traffic gives each function the events a real service would see:
 * mostly ordinary requests that succeed (with ordinary log lines), now and then one that
 * hits its bug. Matched by component (v3) or construct (v2) name.
 */
import type { DemoProgram } from "./programs";
import type { SeededFunction } from "./seed";

export interface DemoEvent {
  /** Relative weight in the traffic. */
  weight: number;
  event: unknown;
  /** Shrinks the heap for this event (the out-of-memory case stays quick). */
  memoryMb?: number;
}

export interface DemoBehaviour {
  program: DemoProgram;
  handler: string;
  /** Traffic events; the first is the example a newcomer's `{}` resembles. */
  events: DemoEvent[];
}

const http = (method: string, rawPath: string, body?: unknown) => ({
  version: "2.0",
  rawPath,
  requestContext: { http: { method, path: rawPath } },
  headers: { "content-type": "application/json" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const sqs = (...orders: unknown[]) => ({ Records: orders.map((o, i) => ({ messageId: `m-${i + 1}`, body: JSON.stringify(o) })) });

const BEHAVIOURS: Record<string, DemoBehaviour> = {
  Api: {
    program: "node",
    handler: "api",
    events: [
      { weight: 4, event: http("GET", "/health") },
      { weight: 4, event: http("GET", "/orders/o-1001") },
      { weight: 1, event: http("GET", "/orders/o-9999") },
      { weight: 3, event: http("GET", "/customers/c1/label") },
      { weight: 1, event: http("GET", "/customers/c2/label") },
      { weight: 3, event: http("POST", "/quote", { total: 120, coupon: "SPRING10" }) },
      { weight: 1, event: http("POST", "/quote", { total: 120 }) },
    ],
  },
  OrderWorker: {
    program: "node",
    handler: "orderWorker",
    events: [
      { weight: 6, event: sqs({ id: "o-2001", items: [{ sku: "sku-1", qty: 2 }] }, { id: "o-2002", items: [{ sku: "sku-2", qty: 1 }] }) },
      { weight: 2, event: sqs({ id: "o-2003", items: [{ sku: "sku-404", qty: 1 }] }) },
      { weight: 1, event: sqs({ id: "x", items: [] }) },
    ],
  },
  NightlyReport: {
    program: "node",
    handler: "nightlyReport",
    events: [
      { weight: 6, event: { ms: 400 } },
      { weight: 1, event: { ms: 60_000 } },
    ],
  },
  Pricing: {
    program: "python",
    handler: "pricing",
    events: [
      { weight: 4, event: { sku: "sku-1" } },
      { weight: 3, event: { sku: "sku-2" } },
      { weight: 1, event: { sku: "sku-404" } },
    ],
  },
  WebhooksStripeHandler: {
    program: "node",
    handler: "stripeWebhook",
    events: [
      { weight: 4, event: http("POST", "/stripe", { id: "evt_1", type: "invoice.paid" }) },
      { weight: 2, event: http("POST", "/stripe", { id: "evt_2", type: "checkout.session.completed" }) },
      { weight: 1, event: http("POST", "/stripe", { id: "evt_3", type: "charge.refunded" }) },
    ],
  },
  Checkout: {
    program: "node",
    handler: "checkoutSession",
    events: [
      { weight: 5, event: { cartId: "cart-7", total: 80, currency: "EUR" } },
      { weight: 1, event: { cartId: "cart-8", total: 250, currency: "EUR" } },
    ],
  },
  SendEmail: {
    program: "node",
    handler: "sendEmail",
    events: [
      { weight: 6, event: { orderId: "o-1001", to: "ada@example.com" } },
      { weight: 1, event: { orderId: "o-1002", to: "linus@example.com", legacy: true } },
    ],
  },
  ListReports: { program: "node", handler: "reports", events: [{ weight: 1, event: http("GET", "/reports") }] },
  CreateReport: { program: "node", handler: "reports", events: [{ weight: 1, event: http("POST", "/reports", { name: "Q4" }) }] },
  ExportJob: {
    program: "node",
    handler: "reports",
    events: [
      { weight: 6, event: { action: "export", rows: 1000 } },
      { weight: 1, event: { action: "export", rows: 2_000_000 }, memoryMb: 64 },
    ],
  },
};

const FALLBACK: Record<DemoProgram, DemoBehaviour> = {
  node: { program: "node", handler: "health", events: [{ weight: 1, event: {} }] },
  python: { program: "python", handler: "health", events: [{ weight: 1, event: {} }] },
};

/** What `fn` runs in the demo. */
export function demoBehaviour(fn: Pick<SeededFunction, "component" | "runtime">): DemoBehaviour {
  const known = BEHAVIOURS[fn.component];
  const program: DemoProgram = fn.runtime.startsWith("python") ? "python" : "node";
  return known && known.program === program ? known : FALLBACK[program];
}

/** A traffic event of `behaviour`, drawn by weight. */
export function pickEvent(behaviour: DemoBehaviour, random = Math.random): DemoEvent {
  const total = behaviour.events.reduce((n, e) => n + e.weight, 0);
  let r = random() * total;
  for (const e of behaviour.events) {
    r -= e.weight;
    if (r < 0) return e;
  }
  return behaviour.events[behaviour.events.length - 1]!;
}
