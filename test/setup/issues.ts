/**
 * Test helper: errors of a demo handler, ingested as the log subscription would
 * deliver them (one Kinesis record through the real consumer code).
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { Ingest } from "../../packages/core/src/issue";
import { invoke } from "@console/testkit/programs";
import type { SeededFunction } from "@console/testkit/seed";

/** Runs `handler` of the Node demo and ingests its log lines for `fn` (connected as `connectionId`). */
export async function happen(target: { accountId: string; connectionId: string; fn: SeededFunction }, handler: string, event: unknown) {
  const run = await invoke("node", handler, event);
  const payload = {
    messageType: "DATA_MESSAGE",
    owner: target.accountId,
    logGroup: target.fn.logGroup,
    logStream: `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`,
    subscriptionFilters: [`console-${target.connectionId}-${target.fn.region}`],
    logEvents: run.events.map((e) => ({ id: e.id, timestamp: e.timestamp, message: e.message })),
  };
  const result = await Ingest.batch([{ id: randomUUID(), data: gzipSync(JSON.stringify(payload)) }]);
  if (result.failed.length) throw new Error(`ingest failed: ${JSON.stringify(result.stats)}`);
  return run;
}
