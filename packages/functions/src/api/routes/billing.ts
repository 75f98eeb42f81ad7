import { Hono } from "hono";
import { z } from "zod";
import { Billing } from "@console/core/billing";
import type { AppEnv } from "../context";
import { json } from "../validate";

const returnUrl = z.string().url().max(2048).refine((u) => /^https?:/.test(u), "must be http(s)");

/** Billing of one workspace (under /workspaces/:workspace): members read, owners and admins manage. */
export const billingRoutes = new Hono<AppEnv>()
  .get("/billing", async (c) => c.json(await Billing.state()))
  .post("/billing/checkout", json(z.object({ successUrl: returnUrl, cancelUrl: returnUrl })), async (c) =>
    c.json(await Billing.checkout(c.req.valid("json"))),
  )
  .post("/billing/portal", json(z.object({ returnUrl })), async (c) => c.json(await Billing.portal(c.req.valid("json"))));

/** Stripe's webhook: no session; the signature over the raw body is the authentication. */
export const billingWebhookRoutes = new Hono<AppEnv>().post("/billing/webhook", async (c) => {
  const raw = Buffer.from(await c.req.arrayBuffer());
  return c.json(await Billing.webhook(raw, c.req.header("stripe-signature")));
});

/** The paid features refuse a workspace that must subscribe or pay first (402). */
export const requirePaid = async (_c: unknown, next: () => Promise<void>) => {
  await Billing.assertPaid();
  await next();
};
