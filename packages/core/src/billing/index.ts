/**
 * Billing through Stripe (Billing Meters; no legacy usage records): a customer per
 * workspace, Checkout for the graduated tiered metered price, the customer portal,
 * daily usage as meter events (an identifier and idempotency key per workspace and day,
 * so a retry never double-bills), and a verified webhook that keeps the subscription
 * state. Gating: a workspace over the free tier without an active subscription, or past
 * due, is refused the paid features (402 `payment_required`) until it pays; nothing it
 * sends is dropped meanwhile.
 */
import Stripe from "stripe";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { Database } from "../db";
import { env } from "../env";
import { ForbiddenError, VisibleError } from "../error";
import { Bus, defineEvent } from "../event";
import { TIERS } from "../usage/pricing";
import { monthInvocations } from "../usage/meter";
import { billingEventTable, billingReportTable, billingTable } from "./billing.sql";

export { billingEventTable, billingReportTable, billingTable } from "./billing.sql";

/** Invocations a month costs nothing below (the end of the free tier). */
export const FREE_INVOCATIONS = TIERS[0]!.unitMicros === 0n ? (TIERS[0]!.upTo ?? 0n) : 0n;
const PAID_STATUSES = new Set(["active", "trialing"]);

let client: Stripe | undefined;
let clientKey: string | undefined;

export interface BillingState {
  /** Stripe is configured for this console (otherwise nothing is gated). */
  enabled: boolean;
  status: string | null;
  subscribed: boolean;
  invocations: number | string;
  freeInvocations: number;
  overFreeTier: boolean;
  /** The paid features are refused until the workspace subscribes or pays. */
  gated: boolean;
  reason: "over_free_tier" | "past_due" | null;
  hasCustomer: boolean;
}

export namespace Billing {
  export const Events = {
    /** A workspace needs to pay: over the free tier without a subscription, or past due. */
    Warning: defineEvent(
      "subscription.warning",
      z.object({ reason: z.enum(["over_free_tier", "past_due"]), status: z.string().nullable(), invocations: z.string() }),
    ),
  };

  export function enabled() {
    return !!env.STRIPE_SECRET_KEY;
  }

  /** The Stripe SDK client (host, port and protocol from STRIPE_API_URL when set). */
  export function stripe(): Stripe {
    const key = env.STRIPE_SECRET_KEY;
    if (!key) throw new VisibleError("billing_unavailable", "Billing is not configured on this console");
    if (client && clientKey === `${key}|${env.STRIPE_API_URL ?? ""}`) return client;
    const url = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : undefined;
    client = new Stripe(key, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      ...(url
        ? { host: url.hostname, port: Number(url.port || (url.protocol === "https:" ? 443 : 80)), protocol: url.protocol.replace(":", "") as "http" | "https" }
        : {}),
    });
    clientKey = `${key}|${env.STRIPE_API_URL ?? ""}`;
    return client;
  }

  async function row(workspaceId = Actor.workspaceId()) {
    const [r] = await Database.use((db) => db.select().from(billingTable).where(eq(billingTable.workspaceId, workspaceId)));
    return r;
  }

  export async function state(): Promise<BillingState> {
    const [r, n] = await Promise.all([row(), monthInvocations()]);
    const status = r?.status ?? null;
    const subscribed = !!status && PAID_STATUSES.has(status);
    const over = n > FREE_INVOCATIONS;
    const on = enabled();
    const reason = !on ? null : status === "past_due" || status === "unpaid" ? "past_due" : over && !subscribed ? "over_free_tier" : null;
    return {
      enabled: on,
      status,
      subscribed,
      invocations: n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString(),
      freeInvocations: Number(FREE_INVOCATIONS),
      overFreeTier: over,
      gated: reason !== null,
      reason,
      hasCustomer: !!r,
    };
  }

  /** Throws 402 `payment_required` when the workspace must subscribe or pay first. */
  export async function assertPaid() {
    if (!enabled()) return;
    const s = await state();
    if (!s.gated) return;
    throw new VisibleError(
      "payment_required",
      s.reason === "past_due"
        ? "The last payment failed: update the payment method in Settings → Usage and billing. Nothing is lost meanwhile."
        : "This workspace is over the free tier: subscribe in Settings → Usage and billing. Nothing is lost meanwhile.",
      { reason: s.reason },
    );
  }

  /** Announces that the workspace needs payment (once per crossing: the caller decides when). */
  export async function warnIfGated() {
    if (!enabled()) return;
    const s = await state();
    if (s.gated) await Bus.publish(Events.Warning, { reason: s.reason!, status: s.status, invocations: String(s.invocations) });
  }

  function assertManage() {
    if (!Actor.hasRole("admin")) throw new ForbiddenError("Only owners and admins can manage billing");
  }

  /** The workspace's Stripe customer, created once (the idempotency key makes a retry reuse it). */
  export async function customer(): Promise<string> {
    const workspaceId = Actor.workspaceId();
    const existing = await row(workspaceId);
    if (existing) return existing.customerId;
    const created = await stripe().customers.create(
      { metadata: { workspaceId }, description: `Console workspace ${workspaceId}` },
      { idempotencyKey: `customer-${workspaceId}` },
    );
    await Database.use((db) =>
      db.insert(billingTable).values({ workspaceId, customerId: created.id }).onDuplicateKeyUpdate({ set: { workspaceId } }),
    );
    return (await row(workspaceId))!.customerId;
  }

  export async function checkout(input: { successUrl: string; cancelUrl: string }): Promise<{ url: string }> {
    assertManage();
    const price = env.STRIPE_PRICE_ID;
    if (!price) throw new VisibleError("billing_unavailable", "Billing is not configured on this console");
    const s = await state();
    if (s.subscribed) throw new VisibleError("conflict", "This workspace already has an active subscription; manage it instead");
    const customerId = await customer();
    const session = await stripe().checkout.sessions.create({
      mode: "subscription",
      customer: customerId,
      // Metered price: no quantity.
      line_items: [{ price }],
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      client_reference_id: Actor.workspaceId(),
      subscription_data: { metadata: { workspaceId: Actor.workspaceId() } },
    });
    if (!session.url) throw new VisibleError("billing_unavailable", "Stripe did not return a checkout page");
    return { url: session.url };
  }

  export async function portal(input: { returnUrl: string }): Promise<{ url: string }> {
    assertManage();
    const existing = await row();
    if (!existing) throw new VisibleError("conflict", "This workspace has no billing account yet: subscribe first");
    const session = await stripe().billingPortal.sessions.create({ customer: existing.customerId, return_url: input.returnUrl });
    return { url: session.url };
  }

  /**
   * Sends each finished day's invocations as one meter event (identifier and idempotency
   * key `<workspace>-<day>`): a retry or a re-run never bills twice. Days already sent
   * are skipped. Runs in the current workspace; does nothing without a customer.
   */
  export async function report(days: { day: string; invocations: number }[]): Promise<{ sent: number }> {
    if (!enabled()) return { sent: 0 };
    const workspaceId = Actor.workspaceId();
    const r = await row(workspaceId);
    if (!r?.subscriptionId) return { sent: 0 };
    let sent = 0;
    for (const d of days) {
      const identifier = `${workspaceId}-${d.day}`;
      const [done] = await Database.use((db) =>
        db.select().from(billingReportTable).where(and(eq(billingReportTable.workspaceId, workspaceId), eq(billingReportTable.day, d.day))),
      );
      if (done?.timeSent) continue;
      await Database.use((db) =>
        db.insert(billingReportTable).values({ workspaceId, day: d.day, invocations: d.invocations, identifier }).onDuplicateKeyUpdate({ set: { invocations: d.invocations } }),
      );
      await stripe().billing.meterEvents.create(
        {
          event_name: env.STRIPE_METER_EVENT,
          identifier,
          // Noon of the day, inside the billing period the day belongs to.
          timestamp: Math.floor(Date.parse(`${d.day}T12:00:00.000Z`) / 1000),
          payload: { stripe_customer_id: r.customerId, value: String(d.invocations) },
        },
        { idempotencyKey: `meter-${identifier}` },
      );
      await Database.use((db) =>
        db.update(billingReportTable).set({ timeSent: new Date() }).where(and(eq(billingReportTable.workspaceId, workspaceId), eq(billingReportTable.day, d.day))),
      );
      sent++;
    }
    return { sent };
  }

  export interface WebhookResult {
    received: true;
    type: string;
    outcome: "applied" | "replay" | "unknown_customer" | "ignored" | "stale";
  }

  /** Verifies and applies a webhook. `rawBody` must be the unparsed request body. */
  export async function webhook(rawBody: string | Buffer, signature: string | undefined): Promise<WebhookResult> {
    const secret = env.STRIPE_WEBHOOK_SECRET;
    if (!secret) throw new VisibleError("billing_unavailable", "Billing is not configured on this console");
    let event: Stripe.Event;
    try {
      event = stripe().webhooks.constructEvent(rawBody, signature ?? "", secret);
    } catch (err) {
      throw new VisibleError("invalid_signature", `The Stripe signature does not verify: ${(err as Error).message}`);
    }
    const customerId = customerOf(event);
    const ws = customerId
      ? (await Database.use((db) => db.select().from(billingTable).where(eq(billingTable.customerId, customerId))))[0]
      : undefined;
    // Replays: an event id is applied once.
    const fresh = await Database.use(async (db) => {
      const res = await db.insert(billingEventTable).ignore().values({ id: event.id, type: event.type });
      return (res as unknown as [{ affectedRows: number }])[0].affectedRows === 1;
    });
    if (!fresh) return { received: true, type: event.type, outcome: "replay" };
    if (!SUBSCRIPTION_EVENTS.has(event.type)) return { received: true, type: event.type, outcome: "ignored" };
    if (!ws) return { received: true, type: event.type, outcome: "unknown_customer" };
    const obj = event.data.object as { id?: string; status?: string; subscription?: string | { id: string } | null };
    const created = new Date(event.created * 1000);
    let set: Partial<typeof billingTable.$inferInsert> = {};
    if (event.type === "checkout.session.completed") {
      const sub = typeof obj.subscription === "string" ? obj.subscription : obj.subscription?.id;
      // The subscription events carry the status; Checkout completing means it is active unless they say otherwise.
      set = { subscriptionId: sub ?? ws.subscriptionId, ...(ws.status ? {} : { status: "active" }) };
      await Database.use((db) => db.update(billingTable).set(set).where(eq(billingTable.workspaceId, ws.workspaceId)));
      return { received: true, type: event.type, outcome: "applied" };
    }
    if (event.type === "invoice.payment_failed") {
      set = { status: "past_due" };
    } else {
      set = { subscriptionId: obj.id ?? ws.subscriptionId, status: event.type === "customer.subscription.deleted" ? "canceled" : (obj.status ?? ws.status) };
    }
    // Order is not guaranteed: an older event never overwrites a newer one.
    const applied = await Database.use(async (db) => {
      const res = await db
        .update(billingTable)
        .set({ ...set, timeEvent: created })
        .where(and(eq(billingTable.workspaceId, ws.workspaceId), or(isNull(billingTable.timeEvent), lt(billingTable.timeEvent, new Date(created.getTime() + 1)))));
      return (res as unknown as [{ affectedRows: number }])[0].affectedRows > 0;
    });
    if (applied && set.status === "past_due") {
      await Actor.system("billing webhook", { id: ws.workspaceId, slug: "" }, () =>
        Bus.publish(Events.Warning, { reason: "past_due", status: "past_due", invocations: "0" }),
      );
    }
    return { received: true, type: event.type, outcome: applied ? "applied" : "stale" };
  }
}

const SUBSCRIPTION_EVENTS = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.payment_failed",
]);

function customerOf(event: Stripe.Event): string | undefined {
  const c = (event.data.object as { customer?: string | { id: string } | null }).customer;
  return typeof c === "string" ? c : c?.id;
}

/**
 * The daily job for one workspace (run inside it): meters from the first day of
 * yesterday's month to today, sends finished days to Stripe (at most 35 days back, as
 * Stripe accepts), and announces `subscription.warning` when the workspace crosses into
 * needing payment.
 */
export async function meterAndReport(now = Date.now()): Promise<{ invocations: number; sent: number; crossed: boolean }> {
  const { meter, dayOf } = await import("../usage/meter");
  const today = dayOf(now);
  const yesterday = dayOf(now - 86_400_000);
  const month = today.slice(0, 7);
  const before = await monthInvocations(month);
  const result = await meter({ from: `${yesterday.slice(0, 7)}-01`, to: today });
  const after = await monthInvocations(month);
  let sent = 0;
  if (Billing.enabled()) {
    const workspaceId = Actor.workspaceId();
    const oldest = dayOf(now - 35 * 86_400_000);
    const { invocationUsageTable } = await import("../usage/usage.sql");
    const { and: and_, gte, lt: lt_, sql } = await import("drizzle-orm");
    const days = await Database.use((db) =>
      db
        .select({ day: invocationUsageTable.day, invocations: sql<string>`sum(${invocationUsageTable.invocations})` })
        .from(invocationUsageTable)
        .where(and_(eq(invocationUsageTable.workspaceId, workspaceId), gte(invocationUsageTable.day, oldest), lt_(invocationUsageTable.day, today)))
        .groupBy(invocationUsageTable.day),
    );
    sent = (await Billing.report(days.map((d) => ({ day: d.day, invocations: Number(d.invocations) })))).sent;
  }
  const crossed = before <= FREE_INVOCATIONS && after > FREE_INVOCATIONS;
  if (crossed) await Billing.warnIfGated();
  return { invocations: result.invocations, sent, crossed };
}
