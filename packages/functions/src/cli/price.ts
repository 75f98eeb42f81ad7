/**
 * `npm run --silent cli -- price N`: the month's cost of N invocations, one JSON line
 * `{"invocations","costUsd","tiers":[...]}`; costUsd is exact to the micro-dollar.
 */
import { parseCount, price, priceJson } from "@console/core/usage/pricing";

export async function run(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === "-h" || args[0] === "--help") {
    process.stderr.write("Usage: npm run --silent cli -- price <invocations>\n");
    return args[0] === "-h" || args[0] === "--help" ? 0 : 1;
  }
  const n = parseCount(args[0]!);
  process.stdout.write(JSON.stringify(priceJson(price(n))) + "\n");
  return 0;
}
