import { Hono } from "hono";
import { z } from "zod";
import { Deploy } from "@console/core/deploy";
import type { AppEnv } from "../context";
import { id, param, query } from "../validate";

/** A stage's deploys (under /workspaces/:workspace): the history, newest first, and one deploy. */
export const deployRoutes = new Hono<AppEnv>()
  .get("/stages/:stage/deploys", param(z.object({ stage: id })), query(Deploy.listSchema), async (c) =>
    c.json(await Deploy.list(c.req.valid("param").stage, c.req.valid("query"))),
  )
  .get("/stages/:stage/deploys/:deploy", param(z.object({ stage: id, deploy: id })), async (c) => {
    const p = c.req.valid("param");
    return c.json(await Deploy.get(p.stage, p.deploy));
  });
