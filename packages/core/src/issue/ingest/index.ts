/**
 * The Issues consumer: Kinesis records of CloudWatch Logs subscription payloads in,
 * issues, occurrences and hourly counts out. One step per file:
 *
 * - ./route.ts: decode every record (one that is not a payload is counted and never
 *   retried, and never blocks the others) and route it to its connection;
 * - ./detect.ts: per workspace, detect errors per log stream and enrich them;
 * - ./group.ts: which issue each error joins;
 * - ./write.ts: per workspace, in one transaction: idempotency, the hourly quota
 *   (../../usage), issues, hashes, counts, occurrences.
 *
 * A workspace whose work fails has its records tried again one at a time, so one
 * poison record cannot hold back the others; a record that still fails is reported
 * as failed (retried) while the failure is a passing outage, and is dead-lettered
 * after a few attempts otherwise (./dead-letter.ts). The other workspaces' records
 * stay done.
 */
import { Actor } from "../../actor";
import { log } from "../../util/log";
import { DeadLetters, isTransient } from "./dead-letter";
import { detect, detectCaches } from "./detect";
import { clearRoutes, decode, route } from "./route";
import { emptyStats, type IngestOptions, type IngestRecord, type IngestResult, type IngestStats, type Payload } from "./types";
import { write } from "./write";

export type { IngestOptions, IngestRecord, IngestResult, IngestStats } from "./types";
export { DeadLetters, ingestDeadLetterTable, MAX_ATTEMPTS } from "./dead-letter";

async function ingestWorkspace(workspaceId: string, payloads: Payload[], stats: IngestStats, options: IngestOptions) {
  await Actor.system("ingest", { id: workspaceId, slug: "" }, async () => {
    const found = await detect(workspaceId, payloads, stats, options);
    if (found.length) await write(workspaceId, found, stats, options);
  });
}

export namespace Ingest {
  /** Processes one batch of Kinesis records. */
  export async function batch(records: IngestRecord[], options: IngestOptions = {}): Promise<IngestResult> {
    const stats = emptyStats(records.length);
    const failed: string[] = [];
    const decoded = decode(records, stats);
    let byWorkspace: Map<string, Payload[]>;
    try {
      byWorkspace = await route(decoded, stats);
    } catch (err) {
      log.error("routing failed; the whole batch is retried", { err });
      return { failed: records.map((r) => r.id), stats };
    }
    for (const [workspaceId, payloads] of byWorkspace) {
      try {
        await ingestWorkspace(workspaceId, payloads, stats, options);
        continue;
      } catch (err) {
        if (isTransient(err) || payloads.length === 1) {
          if (payloads.length === 1) await settle(workspaceId, payloads[0]!, err, stats, failed);
          else {
            log.error("ingest failed for a workspace; its records will be retried", { workspaceId, err });
            for (const p of payloads) failed.push(p.record.id);
          }
          continue;
        }
        log.warn("ingest failed for a workspace; its records are tried one at a time", { workspaceId, records: payloads.length, err });
      }
      // One record at a time: the good ones are written, the poison one is set apart.
      for (const p of payloads) {
        try {
          await ingestWorkspace(workspaceId, [p], stats, options);
        } catch (err) {
          await settle(workspaceId, p, err, stats, failed);
        }
      }
    }
    return { failed: [...new Set(failed)], stats };
  }

  /** A record that failed on its own: retried, or dead-lettered after its last attempt. */
  async function settle(workspaceId: string, p: Payload, err: unknown, stats: IngestStats, failed: string[]) {
    if (isTransient(err)) {
      log.error("ingest failed for a record (a passing outage); it will be retried", { workspaceId, sequenceNumber: p.record.id, err });
      failed.push(p.record.id);
      return;
    }
    const outcome = await DeadLetters.recordFailure(workspaceId, p, err).catch((countErr) => {
      log.error("could not count a failed record's attempt; it will be retried", { workspaceId, err: countErr });
      return "retry" as const;
    });
    if (outcome === "dead") {
      stats.deadLettered++;
      log.error("a record failed on every attempt and was dead-lettered", { workspaceId, sequenceNumber: p.record.id, err });
    } else {
      log.warn("ingest failed for a record; it will be retried", { workspaceId, sequenceNumber: p.record.id, err });
      failed.push(p.record.id);
    }
  }

  export function sourceMapStats() {
    return detectCaches.sourceMapStats();
  }

  export function enrichStats() {
    return detectCaches.enrichStats();
  }

  export function clearCaches() {
    clearRoutes();
    detectCaches.clear();
  }
}
