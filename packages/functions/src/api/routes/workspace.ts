import { Hono } from "hono";
import { z } from "zod";
import { Audit } from "@console/core/audit";
import { Member } from "@console/core/member";
import { Workspace } from "@console/core/workspace";
import { accountRoutes } from "./account";
import { appRoutes } from "./app";
import { autodeployRoutes } from "./autodeploy";
import { deployRoutes } from "./deploy";
import { githubRoutes } from "./github";
import { issueRoutes } from "./issue";
import { alertRoutes } from "./alerts";
import { logRoutes } from "./log";
import { lambdaRoutes } from "./lambda";
import { usageRoutes } from "./usage";
import { billingRoutes, requirePaid } from "./billing";
import { inWorkspace, type AppEnv } from "../context";
import { json, param, query } from "../validate";

/** Routes on one workspace; `inWorkspace` has checked membership before any of these run. */
const scoped = new Hono<AppEnv>()
  .get("/", async (c) => c.json(await Workspace.resolve(c.req.param("workspace")!)))
  .patch("/", json(Workspace.update.schema), async (c) => c.json(await Workspace.update(c.req.valid("json"))))
  .delete("/", async (c) => {
    await Workspace.remove();
    return c.json({ ok: true as const });
  })
  .get("/settings", async (c) => c.json(await Workspace.settings()))
  .patch("/settings", json(Workspace.updateSettings.schema), async (c) => c.json(await Workspace.updateSettings(c.req.valid("json"))))
  .get("/members", async (c) => c.json(await Member.list()))
  .post("/members", json(Member.invite.schema), async (c) => c.json(await Member.invite(c.req.valid("json")), 201))
  .patch(
    "/members/:member",
    param(z.object({ member: Member.changeRole.schema.shape.memberId })),
    json(Member.changeRole.schema.pick({ role: true })),
    async (c) => c.json(await Member.changeRole({ memberId: c.req.valid("param").member, role: c.req.valid("json").role })),
  )
  .delete("/members/:member", param(z.object({ member: Member.remove.schema })), async (c) => {
    await Member.remove(c.req.valid("param").member);
    return c.json({ ok: true as const });
  })
  .get("/invitations", async (c) => c.json(await Member.invitations()))
  .delete("/invitations/:invitation", param(z.object({ invitation: Member.revokeInvitation.schema })), async (c) => {
    await Member.revokeInvitation(c.req.valid("param").invitation);
    return c.json({ ok: true as const });
  })
  .get(
    "/audit",
    // Who may read it is checked before what was asked.
    async (_c, next) => {
      Member.assertCanManage();
      await next();
    },
    query(Audit.list.schema),
    async (c) => c.json(await Audit.list(c.req.valid("query"))),
  )
  .route("/", accountRoutes)
  .route("/", appRoutes)
  .route("/", deployRoutes)
  .route("/", githubRoutes)
  .route("/", autodeployRoutes)
  // Issues and logs are paid features: gated when over the free tier without a subscription, or past due.
  .use("/issues", requirePaid)
  .use("/issues/*", requirePaid)
  .use("/logs", requirePaid)
  .use("/logs/*", requirePaid)
  .route("/", issueRoutes)
  .route("/", alertRoutes)
  .route("/", logRoutes)
  .route("/", lambdaRoutes)
  .route("/", usageRoutes)
  .route("/", billingRoutes);

/** Needs a session (applied by the API before these routes). */
export const workspaceRoutes = new Hono<AppEnv>()
  .get("/workspaces", async (c) => c.json(await Workspace.list()))
  .post("/workspaces", json(Workspace.create.schema), async (c) => c.json(await Workspace.create(c.req.valid("json")), 201))
  .use("/workspaces/:workspace/*", inWorkspace)
  .use("/workspaces/:workspace", inWorkspace)
  .route("/workspaces/:workspace", scoped);
