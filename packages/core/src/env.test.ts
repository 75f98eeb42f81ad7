/**
 * SECRET_KEY keys the sign-in code HMAC and the encryption of connection secrets:
 * outside local development (NODE_ENV development or test, not on Lambda) it must be
 * set and strong, or the console refuses to start.
 */
import { afterEach, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { assertConfig, env, isLocalDev, resetEnv, secretKeyProblem } from "./env";

const saved = { ...process.env };

function withEnv(values: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnv();
}

afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  resetEnv();
});

const strong = randomBytes(36).toString("base64");

describe("SECRET_KEY", () => {
  it("is required outside local development", () => {
    withEnv({ NODE_ENV: "production", SECRET_KEY: undefined });
    expect(() => env.SECRET_KEY).toThrow(/SECRET_KEY is not set/);
    expect(() => assertConfig()).toThrow(/SECRET_KEY is not set/);
  });

  it("is required when NODE_ENV is not set at all", () => {
    withEnv({ NODE_ENV: undefined, SECRET_KEY: undefined });
    expect(isLocalDev()).toBe(false);
    expect(() => assertConfig()).toThrow(/SECRET_KEY/);
  });

  it("refuses weak values outside local development", () => {
    for (const weak of [
      "local-development-secret-change-me",
      "short-but-random-Xy7!",
      "a".repeat(64),
      "abababababababababababababababababababab",
      "please-change-me-to-something-long-and-random",
    ]) {
      withEnv({ NODE_ENV: "production", SECRET_KEY: weak });
      expect(() => assertConfig(), weak).toThrow(/SECRET_KEY/);
    }
  });

  it("accepts a strong value in production", () => {
    withEnv({ NODE_ENV: "production", SECRET_KEY: strong });
    expect(() => assertConfig()).not.toThrow();
    expect(env.SECRET_KEY).toBe(strong);
    expect(secretKeyProblem(randomBytes(16).toString("hex"))).toBeUndefined();
    expect(secretKeyProblem(randomBytes(48).toString("base64url"))).toBeUndefined();
  });

  it("may use the development value in local development and tests", () => {
    withEnv({ NODE_ENV: "development", SECRET_KEY: undefined, AWS_LAMBDA_FUNCTION_NAME: undefined });
    expect(isLocalDev()).toBe(true);
    expect(() => assertConfig()).not.toThrow();
    expect(env.SECRET_KEY).toBe("local-development-secret-change-me");
    withEnv({ NODE_ENV: "test", SECRET_KEY: "short" });
    expect(() => assertConfig()).not.toThrow();
    expect(env.SECRET_KEY).toBe("short");
  });

  it("is never local development on Lambda, whatever NODE_ENV says", () => {
    withEnv({ NODE_ENV: "development", SECRET_KEY: undefined, AWS_LAMBDA_FUNCTION_NAME: "console-api" });
    expect(isLocalDev()).toBe(false);
    expect(() => assertConfig()).toThrow(/SECRET_KEY is not set/);
  });
});
