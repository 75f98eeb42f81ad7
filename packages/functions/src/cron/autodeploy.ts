/**
 * Autodeploy runs moved forward (a cron every minute on AWS, a short timer in the local
 * runtime): running builds are polled through the executor, and the next queued run of each
 * idle stage is started. The executor is set at start-up (`Executors.set`, in the runtime).
 */
import { Autodeploy } from "@console/core/autodeploy";
import { log } from "@console/core/util/log";

export async function advanceRuns(now = new Date()) {
  const result = await Autodeploy.advance({ now });
  if (result.polled || result.started) log.info("autodeploy runs", { ...result });
  return result;
}

export async function handler() {
  const { setupRuntime } = await import("../runtime");
  await setupRuntime();
  return advanceRuns();
}
