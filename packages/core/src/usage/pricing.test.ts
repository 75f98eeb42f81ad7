import { describe, expect, it } from "vitest";
import { PricingError, TIERS, formatMicros, parseCount, price, priceJson, validateTiers } from "./pricing";

const usd = (n: bigint | number) => formatMicros(price(n).costMicros);

describe("pricing", () => {
  it("is exact at and around every boundary", () => {
    expect(usd(0)).toBe("0.00");
    expect(usd(1)).toBe("0.00");
    expect(usd(999_999)).toBe("0.00");
    expect(usd(1_000_000)).toBe("0.00");
    expect(usd(1_000_001)).toBe("0.00002");
    expect(usd(9_999_999)).toBe("179.99998");
    expect(usd(10_000_000)).toBe("180.00");
    expect(usd(10_000_001)).toBe("180.000002");
    expect(usd(11_000_000)).toBe("182.00");
  });

  it("stays exact for very large counts", () => {
    // 10^20 invocations: 180 + (10^20 - 10^7) * 0.000002
    const n = 10n ** 20n;
    expect(price(n).costMicros).toBe(180_000_000n + (n - 10_000_000n) * 2n);
    expect(usd(n)).toBe("200000000000160.00");
    const json = priceJson(price(n));
    expect(json.invocations).toBe("100000000000000000000");
    expect(json.costUsd).toBe("200000000000160.00");
    expect(usd(Number.MAX_SAFE_INTEGER)).toBe(formatMicros(180_000_000n + (BigInt(Number.MAX_SAFE_INTEGER) - 10_000_000n) * 2n));
  });

  it("splits the count by tier", () => {
    const json = priceJson(price(10_000_001));
    expect(json.tiers.map((t) => t.invocations)).toEqual([1_000_000, 9_000_000, 1]);
    expect(json.tiers.map((t) => t.costUsd)).toEqual(["0.00", "180.00", "0.000002"]);
    expect(json.tiers.map((t) => t.unitPriceUsd)).toEqual(["0.00", "0.00002", "0.000002"]);
  });

  it("takes tiers as configuration", () => {
    const flat = [{ from: 0n, upTo: null, unitMicros: 5n }];
    expect(price(3, flat).costMicros).toBe(15n);
    expect(() => validateTiers([{ from: 0n, upTo: 10n, unitMicros: 1n }])).toThrow(PricingError);
    expect(() => validateTiers([{ from: 1n, upTo: null, unitMicros: 1n }])).toThrow(PricingError);
    expect(() => validateTiers([])).toThrow(PricingError);
    validateTiers(TIERS);
  });

  it("refuses bad counts", () => {
    expect(() => price(-1)).toThrow(PricingError);
    expect(() => parseCount("1e6")).toThrow(PricingError);
    expect(() => parseCount("-5")).toThrow(PricingError);
    expect(() => parseCount("1.5")).toThrow(PricingError);
    expect(parseCount("1_000_000")).toBe(1_000_000n);
  });
});
