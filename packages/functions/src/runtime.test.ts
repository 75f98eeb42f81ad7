/** Every entry point (Lambda handlers, the local runtime) starts through setupRuntime: it refuses a weak SECRET_KEY. */
import { describe, expect, it } from "vitest";
import { resetEnv } from "@console/core/env";

describe("start-up", () => {
  it("refuses to start outside local development without a strong SECRET_KEY", async () => {
    process.env.NODE_ENV = "production";
    process.env.SECRET_KEY = "local-development-secret-change-me";
    resetEnv();
    const { setupRuntime } = await import("./runtime");
    await expect(setupRuntime()).rejects.toThrow(/SECRET_KEY/);
  });
});
