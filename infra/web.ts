/** The Solid web app, built by Vite and served from S3 through the router. */
import { router } from "./router";

export const web = new sst.aws.StaticSite("Web", {
  path: "packages/web",
  build: { command: "npm run build", output: "dist" },
  router: { instance: router },
});

export { router };
