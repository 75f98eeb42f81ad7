/**
 * Applies the committed migrations on every deploy, before traffic uses the new
 * code: a function that runs `Database.migrate()`, invoked by the deploy.
 */
import { runtimeEnvironment, secret } from "./secret";

export const migrator = new sst.aws.Function("Migrator", {
  handler: "packages/functions/src/migrate.handler",
  runtime: "nodejs22.x",
  timeout: "5 minutes",
  link: [secret.DatabaseUrl, secret.SecretKey],
  environment: { ...runtimeEnvironment, MIGRATIONS_DIR: "migrations" },
  copyFiles: [{ from: "packages/core/migrations", to: "migrations" }],
});

export const migration = new aws.lambda.Invocation("MigratorInvocation", {
  functionName: migrator.name,
  input: JSON.stringify({ now: new Date().toISOString() }),
});

/**
 * For the functions that use the database (the API, subscribers, the consumer): their
 * Lambda is created or updated only after this deploy's migrations ran.
 */
export const afterMigration = {
  function: (_args: aws.lambda.FunctionArgs, opts: $util.CustomResourceOptions): undefined => {
    opts.dependsOn = [migration];
    return undefined;
  },
};
