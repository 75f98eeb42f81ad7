/**
 * The client address that per-IP limits count. Behind CloudFront the caller writes
 * the left-most X-Forwarded-For entry (and a Lambda function URL keeps only that
 * one), so the console takes the address CloudFront itself adds
 * (CloudFront-Viewer-Address); behind another proxy, the right-most hop.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { resetEnv } from "../../packages/core/src/env";
import { clientIp } from "../../packages/functions/src/api/context";
import { call, randomEmail, randomIp } from "../setup/api";

function trustProxy(value: string | undefined) {
  if (value === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = value;
  resetEnv();
}

afterEach(() => trustProxy(undefined));

const probe = new Hono().get("/", (c) => c.text(clientIp(c) ?? "none"));

async function ipOf(headers: Record<string, string>, socket = "10.9.8.7", lambda = false) {
  const env = lambda ? { requestContext: { http: { sourceIp: socket } } } : { incoming: { socket: { remoteAddress: socket } } };
  return (await probe.request("/", { headers }, env)).text();
}

describe("the client address", () => {
  it("behind CloudFront is the address CloudFront adds, not what the caller writes", async () => {
    trustProxy("cloudfront");
    const spoofed = { "x-forwarded-for": "1.2.3.4" };
    expect(await ipOf({ ...spoofed, "cloudfront-viewer-address": "203.0.113.7:51234" }, "130.176.1.1", true)).toBe("203.0.113.7");
    expect(await ipOf({ ...spoofed, "cloudfront-viewer-address": "2001:db8:85a3::8a2e:370:7334:443" }, "130.176.1.1", true)).toBe(
      "2001:db8:85a3::8a2e:370:7334",
    );
    expect(await ipOf({ ...spoofed, "cloudfront-viewer-address": "[2001:DB8::1]:443" }, "130.176.1.1", true)).toBe("2001:db8::1");
    // Without the header (it cannot be missing behind CloudFront), the connection's address; never X-Forwarded-For.
    expect(await ipOf(spoofed, "130.176.1.1", true)).toBe("130.176.1.1");
    // A malformed header is not taken.
    expect(await ipOf({ "cloudfront-viewer-address": "not-an-ip:1" }, "130.176.1.1", true)).toBe("130.176.1.1");
  });

  it("behind another proxy is the right-most X-Forwarded-For hop", async () => {
    trustProxy("true");
    expect(await ipOf({ "x-forwarded-for": "1.2.3.4, 198.51.100.20" })).toBe("198.51.100.20");
    expect(await ipOf({ "x-forwarded-for": "1.2.3.4,198.51.100.20 " })).toBe("198.51.100.20");
    // The CloudFront header is the caller's own words here.
    expect(await ipOf({ "x-forwarded-for": "198.51.100.20", "cloudfront-viewer-address": "1.2.3.4:1" })).toBe("198.51.100.20");
    expect(await ipOf({})).toBe("10.9.8.7");
  });

  it("without a trusted proxy is the connection's address, whatever the headers say", async () => {
    trustProxy(undefined);
    expect(await ipOf({ "x-forwarded-for": "1.2.3.4", "cloudfront-viewer-address": "1.2.3.4:1" }, "::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(await ipOf({ "x-forwarded-for": "1.2.3.4" }, "192.0.2.9", true)).toBe("192.0.2.9");
  });

  it("per-IP sign-in limits hold against a forged X-Forwarded-For behind CloudFront", async () => {
    trustProxy("cloudfront");
    const viewer = `203.0.113.${Math.floor(Math.random() * 250) + 1}:40000`;
    const statuses: number[] = [];
    for (let i = 0; i < 33; i++) {
      const res = await call("POST", "/api/auth/code", {
        body: { email: randomEmail() },
        // Each request claims another origin and arrives from another edge server.
        headers: { "x-forwarded-for": randomIp(), "cloudfront-viewer-address": viewer },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429, 429]);
  });
});
