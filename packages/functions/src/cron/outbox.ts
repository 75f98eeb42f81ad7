/** The outbox sweeper (every minute on AWS, a timer in the local runtime): relays events whose publish failed. */
import { Bus } from "@console/core/event";
import { log } from "@console/core/util/log";

export async function sweepOutbox() {
  const result = await Bus.sweep();
  if (result.sent || result.failed) log.info("outbox swept", result);
  return result;
}

export async function handler() {
  const { setupRuntime } = await import("../runtime");
  await setupRuntime();
  return sweepOutbox();
}
