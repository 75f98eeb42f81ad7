import { describe, expect, it } from "vitest";
import { SpanMemo } from "./memo";

const whole = (s: string) => [0, s.length];

describe("SpanMemo", () => {
  it("finds a value by the text of its spans, not by the string object", () => {
    const memo = new SpanMemo<number>(10);
    const body = JSON.stringify({ errorType: "TypeError", errorMessage: "x".repeat(900) });
    memo.set(1, `head-1|${body}`, [7, 7 + body.length], 42);
    // The same body in another line, at another offset.
    const other = `another head|${body}`;
    expect(memo.get(1, other, [13, other.length])).toBe(42);
    expect(memo.get(2, other, [13, other.length])).toBeUndefined(); // another tag
    expect(memo.get(1, other, [12, other.length])).toBeUndefined(); // another span
  });

  it("leaves out what lies between spans (a request id, a time)", () => {
    const memo = new SpanMemo<string>(10);
    const line = (rid: string) => `{"requestId":"${rid}","message":"boom"}`;
    const a = line("aaaa-1111");
    const spans = (s: string) => [0, 14, s.indexOf('","message"'), s.length];
    memo.set(1, a, spans(a), "hit");
    const b = line("bbbb-2222-longer");
    expect(memo.get(1, b, spans(b))).toBe("hit");
    // Moving text across the gap is another key.
    const c = `{"requestId":"x","message":"boom!"}`;
    expect(memo.get(1, c, spans(c))).toBeUndefined();
  });

  it("tells apart long texts that differ only where the hash does not sample", () => {
    const memo = new SpanMemo<number>(100);
    const base = "a".repeat(2000);
    // The same length, one character changed at positions the sampled hash skips.
    const variants = [5, 6, 7, 9, 10].map((i) => base.slice(0, i) + "b" + base.slice(i + 1));
    variants.forEach((v, i) => memo.set(1, v, whole(v), i));
    // A bucket keeps its newest few: every lookup is right or a miss, never another's value.
    for (const [i, v] of variants.entries()) {
      const got = memo.get(1, v, whole(v));
      expect(got === undefined || got === i).toBe(true);
    }
    expect(memo.get(1, variants[4]!, whole(variants[4]!))).toBe(4);
    expect(memo.get(1, base, whole(base))).toBeUndefined();
    expect(memo.size).toBeLessThanOrEqual(4);
  });

  it("remembers null (a body that holds no error) apart from nothing", () => {
    const memo = new SpanMemo<number | null>(10);
    memo.set(3, "plain text", whole("plain text"), null);
    expect(memo.get(3, "plain text", whole("plain text"))).toBeNull();
    expect(memo.get(3, "other text", whole("other text"))).toBeUndefined();
  });

  it("stays within its bound, the oldest leaving first", () => {
    const memo = new SpanMemo<number>(50);
    for (let i = 0; i < 500; i++) memo.set(1, `body ${i} ${"z".repeat(i % 97)}`, whole(`body ${i} ${"z".repeat(i % 97)}`), i);
    expect(memo.size).toBeLessThanOrEqual(50);
    const last = `body 499 ${"z".repeat(499 % 97)}`;
    expect(memo.get(1, last, whole(last))).toBe(499);
    expect(memo.get(1, "body 0 ", whole("body 0 "))).toBeUndefined();
    memo.clear();
    expect(memo.size).toBe(0);
  });

  it("stores its own copy: the line it came from can go", () => {
    const memo = new SpanMemo<number>(10);
    let line: string | undefined = `${"p".repeat(5000)}|the body`;
    memo.set(1, line, [5001, line.length], 1);
    line = undefined;
    expect(memo.get(1, "the body", [0, 8])).toBe(1);
  });
});
