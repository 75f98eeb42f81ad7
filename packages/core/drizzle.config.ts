import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "mysql",
  schema: "./packages/core/src/**/*.sql.ts",
  out: "./packages/core/migrations",
});
