import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { Actor } from "@console/core/actor";
import { Issue, SourceMaps, Subscriptions } from "@console/core/issue";
import { Warning } from "@console/core/warning";
import { jsonBody } from "../body";
import type { AppEnv } from "../context";
import { errorBody } from "../error";

/** Issues, their triage, fingerprint rules, source maps and warnings (under /workspaces/:workspace). */
export const issueRoutes = new Hono<AppEnv>()
  .get("/issues", async (c) =>
    c.json(
      await Issue.list({
        status: (c.req.query("status") ?? "active") as "active",
        stageId: c.req.query("stage") || undefined,
        functionName: c.req.query("function") || undefined,
        limit: (c.req.query("limit") ?? 50) as number,
        before: c.req.query("before") || undefined,
      }),
    ),
  )
  .get("/issues/counts", async (c) => c.json(await Issue.counts({ stageId: c.req.query("stage") || undefined })))
  .post("/issues/resolve", async (c) => c.json(await Issue.resolve((await jsonBody(c)) as { ids: string[] })))
  .post("/issues/ignore", async (c) => c.json(await Issue.ignore((await jsonBody(c)) as { ids: string[] })))
  .post("/issues/reopen", async (c) => c.json(await Issue.reopen((await jsonBody(c)) as { ids: string[] })))
  .post("/issues/merge", async (c) => c.json(await Issue.merge((await jsonBody(c)) as { target: string; sources: string[] })))
  .get("/issues/:issue", async (c) => c.json(await Issue.get(c.req.param("issue"))))
  .get("/issues/:issue/occurrences/:occurrence/logs", async (c) =>
    c.json(await Issue.occurrenceLogs(c.req.param("issue"), c.req.param("occurrence"))),
  )
  .get("/fingerprint-rules", async (c) => c.json(await Issue.rules.list()))
  .post("/fingerprint-rules", async (c) => c.json(await Issue.rules.create((await jsonBody(c)) as never), 201))
  .delete("/fingerprint-rules/:rule", async (c) => {
    await Issue.rules.remove(c.req.param("rule"));
    return c.json({ ok: true });
  })
  .get("/sourcemaps", async (c) => c.json(await SourceMaps.list()))
  .post(
    "/sourcemaps",
    bodyLimit({
      maxSize: 60 * 1024 * 1024,
      onError: (c) => c.json(errorBody("payload_too_large", "A source map upload may be at most 50 MiB"), 413),
    }),
    async (c) => c.json(await SourceMaps.upload((await jsonBody(c)) as never), 201),
  )
  .get("/subscriptions", async (c) => c.json(await Subscriptions.list(c.req.query("stage") || undefined)))
  .get("/warnings", async (c) => c.json(await Warning.list({ stageId: c.req.query("stage") || undefined })))
  .post("/warnings/:warning/retry", async (c) => {
    Actor.workspace();
    return c.json(await Subscriptions.retry(c.req.param("warning")));
  });
