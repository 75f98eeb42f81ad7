import { Hono } from "hono";
import { ConsoleIdentity } from "@console/core/account";
import { VisibleError } from "@console/core/error";
import { buildTemplate, type PolicyVariant } from "@console/workspace-template";
import type { AppEnv } from "../context";
import { demoProvider } from "../demo";

const variants = ["least", "readonly", "admin"];

/** Public: the template a workspace deploys, for download (per-connection values are parameters). */
export const templateRoutes = new Hono<AppEnv>().get("/template", async (c) => {
  const variant = c.req.query("variant") ?? "least";
  if (!variants.includes(variant)) throw new VisibleError("validation", `variant must be one of ${variants.join(", ")}`);
  const serviceToken = ConsoleIdentity.serviceToken();
  const template = buildTemplate({
    variant: variant as PolicyVariant,
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
