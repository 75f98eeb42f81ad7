/**
 * The Issues consumer on AWS: a Kinesis event source mapping with
 * ReportBatchItemFailures. Only records that failed are named as failures (by
 * sequence number), so Lambda retries just those; a record that fails for a reason
 * other than an outage is dead-lettered after a few attempts and no longer named, so
 * it never blocks its shard (core/src/issue/ingest/dead-letter.ts); malformed records
 * are counted and logged, never retried.
 */
import { Ingest } from "@console/core/issue";
import { log } from "@console/core/util/log";
import { setupRuntime } from "../runtime";

await setupRuntime();

interface KinesisEvent {
  Records: { kinesis: { sequenceNumber: string; data: string; approximateArrivalTimestamp?: number } }[];
}

export async function handler(event: KinesisEvent) {
  const records = event.Records.map((r) => ({ id: r.kinesis.sequenceNumber, data: r.kinesis.data }));
  const oldest = Math.min(...event.Records.map((r) => (r.kinesis.approximateArrivalTimestamp ?? Date.now() / 1000) * 1000));
  const { failed, stats } = await Ingest.batch(records);
  log.info("issues batch", { ...stats, failed: failed.length, delayMs: Math.round(Date.now() - oldest) });
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}
