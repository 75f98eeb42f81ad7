import { Hono } from "hono";
import { z } from "zod";
import { Actor } from "@console/core/actor";
import { Alert, Slack } from "@console/core/alert";
import { env } from "@console/core/env";
import { VisibleError } from "@console/core/error";
import { Workspace } from "@console/core/workspace";
import type { AppEnv } from "../context";
import { id, json, param, query } from "../validate";

const destination = param(z.object({ destination: id }));
const rule = param(z.object({ rule: id }));

function publicUrl() {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
const redirectUri = () => Slack.redirectUri(publicUrl());

/** Alerts: destinations, rules, deliveries, Slack (under /workspaces/:workspace). Members read; admins and owners manage. */
export const alertRoutes = new Hono<AppEnv>()
  .get("/alerts/destinations", async (c) => c.json(await Alert.listDestinations()))
  .post("/alerts/destinations", json(Alert.createDestination.schema), async (c) => c.json(await Alert.createDestination(c.req.valid("json")), 201))
  .get("/alerts/destinations/:destination", destination, async (c) => c.json(await Alert.getDestination(c.req.valid("param").destination)))
  .patch("/alerts/destinations/:destination", destination, json(Alert.updateDestination.schema.omit({ id: true })), async (c) =>
    c.json(await Alert.updateDestination({ ...c.req.valid("json"), id: c.req.valid("param").destination })),
  )
  .delete("/alerts/destinations/:destination", destination, async (c) => {
    await Alert.removeDestination(c.req.valid("param").destination);
    return c.json({ ok: true as const });
  })
  .post("/alerts/destinations/:destination/test", destination, async (c) => c.json(await Alert.test(c.req.valid("param").destination)))
  .post("/alerts/destinations/:destination/rotate-secret", destination, async (c) => c.json(await Alert.rotateSecret(c.req.valid("param").destination)))
  .get("/alerts/rules", async (c) => c.json(await Alert.listRules()))
  .post("/alerts/rules", json(Alert.createRule.schema), async (c) => c.json(await Alert.createRule(c.req.valid("json")), 201))
  .get("/alerts/rules/:rule", rule, async (c) => c.json(await Alert.getRule(c.req.valid("param").rule)))
  .patch("/alerts/rules/:rule", rule, json(Alert.updateRule.schema.omit({ id: true })), async (c) =>
    c.json(await Alert.updateRule({ ...c.req.valid("json"), id: c.req.valid("param").rule })),
  )
  .delete("/alerts/rules/:rule", rule, async (c) => {
    await Alert.removeRule(c.req.valid("param").rule);
    return c.json({ ok: true as const });
  })
  .get("/alerts/deliveries", query(Alert.deliveries.schema), async (c) => c.json(await Alert.deliveries(c.req.valid("query"))))
  .get("/alerts/slack", async (c) => {
    const row = await Slack.installation();
    return c.json({ configured: Slack.slackConfigured(), connected: !!row, team: row ? { id: row.teamId, name: row.teamName } : null });
  })
  .post("/alerts/slack/install", async (c) => c.json({ url: await Slack.startInstall(redirectUri()) }))
  .delete("/alerts/slack", async (c) => {
    Actor.assertRole("admin");
    await Slack.removeInstallation();
    return c.json({ ok: true as const });
  })
  .get("/alerts/slack/channels", async (c) => c.json(await Slack.channels()));

/**
 * Slack's OAuth redirect (needs the session of the admin who started the install): the
 * `state` must be one this console issued to this user, unexpired and unused.
 */
export const slackCallbackRoutes = new Hono<AppEnv>().get(
  "/alerts/slack/callback",
  query(z.object({ state: z.string().max(256).default(""), code: z.string().max(512).optional(), error: z.string().max(256).optional() })),
  async (c) => {
    const q = c.req.valid("query");
    const { workspaceId } = await Slack.consumeState(q.state);
    return Workspace.within(workspaceId, async (ws) => {
      Actor.assertRole("admin");
      const back = `${publicUrl()}/${ws.slug}/settings/alerts`;
      if (q.error || !q.code) return c.redirect(`${back}?slack=${encodeURIComponent(q.error ?? "cancelled")}`, 302);
      try {
        await Slack.finishInstall(q.code, redirectUri());
      } catch (err) {
        if (err instanceof VisibleError) return c.redirect(`${back}?slack=error`, 302);
        throw err;
      }
      return c.redirect(`${back}?slack=connected`, 302);
    });
  },
);
