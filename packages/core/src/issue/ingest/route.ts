/**
 * Decode and route: each Kinesis record is a gzipped CloudWatch Logs subscription
 * payload. A record that is not one is counted and never retried; control messages
 * are skipped. A payload names its filter (`console-<connection>-<region>`), which
 * is how it finds its connection and region (payloads carry neither), and it is
 * refused unless its `owner` (set by CloudWatch Logs) is that connection's account.
 */
import { and, inArray } from "drizzle-orm";
import { awsAccountTable } from "../../account/account.sql";
import { Database } from "../../db";
import { log } from "../../util/log";
import { PayloadError, type SubscriptionPayload } from "../extract";
import { decodeRecord } from "../pipeline";
import { parseFilterName } from "../subscription";
import type { IngestRecord, IngestStats, Payload, Route } from "./types";

const CACHE_MS = 30_000;
const routeCache = new Map<string, { at: number; route: Route | null }>();

export function clearRoutes() {
  routeCache.clear();
}

/** The live connections among `connectionIds` (cached briefly; null for unknown or not connected). */
async function routes(connectionIds: string[]): Promise<Map<string, Route | null>> {
  const out = new Map<string, Route | null>();
  const missing: string[] = [];
  for (const id of connectionIds) {
    const hit = routeCache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) out.set(id, hit.route);
    else missing.push(id);
  }
  if (missing.length) {
    const rows = await Database.use((db) =>
      db
        .select({ workspaceId: awsAccountTable.workspaceId, connectionId: awsAccountTable.id, accountId: awsAccountTable.accountId })
        .from(awsAccountTable)
        .where(and(inArray(awsAccountTable.id, missing), inArray(awsAccountTable.status, ["connected", "scanning"]))),
    );
    for (const id of missing) {
      const row = rows.find((r) => r.connectionId === id);
      const route = row?.accountId ? { workspaceId: row.workspaceId, connectionId: row.connectionId, accountId: row.accountId } : null;
      routeCache.set(id, { at: Date.now(), route });
      out.set(id, route);
    }
  }
  return out;
}

/** Decodes the records (counting the malformed and control ones). */
export function decode(records: IngestRecord[], stats: IngestStats): { record: IngestRecord; data: SubscriptionPayload }[] {
  const decoded: { record: IngestRecord; data: SubscriptionPayload }[] = [];
  for (const record of records) {
    try {
      const data = decodeRecord(record.data);
      if (!data) {
        stats.control++;
        continue;
      }
      decoded.push({ record, data });
    } catch (err) {
      stats.malformed++;
      const reason = err instanceof PayloadError ? err.reason : "error";
      stats.malformedReasons[reason] = (stats.malformedReasons[reason] ?? 0) + 1;
      log.warn("malformed Kinesis record skipped", { sequenceNumber: record.id, reason, err });
    }
  }
  return decoded;
}

/** Routes decoded payloads to their workspaces (counting the unrouted ones). Throws when the routes cannot be read. */
export async function route(decoded: { record: IngestRecord; data: SubscriptionPayload }[], stats: IngestStats): Promise<Map<string, Payload[]>> {
  const filters = decoded.map((d) => (d.data.subscriptionFilters ?? []).map(parseFilterName).find((f) => !!f));
  const connectionIds = [...new Set(filters.filter((f) => !!f).map((f) => f!.connectionId))];
  const routed = await routes(connectionIds);
  const byWorkspace = new Map<string, Payload[]>();
  for (const [i, d] of decoded.entries()) {
    const filter = filters[i];
    const route = filter ? routed.get(filter.connectionId) : null;
    // The payload's owner is set by CloudWatch Logs: it must be the connection's own account.
    if (!route || d.data.owner !== route.accountId) {
      stats.unrouted++;
      continue;
    }
    const list = byWorkspace.get(route.workspaceId) ?? [];
    list.push({ ...d, route, region: filter!.region });
    byWorkspace.set(route.workspaceId, list);
  }
  return byWorkspace;
}
