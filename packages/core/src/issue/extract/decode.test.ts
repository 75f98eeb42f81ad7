/** Subscription payloads as Kinesis and Lambda destinations deliver them. */
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { decodeSubscriptionPayload, isDataMessage, PayloadError } from "./index";

const payload = {
  messageType: "DATA_MESSAGE",
  owner: "123456789012",
  logGroup: "/aws/lambda/orders-api",
  logStream: "2024/05/01/[$LATEST]94fa867e5374431291a7fc14e2f56ae7",
  subscriptionFilters: ["console#us-east-1#123456789012#app#prod"],
  logEvents: [{ id: "3462231609969788470654097606882285901266122014164389254", timestamp: 1552518348220, message: "START RequestId: x Version: $LATEST\n" }],
};

describe("decodeSubscriptionPayload", () => {
  test("gzip bytes, base64 of gzip, and JSON text", () => {
    const gz = gzipSync(JSON.stringify(payload));
    expect(decodeSubscriptionPayload(gz)).toEqual(payload);
    expect(decodeSubscriptionPayload(gz.toString("base64"))).toEqual(payload);
    expect(decodeSubscriptionPayload(JSON.stringify(payload))).toEqual(payload);
  });

  test("control messages decode and are told apart", () => {
    const control = { ...payload, messageType: "CONTROL_MESSAGE", logEvents: [{ id: "", timestamp: 1, message: "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream." }] };
    expect(isDataMessage(decodeSubscriptionPayload(gzipSync(JSON.stringify(control))))).toBe(false);
    expect(isDataMessage(payload)).toBe(true);
  });

  test.each([
    ["not base64 gzip", "aGVsbG8="],
    ["corrupt gzip", Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from("garbage")]).toString("base64")],
    ["gzip of non-JSON", gzipSync("hello").toString("base64")],
    ["JSON of another shape", JSON.stringify({ hello: "world" })],
    ["events without timestamps", JSON.stringify({ ...payload, logEvents: [{ message: "x" }] })],
  ])("rejects %s with a PayloadError", (_n, input) => {
    expect(() => decodeSubscriptionPayload(input)).toThrow(PayloadError);
  });
});

describe("decompression bombs", () => {
  test("a payload inflating beyond 8 MiB is a PayloadError (too_large), not an allocation", () => {
    // ~300 KB of base64 that inflates to 300 MB: what a hostile record looks like.
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024, 0x20), { level: 9 });
    expect(bomb.length).toBeLessThan(400 * 1024);
    let caught: unknown;
    try {
      decodeSubscriptionPayload(bomb.toString("base64"));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PayloadError);
    expect((caught as PayloadError).reason).toBe("too_large");
  });
});
