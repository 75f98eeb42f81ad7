/**
 * A small order service with real bugs, for the local console's demo traffic and for the
 * tests that check Issues end to end (detect, source-map, group) against genuine Node
 * stacks. Bundled with esbuild like an SST function; each export is a Lambda handler.
 *
 * The bugs are ordinary ones: reading a property of a missing object, a business error
 * thrown up the stack, a promise nobody awaited, an error caught and logged, a job slower
 * than its timeout, an invalid payload rejected by zod, a callback that fails inside a
 * library, and an export that runs out of memory. Do not "fix" them: tests pin their source positions by the code below.
 */
import { z } from "zod";

interface Address {
  street: string;
  city: string;
}

interface Customer {
  id: string;
  name: string;
  address?: Address;
}

const customers: Record<string, Customer> = {
  c1: { id: "c1", name: "Ada Lovelace", address: { street: "12 St James's Square", city: "London" } },
  c2: { id: "c2", name: "Linus Torvalds" },
};

export class PaymentDeclinedError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = "PaymentDeclinedError";
  }
}

const Order = z.object({
  id: z.string().min(3),
  items: z.array(z.object({ sku: z.string(), qty: z.number().int().positive() })).min(1),
});

const COUPONS: Record<string, number> = { SPRING10: 0.1, VIP: 0.25 };

function discounted(total: number, coupon?: string): number {
  const rate = COUPONS[coupon!.toUpperCase()] ?? 0;
  return Math.round(total * (1 - rate) * 100) / 100;
}

const Quote = z.object({ total: z.number().positive(), coupon: z.string().optional() }).transform((q) => ({ ...q, total: discounted(q.total, q.coupon) }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function findCustomer(id: string): Customer {
  return customers[id] ?? { id, name: "Guest" };
}

function formatLabel(customer: Customer): string {
  return `${customer.name}\n${customer.address!.street}\n${customer.address!.city.toUpperCase()}`;
}

/** Bug: customers without an address have no `address` (TypeError on undefined). */
export async function shippingLabel(event: { customerId?: string }) {
  const customer = findCustomer(event.customerId ?? "c2");
  return { label: formatLabel(customer) };
}

async function authorize(amount: number, currency: string) {
  await sleep(1);
  if (amount > 200) throw new PaymentDeclinedError(`card declined for ${amount} ${currency}`, "insufficient_funds");
  return { authorized: amount };
}

/** Bug: large orders are declined and nothing catches it (a thrown custom error). */
export async function checkout(event: { total?: number; currency?: string }) {
  const payment = await authorize(event.total ?? 250, event.currency ?? "EUR");
  return { ok: true, payment };
}

async function notifyWarehouse(orderId: string) {
  await sleep(1);
  throw new Error(`warehouse queue unavailable for order ${orderId}`);
}

/** Bug: the warehouse notification is not awaited (an unhandled rejection). */
export async function sendReceipt(event: { orderId?: string }) {
  void notifyWarehouse(event.orderId ?? "o-1001");
  await sleep(50);
  return { sent: true };
}

async function fetchStock(sku: string): Promise<number> {
  await sleep(1);
  const err = new Error(`stock service returned 503 for ${sku}`);
  Object.assign(err, { status: 503, retryable: true });
  throw err;
}

/** Handled, but logged: `console.error(err)` with util.inspect's own-property block. */
export async function syncInventory(event: { sku?: string }) {
  try {
    return { stock: await fetchStock(event.sku ?? "sku-404") };
  } catch (err) {
    console.error(err);
    return { stock: null };
  }
}

/** Bug: the report takes longer than the function's timeout. */
export async function generateReport(event: { ms?: number }) {
  console.log("generating monthly report");
  await sleep(event.ms ?? 60_000);
  return { done: true };
}

/** Bug: invalid payloads are rejected deep inside zod (frames in node_modules). */
export async function createOrder(event: unknown) {
  const order = Order.parse(event);
  return { id: order.id, items: order.items.length };
}

/** Bug: quotes without a coupon fail inside zod's transform (library frames between the user's). */
export async function quote(event: unknown) {
  return Quote.parse(event);
}

/** Bug: keeps every row in memory (out of memory). */
export async function exportAll() {
  const rows: number[][] = [];
  for (;;) rows.push(new Array(250_000).fill(rows.length));
}

export async function health() {
  console.log("health check ok");
  return { ok: true };
}

// ---------------------------------------------------------------------------------------
// The demo account's functions: ordinary work with ordinary logs around the handlers above,
// so that most invocations succeed and the logs look like a real service's. (New code goes
// below this line: the tests pin the positions of the code above.)

interface HttpEvent {
  rawPath?: string;
  requestContext?: { http?: { method?: string } };
  body?: string;
  headers?: Record<string, string>;
}

const ORDERS: Record<string, { id: string; status: string; total: number }> = {
  "o-1001": { id: "o-1001", status: "shipped", total: 42.5 },
  "o-1002": { id: "o-1002", status: "paid", total: 120 },
};

const reply = (statusCode: number, body: unknown) => ({ statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** The public HTTP API (a function URL): routes to the handlers above and logs each request. */
export async function api(event: HttpEvent) {
  const method = event.requestContext?.http?.method ?? "GET";
  const path = event.rawPath ?? "/";
  const started = Date.now();
  console.info(JSON.stringify({ level: "info", msg: "request", method, path }));
  let response;
  const label = /^\/customers\/([^/]+)\/label$/.exec(path);
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (path === "/" || path === "/health") {
    response = reply(200, { ok: true, routes: ["GET /health", "GET /orders/{id}", "GET /customers/{id}/label", "POST /quote"] });
  } else if (order && method === "GET") {
    const found = ORDERS[order[1]!];
    if (!found) console.warn(`order ${order[1]} not found`);
    response = found ? reply(200, found) : reply(404, { message: "order not found" });
  } else if (label && method === "GET") {
    response = reply(200, await shippingLabel({ customerId: label[1] }));
  } else if (path === "/quote" && method === "POST") {
    const input: unknown = JSON.parse(event.body ?? "{}");
    response = reply(200, await quote(input));
  } else {
    response = reply(404, { message: `no route for ${method} ${path}` });
  }
  console.info(JSON.stringify({ level: "info", msg: "response", status: response.statusCode, ms: Date.now() - started }));
  return response;
}

/** Order events from a queue: each order is validated and stored; a missing SKU is looked up again. */
export async function orderWorker(event: { Records?: { messageId?: string; body?: string }[] }) {
  const records = event.Records ?? [];
  console.log(`received ${records.length} message(s)`);
  const failures: { itemIdentifier: string }[] = [];
  for (const r of records) {
    const message: { id?: string; items?: { sku: string; qty: number }[] } = JSON.parse(r.body ?? "{}");
    console.log(`processing order ${message.id ?? "(no id)"}`);
    const stored = await createOrder(message);
    for (const item of message.items ?? []) if (item.sku === "sku-404") await syncInventory({ sku: item.sku });
    await sleep(5 + Math.floor(Math.random() * 20));
    console.log(`order ${stored.id} stored with ${stored.items} item(s)`);
  }
  return { batchItemFailures: failures };
}

/** The nightly report: a few steps, each logged; slower than its timeout when asked to take longer. */
export async function nightlyReport(event: { ms?: number; day?: string }) {
  const day = event.day ?? new Date().toISOString().slice(0, 10);
  console.log(`building the report of ${day}`);
  const steps = ["orders", "refunds", "inventory"];
  const each = Math.max(1, Math.floor((event.ms ?? 300) / steps.length));
  for (const step of steps) {
    await sleep(each);
    console.log(JSON.stringify({ msg: "step done", step, rows: 100 + Math.floor(Math.random() * 900) }));
  }
  console.log("report uploaded");
  return { day, done: true };
}

/** Checkout sessions (a function URL): logs the attempt and the payment's outcome. */
export async function checkoutSession(event: { total?: number; currency?: string; cartId?: string }) {
  console.log(`creating a checkout session for cart ${event.cartId ?? "cart-1"}`);
  const result = await checkout({ total: event.total ?? 80, currency: event.currency ?? "EUR" });
  console.log(`payment authorized: ${result.payment.authorized} ${event.currency ?? "EUR"}`);
  return { sessionId: `cs_${Math.random().toString(36).slice(2, 12)}`, ...result };
}

/** Receipts by email; the `legacy` flag takes the old path that forgets to await the warehouse. */
export async function sendEmail(event: { orderId?: string; to?: string; legacy?: boolean }) {
  console.log(`sending the receipt of ${event.orderId ?? "o-1001"} to ${event.to ?? "ada@example.com"}`);
  if (event.legacy) return sendReceipt({ orderId: event.orderId });
  await sleep(10 + Math.floor(Math.random() * 30));
  const messageId = `0100018c-${Math.random().toString(16).slice(2, 10)}`;
  console.log(`sent, message id ${messageId}`);
  return { sent: true, messageId };
}

/** Stripe's webhook: logs the event type; unknown types are acknowledged with a warning. */
export async function stripeWebhook(event: HttpEvent) {
  const body: { type?: string; id?: string } = JSON.parse(event.body ?? "{}");
  console.log(`stripe event ${body.id ?? "evt_unknown"} ${body.type ?? "(no type)"}`);
  if (!["checkout.session.completed", "invoice.paid", "customer.subscription.updated"].includes(body.type ?? "")) {
    console.warn(`ignoring stripe event type ${body.type}`);
  }
  return reply(200, { received: true });
}

/** Reports of the legacy app: listed, created and exported. */
export async function reports(event: HttpEvent & { action?: "list" | "create" | "export"; rows?: number }) {
  const action = event.action ?? (event.requestContext?.http?.method === "POST" ? "create" : "list");
  console.log(`reports: ${action}`);
  if (action === "create") {
    const id = `r-${Math.floor(Math.random() * 10_000)}`;
    console.log(`report ${id} queued`);
    return reply(201, { id });
  }
  if (action === "export") {
    const rows = event.rows ?? 500;
    const chunks = Math.ceil(rows / 250);
    for (let i = 0; i < chunks; i++) console.log(`exported chunk ${i + 1}/${chunks}`);
    if (rows > 1_000_000) return exportAll();
    return { exported: rows };
  }
  return reply(200, { reports: [{ id: "r-1", name: "Monthly sales" }, { id: "r-2", name: "Refunds" }] });
}
