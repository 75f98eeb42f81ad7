/**
 * The console's HTTP API: one Hono app, mounted at /api, run by
 * @hono/node-server locally and by the Lambda entry (lambda.ts) on AWS.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Database } from "@console/core/db";
import { errorBody, notFound, onError } from "./error";
import { requireUser, type AppEnv } from "./context";
import { authRoutes, accountRoutes } from "./routes/auth";
import { workspaceRoutes } from "./routes/workspace";
import { invitationRoutes } from "./routes/invitation";
import { configRoutes, templateRoutes } from "./routes/meta";
import { slackCallbackRoutes } from "./routes/alerts";
import { billingWebhookRoutes } from "./routes/billing";
import { githubCallbackRoutes, githubWebhookRoutes } from "./routes/github";

export const MAX_BODY_BYTES = 64 * 1024;

export function createApi() {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody("payload_too_large", `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`), 413),
  });
  const api = new Hono<AppEnv>()
    // Source map uploads have a larger limit of their own (routes/issue.ts).
    .use((c, next) => (c.req.method === "POST" && /\/sourcemaps$/.test(c.req.path) ? next() : limit(c, next)))
    .use(async (c, next) => {
      await next();
      c.header("Cache-Control", "no-store");
      c.header("X-Content-Type-Options", "nosniff");
    })
    .get("/health", async (c) => {
      try {
        await Database.ping();
        return c.json({ ok: true, database: "up", time: new Date().toISOString() });
      } catch {
        return c.json({ ok: false, database: "down", time: new Date().toISOString() }, 503);
      }
    })
    .route("/", authRoutes)
    .route("/", templateRoutes)
    .route("/", billingWebhookRoutes)
    .route("/", githubWebhookRoutes)
    .use("*", requireUser)
    .route("/", configRoutes)
    .route("/", workspaceRoutes)
    .route("/", invitationRoutes)
    .route("/", accountRoutes)
    .route("/", slackCallbackRoutes)
    .route("/", githubCallbackRoutes);

  const app = new Hono<AppEnv>().route("/api", api);
  app.notFound(notFound);
  app.onError(onError);
  return app;
}

export type Api = ReturnType<typeof createApi>;
