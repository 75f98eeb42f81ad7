/**
 * Applies the committed migrations on every deploy, before traffic uses the new
 * code: a function that runs `Database.migrate()`, invoked by the deploy.
 */
import { runtimeEnvironment, secret } from "./secret";

export const migrator = new sst.aws.Function("Migrator", {
  handler: "packages/functions/src/migrate.handler",
  runtime: "nodejs20.x",
  timeout: "5 minutes",
  link: [secret.DatabaseUrl, secret.SecretKey],
  environment: { ...runtimeEnvironment, MIGRATIONS_DIR: "migrations" },
  copyFiles: [{ from: "packages/core/migrations", to: "migrations" }],
});

new aws.lambda.Invocation("MigratorInvocation", {
  functionName: migrator.name,
  input: JSON.stringify({ now: new Date().toISOString() }),
});
