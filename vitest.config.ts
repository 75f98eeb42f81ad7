import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    pool: "forks",
    // Two files at a time: most of a file's time is spent waiting on the database, the AWS
    // emulator and Chromium, so two overlap well even on two cores (the default is cores - 1).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          // A database, the AWS emulator, Chromium and a build of the web app, once per run.
          globalSetup: ["test/setup/global.ts"],
          include: ["packages/*/src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["packages/web/**", "**/node_modules/**"],
        },
      },
      // The web app's own tests: Solid's compiler, browser builds, happy-dom.
      "packages/web/vitest.config.ts",
    ],
  },
});
