import { describe, expect, it } from "vitest";
import { matchesPattern, parsePattern, toFilterPattern } from "./search";

describe("filter patterns", () => {
  const m = (q: string, s: string) => matchesPattern(parsePattern(q), s);
  it("AND terms, case-sensitive", () => {
    expect(m("error db", "an error in db")).toBe(true);
    expect(m("error db", "an error in cache")).toBe(false);
    expect(m("Error", "an error")).toBe(false);
  });
  it("phrases keep their spaces and escaped quotes", () => {
    expect(m('"timed out"', "Task timed out after 3 s")).toBe(true);
    expect(m('"timed out"', "timed, out")).toBe(false);
    expect(m('"say \\"hi\\""', 'they say "hi" ok')).toBe(true);
  });
  it("OR terms", () => {
    expect(m("?ERROR ?WARN", "x WARN y")).toBe(true);
    expect(m("?ERROR ?WARN", "x INFO y")).toBe(false);
  });
  it("exclusions", () => {
    expect(m("GET -health", "GET /users")).toBe(true);
    expect(m("GET -health", "GET /health")).toBe(false);
  });
  it("JSON patterns go through as they are", () => {
    expect(toFilterPattern('{ $.level = "ERROR" }')).toBe('{ $.level = "ERROR" }');
    expect(m('{ $.level = "ERROR" }', "anything")).toBe(true);
  });
  it("sends quoted terms", () => {
    expect(toFilterPattern('GET /a -"b c"')).toBe('"GET" "/a" -"b c"');
    expect(toFilterPattern("?a ?b")).toBe('?"a" ?"b"');
  });
});
