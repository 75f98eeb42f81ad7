import { Hono } from "hono";
import { z } from "zod";
import { Actor } from "@console/core/actor";
import { env } from "@console/core/env";
import { VisibleError } from "@console/core/error";
import { Autodeploy } from "@console/core/autodeploy";
import { Github } from "@console/core/github";
import { Workspace } from "@console/core/workspace";
import type { AppEnv } from "../context";
import { id, param, query } from "../validate";

function publicUrl() {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/**
 * GitHub's webhook deliveries to the console's GitHub App (public: the signature is the
 * proof). A push or pull request of a linked repository queues the runs its app's targets
 * decide; the runs start on the next tick (cron).
 */
export const githubWebhookRoutes = new Hono<AppEnv>().post("/github/webhook", async (c) => {
  const { taken } = await Autodeploy.webhook({
    id: c.req.header("x-github-delivery"),
    name: c.req.header("x-github-event"),
    signature: c.req.header("x-hub-signature-256"),
    body: await c.req.text(),
  });
  return c.json({ received: true, outcome: taken.outcome, event: taken.event });
});

/**
 * GitHub's redirect after an install, in the browser of the admin who started it (signed
 * in): the `state` must be one this console issued to this user, unexpired and unused,
 * and GitHub must say (through the OAuth `code`) that this user can see the installation.
 */
export const githubCallbackRoutes = new Hono<AppEnv>().get(
  "/github/callback",
  query(
    z.object({
      state: z.string().max(256).default(""),
      installation_id: z.coerce.number().int().positive().optional(),
      code: z.string().max(512).optional(),
      setup_action: z.string().max(32).optional(),
    }),
  ),
  async (c) => {
    const q = c.req.valid("query");
    const { workspaceId } = await Github.consumeState(q.state);
    return Workspace.within(workspaceId, async (ws) => {
      Actor.assertRole("admin");
      const back = `${publicUrl()}/${ws.slug}/settings/accounts`;
      if (!q.installation_id || !q.code) return c.redirect(`${back}?github=cancelled`, 302);
      try {
        await Github.finishInstall({ installationId: q.installation_id, code: q.code });
      } catch (err) {
        if (err instanceof VisibleError) return c.redirect(`${back}?github=${err.code}`, 302);
        throw err;
      }
      return c.redirect(`${back}?github=connected`, 302);
    });
  },
);

/** A workspace's GitHub installations (under /workspaces/:workspace). */
export const githubRoutes = new Hono<AppEnv>()
  .get("/github", async (c) => c.json({ configured: Github.installable(), installations: await Github.installations() }))
  .post("/github/install", async (c) => c.json(await Github.startInstall()))
  .delete("/github/installations/:installation", param(z.object({ installation: id })), async (c) => {
    await Github.removeInstallation(c.req.valid("param").installation);
    return c.json({ ok: true });
  });
