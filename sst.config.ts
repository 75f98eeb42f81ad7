/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The console on AWS: `npx sst deploy --stage production`.
 * One file per AWS concern lives in infra/; this file only wires them together.
 * Set the secrets first (see README): `npx sst secret set DatabaseUrl ...` and
 * `npx sst secret set SecretKey ...`.
 */
export default $config({
  app(input) {
    return {
      name: "console",
      // The CLI version this app deploys with (package.json pins the same).
      version: "4.17.1",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      providers: { aws: { region: "us-east-1" } },
    };
  },
  async run() {
    const { secret } = await import("./infra/secret");
    const { bus } = await import("./infra/bus");
    const { email } = await import("./infra/email");
    await import("./infra/migrate");
    const { connect, templateBaseUrl } = await import("./infra/connect");
    const { stream } = await import("./infra/stream");
    await import("./infra/issues");
    await import("./infra/usage");
    await import("./infra/autodeploy");
    const { api } = await import("./infra/api");
    const { router, web } = await import("./infra/web");
    return {
      url: router.url,
      api: api.url,
      web: web.url,
      bus: bus.name,
      connect: connect.arn,
      templates: templateBaseUrl,
      issueStream: stream.name,
      email: email.sender,
      secrets: Object.keys(secret).join(", "),
    };
  },
});
