/** Alert retries (a cron every minute on AWS, an interval in the local runtime): deliveries whose lease ran out are sent again. */
import { Alert } from "@console/core/alert";
import { log } from "@console/core/util/log";

export async function retryAlerts(now = new Date()) {
  const result = await Alert.retryDue(now);
  if (result.tried) log.info("alert retries", result);
  return result;
}

export async function handler() {
  const { setupRuntime } = await import("../runtime");
  await setupRuntime();
  return retryAlerts();
}
