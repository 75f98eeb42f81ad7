import { Hono } from "hono";
import { z } from "zod";
import { Lambda, Payload } from "@console/core/lambda";
import type { AppEnv } from "../context";
import { id, json, param, query } from "../validate";

const fnParam = param(z.object({ function: id }));
const payloadParam = param(z.object({ payload: id }));

/** Invoke and replay a function, and the workspace's saved payloads (under /workspaces/:workspace). */
export const lambdaRoutes = new Hono<AppEnv>()
  .post("/functions/:function/invoke", fnParam, json(Lambda.InvokeBody), async (c) =>
    c.json(await Lambda.invoke({ ...c.req.valid("json"), functionId: c.req.valid("param").function })),
  )
  .get("/functions/:function/invocations", fnParam, query(Lambda.invocations.schema.omit({ functionId: true })), async (c) =>
    c.json(await Lambda.invocations({ ...c.req.valid("query"), functionId: c.req.valid("param").function })),
  )
  .get("/payloads", async (c) => c.json(await Payload.list()))
  .post("/payloads", json(Payload.create.schema), async (c) => c.json(await Payload.create(c.req.valid("json")), 201))
  .get("/payloads/:payload", payloadParam, async (c) => c.json(await Payload.get(c.req.valid("param").payload)))
  .patch("/payloads/:payload", payloadParam, json(Payload.UpdateBody), async (c) =>
    c.json(await Payload.update({ ...c.req.valid("json"), id: c.req.valid("param").payload })),
  )
  .delete("/payloads/:payload", payloadParam, async (c) => {
    await Payload.remove(c.req.valid("param").payload);
    return c.json({ ok: true as const });
  });
