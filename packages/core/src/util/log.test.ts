/**
 * The console's own log must stay small and free of customer content, whatever is
 * passed to it: a failed query is logged by its driver error (code and message),
 * never its parameters, and no record grows past the cap.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { resetEnv } from "../env";

process.env.LOG_LEVEL = "debug";
resetEnv();

const { log, MAX_RECORD_BYTES } = await import("./log");
const { Database } = await import("../db");
const { rateLimitTable } = await import("../auth/auth.sql");
const { userTable } = await import("../user/user.sql");

let lines: string[] = [];

beforeEach(() => {
  lines = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture as typeof process.stdout.write);
  vi.spyOn(process.stderr, "write").mockImplementation(capture as typeof process.stderr.write);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function only(): { line: string; record: Record<string, any> } {
  expect(lines).toHaveLength(1);
  const line = lines[0]!;
  return { line, record: JSON.parse(line) };
}

describe("log", () => {
  it("logs a failed query by its driver error, without the parameters", async () => {
    const content = `customer-log-line ${randomBytes(8).toString("hex")} `.repeat(40_000); // ~1.4 MB
    const err = await Database.use((db) => db.insert(rateLimitTable).values({ key: content, window: 1, count: 1 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    log.error("query failed", { err });
    const { line, record } = only();
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_RECORD_BYTES + 1);
    expect(line).not.toContain("customer-log-line");
    expect(line).not.toContain(content.slice(0, 40));
    // The root cause: the driver's code, number and message.
    expect(record.err.cause).toMatchObject({ code: "ER_DATA_TOO_LONG", errno: 1406 });
    expect(record.err.cause.message).toMatch(/too long/i);
    // The statement itself (placeholders, no values) says which query it was.
    expect(record.err.query).toMatch(/insert into `rate_limit`/);
  });

  it("does not repeat the values a driver message quotes", async () => {
    const email = `private-${randomBytes(6).toString("hex")}@example.com`;
    await Database.use((db) => db.insert(userTable).values({ id: randomBytes(13).toString("hex"), email }));
    const err = await Database.use((db) => db.insert(userTable).values({ id: randomBytes(13).toString("hex"), email })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Database.isDuplicate(err)).toBe(true);
    log.warn("insert failed", { err });
    const { line, record } = only();
    expect(line).not.toContain(email);
    expect(line).not.toContain(email.split("@")[0]!);
    expect(record.err.cause).toMatchObject({ code: "ER_DUP_ENTRY", errno: 1062 });
    expect(record.err.cause.message).toMatch(/duplicate entry/i);
    expect(record.err.cause.message).toMatch(/user_email/);
  });

  it("does not repeat the input a JSON parse error quotes", () => {
    let err: unknown;
    try {
      JSON.parse("secret-customer-line and more");
    } catch (e) {
      err = e;
    }
    log.warn("malformed record", { err });
    const { line, record } = only();
    expect(line).not.toContain("secret-cus");
    expect(record.err.name).toBe("SyntaxError");
  });

  it("caps every record, whatever its fields hold", () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 200; i++) {
      cursor.next = {};
      cursor = cursor.next as Record<string, unknown>;
    }
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    log.info("m".repeat(100_000), {
      blob: "y".repeat(5_000_000),
      many: Array.from({ length: 100_000 }, (_, i) => `item ${i}`),
      wide: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, "v".repeat(100)])),
      deep,
      circular,
      bytes: Buffer.alloc(1_000_000),
      big: 10n ** 30n,
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, "z".repeat(10_000)])),
    });
    const { line, record } = only();
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_RECORD_BYTES + 1);
    expect(record.level).toBe("info");
    expect(record.truncated).toBe(true);
    expect(record.bytes).toBeGreaterThan(MAX_RECORD_BYTES);
    expect(record.message.length).toBeLessThan(2_000);
  });

  it("cuts large fields and keeps the rest", () => {
    log.info("upload", { workspaceId: "w1", map: "y".repeat(5_000_000), files: Array.from({ length: 1000 }, (_, i) => i) });
    const { line, record } = only();
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_RECORD_BYTES + 1);
    expect(record.workspaceId).toBe("w1");
    expect(record.map).toMatch(/^y+…\[\d+ more chars\]$/);
    expect(record.files).toHaveLength(51);
  });

  it("keeps small records whole", () => {
    log.info("scan finished", { connectionId: "c1", stages: 3, ok: true, regions: ["us-east-1", "eu-west-1"] });
    const { record } = only();
    expect(record).toMatchObject({ level: "info", message: "scan finished", connectionId: "c1", stages: 3, ok: true, regions: ["us-east-1", "eu-west-1"] });
    expect(record.truncated).toBeUndefined();
  });

  it("caps multi-byte text by bytes", () => {
    log.info("emoji", { text: "😀".repeat(1_000_000) });
    const { line } = only();
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_RECORD_BYTES + 1);
    expect(line).not.toContain("\uFFFD");
  });
});
