/**
 * The Enricher's memory: repeats of a stack reuse its result, and nothing that grouping reads
 * differently is ever served another error's result.
 */
import { describe, expect, it, vi } from "vitest";
import { Enricher } from "./enrich";
import type { DetectedError, Frame } from "./extract";

const inApp: Frame[] = [
  { file: "/var/task/src/orders.js", line: 12, column: 7, function: "placeOrder", inApp: true, raw: "at placeOrder (/var/task/src/orders.js:12:7)" },
  { file: "/var/task/src/handler.js", line: 30, column: 3, function: "handler", inApp: true, raw: "at handler (/var/task/src/handler.js:30:3)" },
];
const library: Frame[] = [{ file: "node:internal/process/task_queues", line: 95, column: 5, function: "process.processTicksAndRejections", inApp: false, raw: "at process.processTicksAndRejections (node:internal/process/task_queues:95:5)" }];

function error(frames: Frame[], extra: Partial<DetectedError> = {}): DetectedError {
  return { type: "OrderError", message: "order 1 failed", frames, kind: "console", phase: "invoke", timestamp: 1, eventIds: ["e1"], runtime: "node", ...extra };
}

const opts = { functionName: "shop-prod-Orders", logGroup: "/aws/lambda/shop-prod-Orders" };

describe("Enricher", () => {
  it("reuses a stack's result for its repeats, keeping each error's own message, request id and events", async () => {
    const enricher = new Enricher();
    const [a] = await enricher.enrich([error(inApp, { requestId: "r1" })], opts);
    const [b] = await enricher.enrich([error(inApp, { message: "order 2 failed", requestId: "r2", eventIds: ["e9"] })], opts);
    expect(enricher.hits).toBe(1);
    // In-app frames: the message is not part of the group.
    expect(b!.fingerprint.hash).toBe(a!.fingerprint.hash);
    expect(b!.error).toMatchObject({ message: "order 2 failed", requestId: "r2", eventIds: ["e9"] });
  });

  it("never serves an error with an explicit fingerprint for one without it, nor the other way", async () => {
    const enricher = new Enricher();
    const frames = inApp;
    const [withFp] = await enricher.enrich([error(frames, { fingerprint: ["orders", "declined"] })], opts);
    const [plain] = await enricher.enrich([error(frames)], opts);
    const [withFpAgain] = await enricher.enrich([error(frames, { fingerprint: ["orders", "declined"] })], opts);
    const [otherFp] = await enricher.enrich([error(frames, { fingerprint: ["orders", "timeout"] })], opts);
    expect(plain!.fingerprint.hash).not.toBe(withFp!.fingerprint.hash);
    expect(withFpAgain!.fingerprint.hash).toBe(withFp!.fingerprint.hash);
    expect(otherFp!.fingerprint.hash).not.toBe(withFp!.fingerprint.hash);
    // Computed fresh, each of them matches what a new Enricher says.
    for (const [e, got] of [
      [error(frames), plain],
      [error(frames, { fingerprint: ["orders", "timeout"] }), otherFp],
    ] as const) {
      const [fresh] = await new Enricher().enrich([e], opts);
      expect(got!.fingerprint.hash).toBe(fresh!.fingerprint.hash);
    }
  });

  it("keeps messages apart where grouping reads them (no in-app frame), and functions apart always", async () => {
    const enricher = new Enricher();
    const [a] = await enricher.enrich([error(library, { message: "connect ECONNREFUSED 10.0.0.1:5432" })], opts);
    const [b] = await enricher.enrich([error(library, { message: "socket hang up" })], opts);
    const [a2] = await enricher.enrich([error(library, { message: "connect ECONNREFUSED 10.0.0.1:5432" })], opts);
    const [c] = await enricher.enrich([error(library, { message: "connect ECONNREFUSED 10.0.0.1:5432" })], { functionName: "shop-prod-Billing", logGroup: "/aws/lambda/shop-prod-Billing" });
    expect(b!.fingerprint.hash).not.toBe(a!.fingerprint.hash);
    expect(a2!.fingerprint.hash).toBe(a!.fingerprint.hash);
    // Another function has its own source maps and rules: computed again (a miss), not reused.
    expect(c!.fingerprint.hash).toBe(a!.fingerprint.hash);
    expect({ hits: enricher.hits, misses: enricher.misses }).toEqual({ hits: 1, misses: 3 });
  });

  it("errors without frames (timeouts, exits) share no result across types or kinds", async () => {
    const enricher = new Enricher();
    const timeout = await enricher.enrich([error([], { type: "Timeout", kind: "timeout", message: "Task timed out after 3.00 seconds" })], opts);
    const exit = await enricher.enrich([error([], { type: "Runtime.ExitError", kind: "exit", message: "Task timed out after 3.00 seconds" })], opts);
    const again = await enricher.enrich([error([], { type: "Timeout", kind: "timeout", message: "Task timed out after 3.00 seconds" })], opts);
    expect(exit[0]!.fingerprint.hash).not.toBe(timeout[0]!.fingerprint.hash);
    expect(again[0]!.fingerprint.hash).toBe(timeout[0]!.fingerprint.hash);
    expect(enricher.hits).toBe(1);
  });

  it("remembers a minified stack that found no map for a minute only, so a map uploaded later takes over", async () => {
    const minified: Frame[] = [
      { file: "/var/task/index.mjs", line: 63, column: 13, function: "wy", inApp: true, raw: "at wy (file:///var/task/index.mjs:63:13)" },
      { file: "/var/task/index.mjs", line: 64, column: 97, function: "zy", inApp: true, raw: "at zy (file:///var/task/index.mjs:64:97)" },
    ];
    const enricher = new Enricher();
    const now = vi.spyOn(Date, "now");
    try {
      now.mockReturnValue(1_000_000);
      const [first] = await enricher.enrich([error(minified)], opts);
      expect(first!.fingerprint.basis).toBe("minified");
      now.mockReturnValue(1_000_000 + 59_000);
      await enricher.enrich([error(minified)], opts);
      expect({ hits: enricher.hits, misses: enricher.misses }).toEqual({ hits: 1, misses: 1 });
      now.mockReturnValue(1_000_000 + 60_000);
      // Expired: computed again, and still answered (every error gets its result).
      const [again] = await enricher.enrich([error(minified)], opts);
      expect(again!.fingerprint).toEqual(first!.fingerprint);
      expect({ hits: enricher.hits, misses: enricher.misses }).toEqual({ hits: 1, misses: 2 });
    } finally {
      now.mockRestore();
    }
    // A stack with readable frames is remembered without a limit.
    const plain = new Enricher();
    await plain.enrich([error(inApp)], opts);
    const later = vi.spyOn(Date, "now").mockReturnValue(Date.now() + 3_600_000);
    try {
      await plain.enrich([error(inApp)], opts);
    } finally {
      later.mockRestore();
    }
    expect(plain.hits).toBe(1);
  });
});
