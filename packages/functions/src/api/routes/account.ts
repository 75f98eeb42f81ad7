import { Hono } from "hono";
import { z } from "zod";
import { Account } from "@console/core/account";
import { Actor } from "@console/core/actor";
import { VisibleError } from "@console/core/error";
import type { AppEnv } from "../context";
import { demoProvider } from "../demo";
import { id, json, param, query, variant } from "../validate";

const account = param(z.object({ account: id }));

/** AWS account connections of one workspace (under /workspaces/:workspace). */
export const accountRoutes = new Hono<AppEnv>()
  .get("/accounts", async (c) => c.json(await Account.list()))
  // The demo method is not for this route: `POST /accounts/demo` deploys the demo stack.
  .post("/accounts", json(z.object({ method: z.enum(["stack", "manual"]).default("stack") })), async (c) =>
    c.json(await Account.create({ method: c.req.valid("json").method }), 201),
  )
  .post("/accounts/demo", async (c) => {
    Actor.assertRole("admin");
    const demo = demoProvider();
    if (!demo) throw new VisibleError("not_found", "The demo account exists only in the local runtime (npm run dev without AWS credentials)");
    const { account } = await Account.create({ method: "demo" });
    const info = await Account.connectInfo(account.id);
    const accountId = await demo.deployStack(info);
    return c.json(await Account.attachDemo(account.id, accountId), 201);
  })
  .get("/accounts/:account", account, async (c) => c.json(await Account.get(c.req.valid("param").account)))
  .get("/accounts/:account/connect", account, query(z.object({ variant })), async (c) => {
    const { account } = c.req.valid("param");
    await Account.get(account);
    return c.json(await Account.connectInfo(account, c.req.valid("query").variant));
  })
  .post("/accounts/:account/check", account, json(Account.check.schema.pick({ accountId: true })), async (c) =>
    c.json(await Account.check({ id: c.req.valid("param").account, accountId: c.req.valid("json").accountId })),
  )
  .post("/accounts/:account/scan", account, async (c) => {
    await Account.rescan(c.req.valid("param").account);
    return c.json({ ok: true as const }, 202);
  })
  // The stack reported its deletion but its role no longer answers: an admin confirms.
  .post("/accounts/:account/confirm-removal", account, async (c) => {
    await Account.confirmRemoval(c.req.valid("param").account);
    return c.json({ ok: true as const }, 202);
  })
  .delete("/accounts/:account", account, async (c) => {
    await Account.disconnect(c.req.valid("param").account);
    return c.json({ ok: true as const }, 202);
  });
