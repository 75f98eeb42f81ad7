/**
 * Group: which issue each error joins. Every fingerprint hash of every error is
 * looked up at once (per stage); an error joins the issue of the first of its hashes
 * already known, otherwise errors with the same primary hash open one new issue.
 * A resolved issue with an occurrence newer than its resolution is a regression.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db";
import { createId } from "../../id";
import { issueHashTable, issueTable } from "../issue.sql";
import type { Found } from "./types";

const CHUNK = 500;

export interface IssueUpdate {
  id: string;
  stageId: string;
  isNew: boolean;
  regression: boolean;
  hashes: Set<string>;
  primary: string;
  /** The existing issue's own hash (its title and shown error follow errors that carry it). */
  issuePrimary?: string | null;
  count: number;
  first: number;
  last: number;
  latest: Found;
}

export interface Grouped {
  updates: IssueUpdate[];
  /** `<stage>|<hash>` -> issue id, for every hash of the batch. */
  issueOf: Map<string, string>;
}

export async function group(tx: Tx, workspaceId: string, accepted: Found[]): Promise<Grouped> {
  const pairs = new Map<string, { stageId: string; hash: string }>();
  for (const f of accepted) for (const h of f.extracted.fingerprint.hashes) pairs.set(`${f.fn.stageId}|${h}`, { stageId: f.fn.stageId, hash: h });
  const known = new Map<string, string>();
  const pairList = [...pairs.values()];
  for (let i = 0; i < pairList.length; i += CHUNK) {
    const chunk = pairList.slice(i, i + CHUNK);
    const rows = await tx
      .select({ stageId: issueHashTable.stageId, hash: issueHashTable.hash, issueId: issueHashTable.issueId })
      .from(issueHashTable)
      .where(
        and(
          eq(issueHashTable.workspaceId, workspaceId),
          inArray(issueHashTable.hash, [...new Set(chunk.map((p) => p.hash))]),
          inArray(issueHashTable.stageId, [...new Set(chunk.map((p) => p.stageId))]),
        ),
      );
    for (const r of rows) known.set(`${r.stageId}|${r.hash}`, r.issueId);
  }

  const updates = new Map<string, IssueUpdate>();
  const newByPrimary = new Map<string, IssueUpdate>();
  for (const f of accepted) {
    const fp = f.extracted.fingerprint;
    let issueId: string | undefined;
    for (const h of fp.hashes) {
      issueId = known.get(`${f.fn.stageId}|${h}`);
      if (issueId) break;
    }
    let u = issueId ? updates.get(issueId) : newByPrimary.get(`${f.fn.stageId}|${fp.hash}`);
    if (!u) {
      u = {
        id: issueId ?? createId(),
        stageId: f.fn.stageId,
        isNew: !issueId,
        regression: false,
        hashes: new Set(),
        primary: fp.hash,
        count: 0,
        first: f.extracted.error.timestamp,
        last: f.extracted.error.timestamp,
        latest: f,
      };
      updates.set(u.id, u);
      if (!issueId) newByPrimary.set(`${f.fn.stageId}|${fp.hash}`, u);
    }
    for (const h of fp.hashes) {
      u.hashes.add(h);
      known.set(`${f.fn.stageId}|${h}`, u.id);
    }
    u.count++;
    u.first = Math.min(u.first, f.extracted.error.timestamp);
    if (f.extracted.error.timestamp >= u.last) {
      u.last = f.extracted.error.timestamp;
      u.latest = f;
    }
  }

  // Regressions: a resolved issue with an occurrence newer than its resolution.
  const existingIds = [...updates.values()].filter((u) => !u.isNew).map((u) => u.id);
  for (let i = 0; i < existingIds.length; i += CHUNK) {
    const rows = await tx
      .select({ id: issueTable.id, status: issueTable.status, timeResolved: issueTable.timeResolved, primaryHash: issueTable.primaryHash })
      .from(issueTable)
      .where(and(eq(issueTable.workspaceId, workspaceId), inArray(issueTable.id, existingIds.slice(i, i + CHUNK))));
    for (const r of rows) {
      const u = updates.get(r.id)!;
      u.issuePrimary = r.primaryHash;
      if (r.status === "resolved" && (!r.timeResolved || u.last > r.timeResolved.getTime())) u.regression = true;
    }
  }
  return { updates: [...updates.values()], issueOf: known };
}
