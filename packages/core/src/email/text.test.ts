import { describe, expect, it } from "vitest";
import { inlineText } from "./text";

describe("inlineText", () => {
  it("makes one line of any text", () => {
    expect(inlineText("Acme\r\nBcc: x\n\n\tTeam\u2028Two\u2029Three", 100)).toBe("Acme Bcc: x Team Two Three");
    expect(inlineText("a\u202Eexe.gnp\u200Bb\u0000c", 100)).toBe("a exe[.]gnp b c");
  });

  it("neutralises links, keeping the text readable", () => {
    expect(inlineText("Go to https://evil.example/login?x=1 now", 100)).toBe("Go to https[:]//evil[.]example/login?x=1 now");
    expect(inlineText("www.phish.test", 100)).toBe("www[.]phish[.]test");
    expect(inlineText("see evil.example/reset", 100)).toBe("see evil[.]example/reset");
    expect(inlineText("javascript://x", 100)).toBe("javascript[:]//x");
    // Email addresses stay as they are; plain names too.
    expect(inlineText("ada.lovelace@example.com", 100)).toBe("ada.lovelace@example.com");
    expect(inlineText("Acme Corp (EU) v2.1", 100)).toBe("Acme Corp (EU) v2.1");
  });

  it("caps by characters, not splitting one", () => {
    expect(inlineText("x".repeat(200), 60)).toHaveLength(60);
    expect(inlineText("x".repeat(200), 60).endsWith("…")).toBe(true);
    const emoji = inlineText("😀".repeat(100), 10);
    expect([...emoji]).toHaveLength(10);
    expect(emoji).not.toContain("\uFFFD");
    expect(inlineText("short", 60)).toBe("short");
  });
});
