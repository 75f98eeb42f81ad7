import { Hono } from "hono";
import { Github } from "@console/core/github";
import type { AppEnv } from "../context";

/** GitHub's webhook deliveries to the console's GitHub App (public: the signature is the proof). */
export const githubWebhookRoutes = new Hono<AppEnv>().post("/github/webhook", async (c) => {
  const taken = await Github.receive({
    id: c.req.header("x-github-delivery"),
    name: c.req.header("x-github-event"),
    signature: c.req.header("x-hub-signature-256"),
    body: await c.req.text(),
  });
  return c.json({ received: true, outcome: taken.outcome, event: taken.event });
});
