import { Hono } from "hono";
import { Audit } from "@console/core/audit";
import { Member } from "@console/core/member";
import { Workspace } from "@console/core/workspace";
import { jsonBody } from "../body";
import { accountRoutes } from "./account";
import { appRoutes } from "./app";
import { issueRoutes } from "./issue";
import { inWorkspace, type AppEnv } from "../context";

/** Routes on one workspace; `inWorkspace` has checked membership before any of these run. */
const scoped = new Hono<AppEnv>()
  .get("/", async (c) => c.json(await Workspace.resolve(c.req.param("workspace")!)))
  .patch("/", async (c) => {
    const body = await jsonBody(c);
    return c.json(await Workspace.update(body as { name?: string; slug?: string }));
  })
  .delete("/", async (c) => {
    await Workspace.remove();
    return c.json({ ok: true });
  })
  .get("/members", async (c) => c.json(await Member.list()))
  .post("/members", async (c) => {
    const body = await jsonBody(c);
    return c.json(await Member.invite(body as { email: string; role?: "owner" | "admin" | "member" }), 201);
  })
  .patch("/members/:member", async (c) => {
    const body = await jsonBody(c);
    return c.json(await Member.changeRole({ memberId: c.req.param("member"), role: body.role as "member" }));
  })
  .delete("/members/:member", async (c) => {
    await Member.remove(c.req.param("member"));
    return c.json({ ok: true });
  })
  .get("/invitations", async (c) => c.json(await Member.invitations()))
  .delete("/invitations/:invitation", async (c) => {
    await Member.revokeInvitation(c.req.param("invitation"));
    return c.json({ ok: true });
  })
  .get("/audit", async (c) => {
    Member.assertCanManage();
    return c.json(await Audit.list({ before: c.req.query("before"), limit: c.req.query("limit") as unknown as number }));
  })
  .route("/", accountRoutes)
  .route("/", appRoutes)
  .route("/", issueRoutes);

/** Needs a session (applied by the API before these routes). */
export const workspaceRoutes = new Hono<AppEnv>()
  .get("/workspaces", async (c) => c.json(await Workspace.list()))
  .post("/workspaces", async (c) => {
    const body = await jsonBody(c);
    return c.json(await Workspace.create(body as { name: string; slug?: string }), 201);
  })
  .use("/workspaces/:workspace/*", inWorkspace)
  .use("/workspaces/:workspace", inWorkspace)
  .route("/workspaces/:workspace", scoped);
