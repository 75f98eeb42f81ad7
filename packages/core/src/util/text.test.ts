import { describe, expect, it } from "vitest";
import { cutBytes, cutChars } from "./text";

describe("cutBytes", () => {
  it("keeps short text and cuts long multibyte text on a character boundary", () => {
    expect(cutBytes("héllo", 100)).toBe("héllo");
    const text = "日本語🙂".repeat(20_000); // 3+3+3+4 bytes per round
    const cut = cutBytes(text, 65_535);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(65_535);
    expect(Buffer.byteLength(cut)).toBeGreaterThan(65_535 - 4);
    expect(cut).not.toContain("\uFFFD");
    expect(text.startsWith(cut)).toBe(true);
  });
  it("never splits a four-byte character", () => {
    expect(cutBytes("a🙂", 4)).toBe("a");
    expect(cutBytes("a🙂", 5)).toBe("a🙂");
  });
});

describe("cutChars", () => {
  it("never leaves half a surrogate pair", () => {
    expect(cutChars("ab🙂", 3)).toBe("ab");
    expect(cutChars("abc", 2)).toBe("ab");
  });
});
