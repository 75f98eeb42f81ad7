import { describe, expect, it } from "vitest";
import { browserOf, connectionHelp } from "./help";

const SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const IOS_SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const CHROME_IOS = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const EDGE = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0";

describe("why the browser may not reach sst dev", () => {
  it("tells Safari and Brave (which need HTTPS: sst cert) from the others", () => {
    expect(browserOf({ userAgent: SAFARI, brave: false })).toBe("safari");
    expect(browserOf({ userAgent: IOS_SAFARI, brave: false })).toBe("safari");
    expect(browserOf({ userAgent: CHROME, brave: true })).toBe("brave");
    for (const ua of [CHROME, CHROME_IOS, FIREFOX, EDGE]) expect(browserOf({ userAgent: ua, brave: false }), ua).toBe("other");
    expect(connectionHelp({ userAgent: SAFARI, brave: false, hostname: "console.example.com" })).toEqual({
      browser: "safari",
      needsHttps: true,
      remote: false,
      primary: "https",
    });
    expect(connectionHelp({ userAgent: CHROME, brave: false, hostname: "localhost" }).primary).toBe("start");
  });

  it("says a tunnel is needed when the console itself is open in a remote workspace", () => {
    for (const hostname of ["3000-acme-abc123.ws-eu114.gitpod.io", "fluffy-space-xyz-3000.app.github.dev"]) {
      expect(connectionHelp({ userAgent: CHROME, brave: false, hostname })).toMatchObject({ remote: true, primary: "remote" });
    }
    expect(connectionHelp({ userAgent: CHROME, brave: false, hostname: "notgitpod.io.example.com" }).remote).toBe(false);
  });
});
