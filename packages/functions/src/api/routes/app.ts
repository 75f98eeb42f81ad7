import { Hono } from "hono";
import { z } from "zod";
import { App } from "@console/core/app";
import type { AppEnv } from "../context";
import { id, param } from "../validate";

/** Apps, stages and resources of one workspace (under /workspaces/:workspace). */
export const appRoutes = new Hono<AppEnv>()
  .get("/stages", async (c) => c.json(await App.stages()))
  .get("/functions", async (c) => c.json(await App.functionNames()))
  .get("/stages/:stage", param(z.object({ stage: id })), async (c) => {
    const stage = await App.stage(c.req.valid("param").stage);
    const [functions, resources] = await Promise.all([App.functions(stage.id), App.resources(stage.id)]);
    return c.json({ stage, functions, resources });
  });
