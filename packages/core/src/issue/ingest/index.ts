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
 * A workspace whose work fails has its records reported as failed, so only they are
 * retried; the other workspaces' records stay done.
 */
import { Actor } from "../../actor";
import { log } from "../../util/log";
import { detect, detectCaches } from "./detect";
import { clearRoutes, decode, route } from "./route";
import { emptyStats, type IngestOptions, type IngestRecord, type IngestResult, type Payload } from "./types";
import { write } from "./write";

export type { IngestOptions, IngestRecord, IngestResult, IngestStats } from "./types";

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
        await Actor.system("ingest", { id: workspaceId, slug: "" }, async () => {
          const found = await detect(workspaceId, payloads, stats, options);
          if (found.length) await write(workspaceId, found, stats, options);
        });
      } catch (err) {
        log.error("ingest failed for a workspace; its records will be retried", { workspaceId, err });
        for (const p of payloads) failed.push(p.record.id);
      }
    }
    return { failed: [...new Set(failed)], stats };
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
