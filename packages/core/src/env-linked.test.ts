/**
 * On Lambda, DATABASE_URL and SECRET_KEY come from SST links (Resource), not plain
 * environment variables; locally process.env is used.
 */
import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnv } from "./env";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnv();
});

describe("linked secrets", () => {
  it("reads the linked DatabaseUrl and SecretKey on Lambda", () => {
    // What SST gives a function that links a secret (SST_RESOURCE_<Name> JSON).
    process.env.SST_RESOURCE_App = JSON.stringify({ name: "console", stage: "test" });
    process.env.SST_RESOURCE_DatabaseUrl = JSON.stringify({ type: "sst.sst.Secret", value: "mysql://linked@db.example:3306/console" });
    process.env.SST_RESOURCE_SecretKey = JSON.stringify({ type: "sst.sst.Secret", value: "Zx8kP2qL9vN4mR7tB1cW6yH3jF5gD0sA" });
    process.env.AWS_LAMBDA_FUNCTION_NAME = "console-Api";
    delete process.env.DATABASE_URL;
    delete process.env.SECRET_KEY;
    resetEnv();
    expect(env.DATABASE_URL).toBe("mysql://linked@db.example:3306/console");
    expect(env.SECRET_KEY).toBe("Zx8kP2qL9vN4mR7tB1cW6yH3jF5gD0sA");
  });
});
