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
