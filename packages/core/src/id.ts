import { monotonicFactory } from "ulid";
import { randomBytes, createHash, timingSafeEqual } from "node:crypto";

const ulid = monotonicFactory();

/** Time-sorted, 26-character ids (ULID, lowercased). */
export function createId(): string {
  return ulid().toLowerCase();
}

/** A random secret, url-safe. */
export function createSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
