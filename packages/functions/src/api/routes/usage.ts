import { Hono } from "hono";
import { z } from "zod";
import { meter, monthDays, summary, dayOf } from "@console/core/usage/meter";
import type { AppEnv } from "../context";
import { query } from "../validate";

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "month must be YYYY-MM")
  .optional();

/** Usage of one workspace (under /workspaces/:workspace): every member may read it. */
export const usageRoutes = new Hono<AppEnv>()
  .get("/usage", query(z.object({ month })), async (c) => {
    const m = c.req.valid("query").month ?? dayOf(Date.now()).slice(0, 7);
    return c.json(await summary(m));
  })
  // Meters the current month now (the daily job does the same for every workspace).
  .post("/usage/refresh", async (c) => {
    const result = await meter(monthDays(dayOf(Date.now()).slice(0, 7)));
    return c.json({ ok: true as const, ...result }, 202);
  });
