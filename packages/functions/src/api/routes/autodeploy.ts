import { Hono } from "hono";
import { z } from "zod";
import { Autodeploy } from "@console/core/autodeploy";
import type { AppEnv } from "../context";
import { id, json, param, query } from "../validate";

/** `:app` is the app's id or its name. */
const app = z.object({ app: z.string().min(1).max(255) });
const run = app.extend({ run: id });

/** Autodeploy of an app (under /workspaces/:workspace): its repository, targets and runs. */
export const autodeployRoutes = new Hono<AppEnv>()
  .get("/github/repositories", async (c) => c.json({ repositories: await Autodeploy.repositories() }))
  .get("/apps/:app/repository", param(app), async (c) => c.json({ repository: await Autodeploy.repository(c.req.valid("param").app) }))
  .put("/apps/:app/repository", param(app), json(Autodeploy.linkInput), async (c) =>
    c.json({ repository: await Autodeploy.link(c.req.valid("param").app, c.req.valid("json")) }),
  )
  .delete("/apps/:app/repository", param(app), async (c) => {
    await Autodeploy.unlink(c.req.valid("param").app);
    return c.json({ ok: true as const });
  })
  .get("/apps/:app/targets", param(app), async (c) => c.json(await Autodeploy.targets(c.req.valid("param").app)))
  .put("/apps/:app/targets", param(app), json(Autodeploy.targetsInput), async (c) =>
    c.json(await Autodeploy.setTargets(c.req.valid("param").app, c.req.valid("json"))),
  )
  .get("/apps/:app/runs", param(app), query(Autodeploy.runsQuery), async (c) => c.json(await Autodeploy.runs(c.req.valid("param").app, c.req.valid("query"))))
  .get("/apps/:app/runs/:run", param(run), async (c) => {
    const p = c.req.valid("param");
    return c.json({ run: await Autodeploy.run(p.app, p.run) });
  })
  .get("/apps/:app/runs/:run/logs", param(run), query(z.object({ cursor: z.string().max(4096).optional() })), async (c) => {
    const p = c.req.valid("param");
    return c.json(await Autodeploy.logs(p.app, p.run, c.req.valid("query").cursor || null));
  })
  .post("/apps/:app/runs/:run/cancel", param(run), async (c) => {
    const p = c.req.valid("param");
    return c.json({ run: await Autodeploy.cancel(p.app, p.run) });
  })
  .post("/apps/:app/runs/:run/redeploy", param(run), async (c) => {
    const p = c.req.valid("param");
    return c.json({ run: await Autodeploy.redeploy(p.app, p.run) });
  });
