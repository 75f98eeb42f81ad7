import { describe, expect, test } from "vitest";
import { decodeTail, TAIL_BYTES } from "./tail";

const rid = "8f5d2a3c-1b2e-4c5d-9e8f-0a1b2c3d4e5f";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("decodeTail", () => {
  test("splits the tail into lines and reads the REPORT of a cold start", () => {
    const text = [
      "INIT_START Runtime Version: nodejs:22.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
      `START RequestId: ${rid} Version: $LATEST`,
      `2026-12-05T07:00:00.000Z\t${rid}\tINFO\thello\r`,
      `END RequestId: ${rid}`,
      `REPORT RequestId: ${rid}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tInit Duration: 150.50 ms\t`,
      "",
    ].join("\n");
    const t = decodeTail(b64(text), rid);
    expect(t.lines).toHaveLength(5);
    expect(t.lines[2]).toBe(`2026-12-05T07:00:00.000Z\t${rid}\tINFO\thello`);
    expect(t).toMatchObject({ truncated: false, requestId: rid, report: { duration: 12.34, billedDuration: 13, memorySize: 128, maxMemoryUsed: 64, initDuration: 150.5, status: "success" } });
  });

  test("a timeout's REPORT status, and the request id found in the tail when Lambda's differs", () => {
    const text = `START RequestId: ${rid} Version: $LATEST\nEND RequestId: ${rid}\nREPORT RequestId: ${rid}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tStatus: timeout\n`;
    const t = decodeTail(b64(text), "some-other-id");
    expect(t.requestId).toBe(rid);
    expect(t.report).toMatchObject({ status: "timeout", duration: 3000, initDuration: null });
  });

  test("the JSON log format's platform.report", () => {
    const report = { time: "2026-12-05T07:00:00.100Z", type: "platform.report", record: { requestId: rid, metrics: { durationMs: 5.5, billedDurationMs: 6, memorySizeMB: 256, maxMemoryUsedMB: 70 }, status: "success" } };
    const start = { time: "2026-12-05T07:00:00.000Z", type: "platform.start", record: { requestId: rid, version: "$LATEST" } };
    const t = decodeTail(b64(`${JSON.stringify(start)}\n${JSON.stringify(report)}\n`), rid);
    expect(t.report).toMatchObject({ duration: 5.5, billedDuration: 6, memorySize: 256, maxMemoryUsed: 70 });
  });

  test("a tail cut at 4 KB is marked truncated and keeps what it has", () => {
    const body = Array.from({ length: 200 }, (_, i) => `2026-12-05T07:00:00.000Z\t${rid}\tINFO\tline ${i}`).join("\n");
    const full = `START RequestId: ${rid} Version: $LATEST\n${body}\nEND RequestId: ${rid}\nREPORT RequestId: ${rid}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\n`;
    const bytes = Buffer.from(full);
    const t = decodeTail(bytes.subarray(bytes.length - TAIL_BYTES).toString("base64"), rid);
    expect(t.truncated).toBe(true);
    expect(t.lines.at(-1)).toMatch(/^REPORT/);
    expect(t.lines.some((l) => l.startsWith("START"))).toBe(false);
    expect(t.report).toMatchObject({ duration: 1 });
  });

  test("no tail, or one without REPORT", () => {
    expect(decodeTail(undefined)).toEqual({ lines: [], truncated: false, requestId: null, report: null });
    const t = decodeTail(b64("just a line\n"));
    expect(t).toEqual({ lines: ["just a line"], truncated: false, requestId: null, report: null });
  });
});
