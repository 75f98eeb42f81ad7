/**
 * Lambda `Invocations` metric data for the demo account, so the usage page has a chart
 * and a cost: the last `days` UTC days (today included) for every function of every
 * non-personal stage, deterministic per function and day. Personal stages get data too
 * (it must never be counted).
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { actAsAccount, type EmulatorTarget } from "./aws";
import type { SeedResult } from "./seed";

export async function seedDemoMetrics(target: EmulatorTarget, seed: SeedResult, options: { days?: number; now?: number } = {}) {
  const days = options.days ?? 14;
  const now = options.now ?? Date.now();
  const byRegion = new Map<string, MetricDatum[]>();
  let total = 0;
  seed.functions.forEach((f, i) => {
    if (!f.created) return;
    for (let d = 0; d < days; d++) {
      const day = new Date(now - d * 86_400_000);
      day.setUTCHours(0, 30, 0, 0);
      // Busy and quiet functions, weekly swing: ~100k a day across the demo's deployed stages.
      const value = 2_000 + ((i * 7_919 + d * 104_729) % 9_000) * (1 + (day.getUTCDay() % 3));
      const list = byRegion.get(f.region) ?? [];
      list.push({ MetricName: "Invocations", Dimensions: [{ Name: "FunctionName", Value: f.name }], Timestamp: day, Value: value, Unit: "Count" });
      byRegion.set(f.region, list);
      total += value;
    }
  });
  for (const [region, data] of byRegion) {
    const cw = actAsAccount(
      new CloudWatchClient({ region, endpoint: target.endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } }),
      target.accountId,
    );
    // 20 data per call: the emulator answers larger PutMetricData calls with an error page.
    for (let i = 0; i < data.length; i += 20) await cw.send(new PutMetricDataCommand({ Namespace: "AWS/Lambda", MetricData: data.slice(i, i + 20) }));
    cw.destroy();
  }
  return { total };
}
