import { Hono } from "hono";
import { z } from "zod";
import { ConsoleIdentity } from "@console/core/account";
import { buildTemplate } from "@console/workspace-template";
import type { AppEnv } from "../context";
import { demoProvider } from "../demo";
import { query, variant } from "../validate";

/** Public: the template a workspace deploys, for download (per-connection values are parameters). */
export const templateRoutes = new Hono<AppEnv>().get("/template", query(z.object({ variant })), async (c) => {
  const { variant } = c.req.valid("query");
  const serviceToken = ConsoleIdentity.serviceToken();
  const template = buildTemplate({
    variant,
    consoleAccountId: await ConsoleIdentity.accountId(),
    consoleBusArn: await ConsoleIdentity.busArn(),
    serviceToken: serviceToken ?? "arn:aws:lambda:us-east-1:000000000000:function:unused",
    customResource: !!serviceToken,
  });
  c.header("content-disposition", `attachment; filename="console-template-${variant}.json"`);
  return c.json(template);
});

/** What the web app needs to know about this console (signed in). */
export const configRoutes = new Hono<AppEnv>().get("/config", (c) =>
  c.json({
    demo: !!demoProvider(),
    callback: !!ConsoleIdentity.serviceToken(),
    templatePublished: !!ConsoleIdentity.templateUrl("least"),
  }),
);
