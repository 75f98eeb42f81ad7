/**
 * Reading deploys from a state bucket, for discovery's scans and bucket events.
 *
 * A scan lists `update/` and `eventlog/` once per bucket (every page) and fetches only
 * the deploys whose objects' ETags differ from what is stored: a rescan that finds
 * nothing new fetches nothing. A bucket event re-reads the one deploy its key names
 * (or, for a stage's `app/` object, that stage's listing). Each stage keeps its newest
 * `DEPLOYS_PER_STAGE` deploys in view; older ones are not fetched.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { StoredStage } from "../app";
import { parseV3StateKey } from "../app/sst/keys";
import { describe, getObject, listKeys, storedByName, type RegionContext } from "../account/scan/read";
import { log } from "../util/log";
import { mapLimit } from "../util/pool";
import { Deploy, type StoredDeploy } from "./index";
import { buildDeploy, parseEventLog, parseUpdateRecord } from "./parse";

/** The newest deploys of a stage that are read (update IDs sort newest first). */
export const DEPLOYS_PER_STAGE = 50;
const CONCURRENCY = 4;

interface Listed {
  update?: { key: string; etag: string };
  eventlog?: { key: string; etag: string };
}

type ByStage = Map<string, Map<string, Listed>>;

const stageKey = (app: string, stage: string) => `${app}\u0000${stage}`;

function group(objects: { key: string; etag: string }[], into: ByStage = new Map()): ByStage {
  for (const o of objects) {
    const k = parseV3StateKey(o.key);
    if (!k || !k.updateId || (k.kind !== "update" && k.kind !== "eventlog")) continue;
    let stage = into.get(stageKey(k.app, k.stage));
    if (!stage) into.set(stageKey(k.app, k.stage), (stage = new Map()));
    const entry = stage.get(k.updateId) ?? {};
    entry[k.kind] = { key: o.key, etag: o.etag };
    stage.set(k.updateId, entry);
  }
  return into;
}

const tagOf = (l: Listed) => `${l.update?.etag ?? ""}|${l.eventlog?.etag ?? ""}`;

/** Fetches and stores the deploys of one stage whose objects changed; returns how many objects it fetched. */
async function syncStageDeploys(
  s3: S3Client,
  bucket: string,
  stage: StoredStage,
  listed: Map<string, Listed>,
  stored: Map<string, StoredDeploy> | undefined,
  alert: boolean,
): Promise<number> {
  const newest = [...listed.entries()].filter(([, l]) => l.update).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, DEPLOYS_PER_STAGE);
  const changed = newest.filter(([id, l]) => stored?.get(id)?.sourceTag !== tagOf(l));
  let fetched = 0;
  await mapLimit(changed, CONCURRENCY, async ([updateId, l]) => {
    try {
      const [updateBody, eventlogBody] = await Promise.all([getObject(s3, bucket, l.update!.key), l.eventlog ? getObject(s3, bucket, l.eventlog.key) : null]);
      fetched += 1 + (l.eventlog ? 1 : 0);
      if (!updateBody) return;
      const update = parseUpdateRecord(updateBody, updateId);
      let eventlog = null;
      if (eventlogBody) {
        try {
          eventlog = parseEventLog(eventlogBody);
        } catch (err) {
          log.warn("deploy event log unreadable", { stageId: stage.id, updateId, err: describe(err) });
        }
      }
      await Deploy.save({ stageId: stage.id, record: buildDeploy(update, eventlog), sourceTag: tagOf(l), before: stored?.get(updateId), alert });
    } catch (err) {
      log.warn("deploy record skipped", { stageId: stage.id, updateId, err: describe(err) });
    }
  });
  return fetched;
}

/**
 * Every deploy of a state bucket's stages (a scan). `stages` are the region's stages as
 * stored after the scan read their state; `known` are the ids stored before it (only
 * their new failures alert).
 */
export async function syncBucket(ctx: RegionContext, s3: S3Client, bucket: string, stages: StoredStage[], known: Set<string>) {
  const byStage = group([...(await listKeys(s3, bucket, "update/")), ...(await listKeys(s3, bucket, "eventlog/"))]);
  const targets = [...byStage.entries()]
    .map(([k, listed]) => {
      const [app, name] = k.split("\u0000") as [string, string];
      return { stage: storedByName(stages, app, name), listed };
    })
    .filter((t): t is { stage: StoredStage; listed: Map<string, Listed> } => !!t.stage);
  const stored = await Deploy.stored(targets.map((t) => t.stage.id));
  for (const t of targets) {
    ctx.result.objectsFetched += await syncStageDeploys(s3, bucket, t.stage, t.listed, stored.get(t.stage.id), known.has(t.stage.id));
  }
}

/** The deploys of one stage (a bucket event about the stage); `updateId` narrows it to one deploy. */
export async function syncStage(s3: S3Client, bucket: string, stage: StoredStage, updateId?: string) {
  const suffix = updateId ? `${updateId}.json` : "";
  const listed = group([
    ...(await listKeys(s3, bucket, `update/${stage.app}/${stage.name}/${suffix}`)),
    ...(await listKeys(s3, bucket, `eventlog/${stage.app}/${stage.name}/${suffix}`)),
  ]).get(stageKey(stage.app, stage.name));
  if (!listed) return 0;
  const stored = await Deploy.stored([stage.id]);
  return syncStageDeploys(s3, bucket, stage, listed, stored.get(stage.id), true);
}
