import { Hono } from "hono";
import { Account } from "@console/core/account";
import { Actor } from "@console/core/actor";
import { VisibleError } from "@console/core/error";
import { jsonBody } from "../body";
import type { AppEnv } from "../context";
import { demoProvider } from "../demo";

const variants = ["least", "readonly", "admin"] as const;

/** AWS account connections of one workspace (under /workspaces/:workspace). */
export const accountRoutes = new Hono<AppEnv>()
  .get("/accounts", async (c) => c.json(await Account.list()))
  .post("/accounts", async (c) => {
    const body = c.req.header("content-length") === "0" ? {} : await jsonBody(c).catch(() => ({}));
    const method = (body as { method?: string }).method === "manual" ? "manual" : "stack";
    return c.json(await Account.create({ method }), 201);
  })
  .post("/accounts/demo", async (c) => {
    Actor.assertRole("admin");
    const demo = demoProvider();
    if (!demo) throw new VisibleError("not_found", "The demo account exists only in the local runtime (npm run dev without AWS credentials)");
    const { account } = await Account.create({ method: "demo" });
    const info = await Account.connectInfo(account.id);
    const accountId = await demo.deployStack(info);
    return c.json(await Account.attachDemo(account.id, accountId), 201);
  })
  .get("/accounts/:account", async (c) => c.json(await Account.get(c.req.param("account"))))
  .get("/accounts/:account/connect", async (c) => {
    const variant = c.req.query("variant") ?? "least";
    if (!variants.includes(variant as (typeof variants)[number])) {
      throw new VisibleError("validation", `variant must be one of ${variants.join(", ")}`);
    }
    await Account.get(c.req.param("account"));
    return c.json(await Account.connectInfo(c.req.param("account"), variant as (typeof variants)[number]));
  })
  .post("/accounts/:account/check", async (c) => {
    const body = await jsonBody(c);
    return c.json(await Account.check({ id: c.req.param("account"), accountId: body.accountId as string }));
  })
  .post("/accounts/:account/scan", async (c) => {
    await Account.rescan(c.req.param("account"));
    return c.json({ ok: true }, 202);
  })
  .delete("/accounts/:account", async (c) => {
    await Account.disconnect(c.req.param("account"));
    return c.json({ ok: true }, 202);
  });
