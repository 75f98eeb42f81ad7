/**
 * Pricing of metered invocations: one pure function, exact money.
 *
 * Amounts are integer micro-dollars (BigInt, so any count is exact); tiers are
 * configuration. Per workspace per calendar month: the first 1,000,000 invocations are
 * free, then $0.00002 each up to 10,000,000, then $0.000002 each.
 */

export interface Tier {
  /** Invocations above which this tier starts (exclusive lower bound). */
  from: bigint;
  /** Inclusive upper bound; null for the last, open-ended tier. */
  upTo: bigint | null;
  /** Price per invocation in micro-dollars. */
  unitMicros: bigint;
}

/** The default tiers (graduated: each invocation is priced by the tier it falls in). */
export const TIERS: readonly Tier[] = [
  { from: 0n, upTo: 1_000_000n, unitMicros: 0n },
  { from: 1_000_000n, upTo: 10_000_000n, unitMicros: 20n },
  { from: 10_000_000n, upTo: null, unitMicros: 2n },
];

export interface TierLine {
  from: number | string;
  upTo: number | string | null;
  unitPriceUsd: string;
  invocations: number | string;
  costUsd: string;
}

export interface Price {
  invocations: bigint;
  costMicros: bigint;
  tiers: { tier: Tier; invocations: bigint; costMicros: bigint }[];
}

export class PricingError extends Error {}

/** Checks that tiers are contiguous from 0, ascending, with only the last open-ended. */
export function validateTiers(tiers: readonly Tier[]): void {
  if (tiers.length === 0) throw new PricingError("at least one tier is required");
  let expected = 0n;
  tiers.forEach((t, i) => {
    if (t.from !== expected) throw new PricingError(`tier ${i} must start at ${expected}`);
    if (t.unitMicros < 0n) throw new PricingError(`tier ${i} has a negative price`);
    const last = i === tiers.length - 1;
    if (t.upTo === null) {
      if (!last) throw new PricingError(`only the last tier may be open-ended`);
    } else {
      if (t.upTo <= t.from) throw new PricingError(`tier ${i} is empty`);
      if (last) throw new PricingError(`the last tier must be open-ended`);
      expected = t.upTo;
    }
  });
}

/** The month's price of `invocations` under `tiers` (graduated). */
export function price(invocations: bigint | number, tiers: readonly Tier[] = TIERS): Price {
  const n = BigInt(invocations);
  if (n < 0n) throw new PricingError("invocations must be >= 0");
  validateTiers(tiers);
  let costMicros = 0n;
  const lines = tiers.map((tier) => {
    const top = tier.upTo === null ? n : n < tier.upTo ? n : tier.upTo;
    const inTier = top > tier.from ? top - tier.from : 0n;
    const cost = inTier * tier.unitMicros;
    costMicros += cost;
    return { tier, invocations: inTier, costMicros: cost };
  });
  return { invocations: n, costMicros, tiers: lines };
}

/** Micro-dollars as an exact decimal string, at least two decimals: 180000000n → "180.00". */
export function formatMicros(micros: bigint): string {
  const neg = micros < 0n;
  const abs = neg ? -micros : micros;
  const whole = abs / 1_000_000n;
  let frac = (abs % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  if (frac.length < 2) frac = frac.padEnd(2, "0");
  return `${neg ? "-" : ""}${whole}.${frac}`;
}

/** A count as a JSON number when exact, else as a decimal string. */
export function jsonCount(n: bigint): number | string {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** The JSON shape used by `cli price` and the usage API. */
export function priceJson(p: Price): { invocations: number | string; costUsd: string; tiers: TierLine[] } {
  return {
    invocations: jsonCount(p.invocations),
    costUsd: formatMicros(p.costMicros),
    tiers: p.tiers.map((l) => ({
      from: jsonCount(l.tier.from),
      upTo: l.tier.upTo === null ? null : jsonCount(l.tier.upTo),
      unitPriceUsd: formatMicros(l.tier.unitMicros),
      invocations: jsonCount(l.invocations),
      costUsd: formatMicros(l.costMicros),
    })),
  };
}

/** Parses a non-negative integer count given as text ("1000000", "1_000_000", "1e6" is refused). */
export function parseCount(text: string): bigint {
  const clean = text.replace(/[_,]/g, "");
  if (!/^\d+$/.test(clean)) throw new PricingError(`not a non-negative integer: ${text}`);
  return BigInt(clean);
}
