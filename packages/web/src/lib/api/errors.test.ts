/** Field errors are read from what the server sends: `details: [{ path, message }]` (test/api/validation.test.ts). */
import { describe, expect, it } from "vitest";
import { ApiError } from "./client";
import { describeError, fieldErrors } from "./errors";

describe("fieldErrors", () => {
  it("gives the first message of each field of a validation error", () => {
    const err = new ApiError(400, "validation", "name: Give the workspace a name", [
      { path: "name", message: "Give the workspace a name" },
      { path: "name", message: "a second message for the same field" },
      { path: "match.type", message: "Too small" },
      { path: "", message: "Nothing to change" },
    ]);
    expect(fieldErrors(err)).toEqual({ name: "Give the workspace a name", "match.type": "Too small" });
  });

  it("reads nothing from other errors or other shapes", () => {
    expect(fieldErrors(new ApiError(409, "slug_taken", "taken", [{ path: "slug", message: "taken" }]))).toEqual({});
    expect(fieldErrors(new ApiError(400, "validation", "x", { fields: { name: "x" } }))).toEqual({});
    expect(fieldErrors(new Error("boom"))).toEqual({});
  });

  it("says what a code means", () => {
    expect(describeError(new ApiError(429, "rate_limited", "", undefined, 90))).toBe("Too many requests. Try again in 2 min.");
    expect(describeError(new ApiError(400, "validation", "email: Enter a valid email address"))).toBe("email: Enter a valid email address");
  });
});
