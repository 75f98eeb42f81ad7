/** Message parameterisation (Sentry's list and order), and its cost on hostile input. */
import { describe, expect, test } from "vitest";
import { globMatch } from "./rules";
import { normalizeMessage } from "./normalize";

describe("normalizeMessage", () => {
  test.each([
    ["User 12345 not found", "User <int> not found"],
    ["mail bob.smith+tag@example.co.uk failed", "mail <email> failed"],
    ["GET https://api.example.com/v1/users/42?x=1 returned 503", "GET <url> returned <int>"],
    ["connect db-1.internal:5432 refused (10.0.3.17)", "connect <hostname>:<int> refused (<ip>)"],
    ["ipv6 2001:db8::1 and fe80:0:0:0:202:b3ff:fe1e:8329", "ipv6 <ip> and <ip>"],
    ["trace 1-5d9d007f-0a8c7fd02ae480aed55ef0ff", "trace <traceparent>"],
    ["traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "traceparent <traceparent>"],
    ["order 3f2504e0-4f89-11d3-9a0c-0305e82c3301 missing", "order <uuid> missing"],
    ["sha 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", "sha <sha1>"],
    ["md5 d41d8cd98f00b204e9800998ecf8427e", "md5 <md5>"],
    ["at 2024-03-01T12:00:00.000Z", "at <date>"],
    ["at Fri, 01 Mar 2024 12:00:00 GMT", "at <date>"],
    ["at Fri Mar 01 2024 12:00:00 GMT+0000 (Coordinated Universal Time)", "at <date>"],
    ["at 12:34:56", "at <date>"],
    ["took 3000ms then 1.5s", "took <duration> then <duration>"],
    ["Task timed out after 3.03 seconds", "Task timed out after <duration>"],
    ["pointer 0x7ffde4a8 bad", "pointer <hex> bad"],
    ["token deadbeef12 expired", "token <hex> expired"],
    ["commit a1b2c3d", "commit <git_sha>"],
    ["ratio 0.75 below -1.5", "ratio <float> below <float>"],
    ['key="abc" enabled=true n=17', "key=<quoted_str> enabled=<bool> n=<int>"],
    ["Cannot read properties of undefined (reading 'email')", "Cannot read properties of undefined (reading 'email')"],
    ["v2 and utf8 stay", "v2 and utf8 stay"],
  ])("%s", (input, expected) => {
    expect(normalizeMessage(input)).toBe(expected);
  });

  test("first two non-empty lines, `...` when more were cut", () => {
    expect(normalizeMessage("first 1\n\n  second 2  \nthird")).toBe("first <int>\nsecond <int>...");
    expect(normalizeMessage("one\r\ntwo")).toBe("one\ntwo");
  });

  test("hostile input stays fast", () => {
    for (const s of ["a.".repeat(200_000) + "@", "1.".repeat(200_000), "=\"".repeat(200_000), "ab:".repeat(100_000), "x@".repeat(100_000)]) {
      const t = performance.now();
      normalizeMessage(s);
      expect(performance.now() - t).toBeLessThan(200);
    }
  });
});

describe("globMatch", () => {
  test.each([
    ["*", "anything", true],
    ["Rate exceeded*", "Rate exceeded for key 4", true],
    ["*timeout*", "connect timeout after 3s", true],
    ["a?c", "abc", true],
    ["a?c", "abbc", false],
    ["*.ts", "src/db.ts", true],
    ["src/*/x", "src/a/b/x", true],
    ["exact", "exactly", false],
    ["", "", true],
  ])("%s ~ %s", (p, s, ok) => {
    expect(globMatch(p, s)).toBe(ok);
  });

  test("case-insensitive when asked; linear on hostile patterns", () => {
    expect(globMatch("RATE*", "rate limited", true)).toBe(true);
    const t = performance.now();
    expect(globMatch("*a*a*a*a*a*a*a*b", "a".repeat(2000))).toBe(false);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
