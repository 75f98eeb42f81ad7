/**
 * Apps, stages and their resources, as discovery found them. Reads are scoped to
 * the acting workspace; writes come from discovery (running as the system inside
 * one workspace) and change only what differs from what is stored.
 */
import { and, asc, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { Database, type Tx } from "../db";
import { NotFoundError } from "../error";
import { Bus, defineEvent } from "../event";
import { createId, sha256 } from "../id";
import { appTable, functionTable, resourceTable, stageTable } from "./app.sql";
import { awsAccountTable } from "../account/account.sql";
import type { StageModel } from "./sst";

export { appTable, functionTable, resourceTable, stageTable } from "./app.sql";

export interface StageSummary {
  id: string;
  appId: string;
  app: string;
  name: string;
  connectionId: string;
  accountId: string | null;
  region: string;
  version: "v3" | "v2";
  personal: boolean;
  functionCount: number;
  resourceCount: number;
  timeDeployed: Date | null;
  timeUpdated: Date;
}

export interface FunctionInfo {
  id: string;
  stageId: string;
  component: string;
  name: string;
  arn: string;
  region: string;
  accountId: string;
  runtime: string | null;
  handler: string | null;
  sourceHandler: string | null;
  memorySize: number | null;
  timeout: number | null;
  codeSize: number | null;
  logGroup: string;
  live: boolean;
  internal: boolean;
  timeDeployed: Date | null;
}

export interface StoredStage {
  id: string;
  app: string;
  name: string;
  region: string;
  contentHash: string;
  sourceTag: string;
  timeDeleted: Date | null;
}

function functionRows(workspaceId: string, stageId: string, model: StageModel) {
  return model.functions.map((f) => ({
    workspaceId,
    id: createId(),
    stageId,
    keyHash: sha256(f.key),
    component: f.component.slice(0, 255),
    name: f.name,
    arn: f.arn,
    region: f.region,
    accountId: f.accountId,
    runtime: f.runtime ?? null,
    handler: f.handler?.slice(0, 512) ?? null,
    sourceHandler: f.sourceHandler?.slice(0, 512) ?? null,
    memorySize: f.memorySize ?? null,
    timeout: f.timeout ?? null,
    codeSize: f.codeSize ?? null,
    logGroup: f.logGroup,
    live: f.live,
    internal: f.internal,
    timeDeployed: f.deployedAt ? new Date(f.deployedAt) : null,
  }));
}

function resourceRows(workspaceId: string, stageId: string, model: StageModel) {
  const seen = new Set<string>();
  const rows = [];
  for (const r of model.resources) {
    const keyHash = sha256(r.key);
    if (seen.has(keyHash)) continue;
    seen.add(keyHash);
    rows.push({
      workspaceId,
      id: createId(),
      stageId,
      keyHash,
      key: r.key,
      type: r.type.slice(0, 255),
      name: r.name.slice(0, 255),
      parentKey: r.parent ?? null,
      outputs: r.outputs,
    });
  }
  return rows;
}

const CHUNK = 500;

/** The id of app `name`, created when it is new (one read when it exists). */
async function appId(tx: Tx, workspaceId: string, name: string): Promise<string> {
  const find = async () =>
    (await tx.select({ id: appTable.id }).from(appTable).where(and(eq(appTable.workspaceId, workspaceId), eq(appTable.name, name))))[0]?.id;
  const found = await find();
  if (found) return found;
  await tx.insert(appTable).values({ workspaceId, id: createId(), name }).onDuplicateKeyUpdate({ set: { name: sql`${appTable.name}` } });
  return (await find())!;
}

async function replaceChildren(tx: Tx, workspaceId: string, stageId: string, model: StageModel) {
  const fns = functionRows(workspaceId, stageId, model);
  const res = resourceRows(workspaceId, stageId, model);
  for (let i = 0; i < fns.length; i += CHUNK) {
    await tx
      .insert(functionTable)
      .values(fns.slice(i, i + CHUNK))
      .onDuplicateKeyUpdate({
        set: {
          component: sql`values(${functionTable.component})`,
          name: sql`values(${functionTable.name})`,
          arn: sql`values(${functionTable.arn})`,
          region: sql`values(${functionTable.region})`,
          accountId: sql`values(${functionTable.accountId})`,
          runtime: sql`values(${functionTable.runtime})`,
          handler: sql`values(${functionTable.handler})`,
          sourceHandler: sql`values(${functionTable.sourceHandler})`,
          memorySize: sql`values(${functionTable.memorySize})`,
          timeout: sql`values(${functionTable.timeout})`,
          codeSize: sql`values(${functionTable.codeSize})`,
          logGroup: sql`values(${functionTable.logGroup})`,
          live: sql`values(${functionTable.live})`,
          internal: sql`values(${functionTable.internal})`,
          timeDeployed: sql`values(${functionTable.timeDeployed})`,
        },
      });
  }
  await tx
    .delete(functionTable)
    .where(
      and(
        eq(functionTable.workspaceId, workspaceId),
        eq(functionTable.stageId, stageId),
        fns.length ? notInArray(functionTable.keyHash, fns.map((f) => f.keyHash)) : undefined,
      ),
    );
  for (let i = 0; i < res.length; i += CHUNK) {
    await tx
      .insert(resourceTable)
      .values(res.slice(i, i + CHUNK))
      .onDuplicateKeyUpdate({
        set: {
          type: sql`values(${resourceTable.type})`,
          name: sql`values(${resourceTable.name})`,
          parentKey: sql`values(${resourceTable.parentKey})`,
          outputs: sql`values(${resourceTable.outputs})`,
        },
      });
  }
  await tx
    .delete(resourceTable)
    .where(
      and(
        eq(resourceTable.workspaceId, workspaceId),
        eq(resourceTable.stageId, stageId),
        res.length ? notInArray(resourceTable.keyHash, res.map((r) => r.keyHash)) : undefined,
      ),
    );
}

export namespace App {
  export const Events = {
    /** A stage was created or its content changed. */
    StageUpdated: defineEvent("stage.updated", z.object({ stageId: z.string(), connectionId: z.string() })),
    /** A stage disappeared from AWS (or its account was disconnected). */
    StageRemoved: defineEvent("stage.removed", z.object({ stageId: z.string(), connectionId: z.string() })),
  };

  /** Every live stage of the workspace (or the one `stageId`), with its app. */
  export async function stages(stageId?: string): Promise<StageSummary[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({
          id: stageTable.id,
          appId: stageTable.appId,
          app: appTable.name,
          name: stageTable.name,
          connectionId: stageTable.connectionId,
          accountId: awsAccountTable.accountId,
          region: stageTable.region,
          version: stageTable.version,
          personal: stageTable.personal,
          functionCount: stageTable.functionCount,
          resourceCount: stageTable.resourceCount,
          timeDeployed: stageTable.timeDeployed,
          timeUpdated: stageTable.timeUpdated,
        })
        .from(stageTable)
        .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .innerJoin(
          awsAccountTable,
          and(eq(awsAccountTable.workspaceId, stageTable.workspaceId), eq(awsAccountTable.id, stageTable.connectionId)),
        )
        .where(and(eq(stageTable.workspaceId, workspaceId), isNull(stageTable.timeDeleted), stageId ? eq(stageTable.id, stageId) : undefined))
        .orderBy(asc(appTable.name), asc(stageTable.name), asc(stageTable.region)),
    );
  }

  export async function stage(stageId: string): Promise<StageSummary> {
    const [found] = await stages(stageId);
    if (!found) throw new NotFoundError("Stage");
    return found;
  }

  export async function functions(stageId: string): Promise<FunctionInfo[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({
          id: functionTable.id,
          stageId: functionTable.stageId,
          component: functionTable.component,
          name: functionTable.name,
          arn: functionTable.arn,
          region: functionTable.region,
          accountId: functionTable.accountId,
          runtime: functionTable.runtime,
          handler: functionTable.handler,
          sourceHandler: functionTable.sourceHandler,
          memorySize: functionTable.memorySize,
          timeout: functionTable.timeout,
          codeSize: functionTable.codeSize,
          logGroup: functionTable.logGroup,
          live: functionTable.live,
          internal: functionTable.internal,
          timeDeployed: functionTable.timeDeployed,
        })
        .from(functionTable)
        .where(and(eq(functionTable.workspaceId, workspaceId), eq(functionTable.stageId, stageId)))
        .orderBy(asc(functionTable.component), asc(functionTable.name)),
    );
  }

  /** Every function of the workspace's live stages, by name only (the command bar's search), at most 5000. */
  export async function functionNames(): Promise<{ id: string; stageId: string; component: string; name: string }[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({ id: functionTable.id, stageId: functionTable.stageId, component: functionTable.component, name: functionTable.name })
        .from(functionTable)
        .innerJoin(stageTable, and(eq(stageTable.workspaceId, functionTable.workspaceId), eq(stageTable.id, functionTable.stageId)))
        .where(and(eq(functionTable.workspaceId, workspaceId), isNull(stageTable.timeDeleted), eq(functionTable.internal, false)))
        .orderBy(asc(functionTable.component), asc(functionTable.name))
        .limit(5000),
    );
  }

  export async function resources(stageId: string) {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({
          id: resourceTable.id,
          key: resourceTable.key,
          type: resourceTable.type,
          name: resourceTable.name,
          parentKey: resourceTable.parentKey,
          outputs: resourceTable.outputs,
        })
        .from(resourceTable)
        .where(and(eq(resourceTable.workspaceId, workspaceId), eq(resourceTable.stageId, stageId)))
        .orderBy(asc(resourceTable.type), asc(resourceTable.name)),
    );
  }

  /** Stages stored for one connection and region (including removed ones), for a scan to compare with. */
  export async function storedStages(connectionId: string, region?: string): Promise<StoredStage[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({
          id: stageTable.id,
          app: appTable.name,
          name: stageTable.name,
          region: stageTable.region,
          contentHash: stageTable.contentHash,
          sourceTag: stageTable.sourceTag,
          timeDeleted: stageTable.timeDeleted,
        })
        .from(stageTable)
        .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .where(
          and(
            eq(stageTable.workspaceId, workspaceId),
            eq(stageTable.connectionId, connectionId),
            region ? eq(stageTable.region, region) : undefined,
          ),
        ),
    );
  }

  /**
   * Stores a parsed stage. Writes nothing when the stored stage already has this
   * content hash; otherwise upserts the stage, its functions and resources (a few
   * statements, not one per resource) and publishes `stage.updated`.
   */
  export async function applyStage(input: {
    connectionId: string;
    region: string;
    model: StageModel;
    hash: string;
    sourceTag: string;
    stored?: StoredStage;
  }): Promise<"created" | "updated" | "unchanged"> {
    const workspaceId = Actor.workspaceId();
    const { model, stored } = input;
    if (stored && !stored.timeDeleted && stored.contentHash === input.hash) {
      if (stored.sourceTag !== input.sourceTag) {
        await Database.use((db) =>
          db
            .update(stageTable)
            .set({ sourceTag: input.sourceTag })
            .where(and(eq(stageTable.workspaceId, workspaceId), eq(stageTable.id, stored.id))),
        );
      }
      return "unchanged";
    }
    return Database.transaction(async (tx) => {
      const app = { id: await appId(tx, workspaceId, model.app) };
      const values = {
        version: model.sst,
        personal: model.personal,
        contentHash: input.hash,
        sourceTag: input.sourceTag,
        functionCount: model.functions.length,
        resourceCount: model.resources.length,
        timeDeployed: model.deployedAt ? new Date(model.deployedAt) : null,
        timeDeleted: null,
      };
      await tx
        .insert(stageTable)
        .values({ workspaceId, id: createId(), appId: app.id, connectionId: input.connectionId, region: input.region, name: model.stage, ...values })
        .onDuplicateKeyUpdate({ set: values });
      const [stage] = await tx
        .select({ id: stageTable.id })
        .from(stageTable)
        .where(
          and(
            eq(stageTable.workspaceId, workspaceId),
            eq(stageTable.appId, app.id),
            eq(stageTable.connectionId, input.connectionId),
            eq(stageTable.region, input.region),
            eq(stageTable.name, model.stage),
          ),
        );
      await replaceChildren(tx, workspaceId, stage!.id, model);
      await Bus.publish(Events.StageUpdated, { stageId: stage!.id, connectionId: input.connectionId });
      return stored && !stored.timeDeleted ? "updated" : "created";
    });
  }

  /**
   * Records that the state object of `app`/`stage` says the stage is removed: a live
   * stage is removed, and the object's tag is kept so later scans skip it unfetched.
   */
  export async function tombstone(input: { connectionId: string; region: string; app: string; stage: string; sourceTag: string; stored?: StoredStage }) {
    const workspaceId = Actor.workspaceId();
    const { stored } = input;
    if (stored && stored.timeDeleted && stored.sourceTag === input.sourceTag) return;
    if (stored && !stored.timeDeleted) await removeStages(input.connectionId, [stored.id]);
    await Database.transaction(async (tx) => {
      const app = { id: await appId(tx, workspaceId, input.app) };
      await tx
        .insert(stageTable)
        .values({
          workspaceId,
          id: createId(),
          appId: app.id,
          connectionId: input.connectionId,
          region: input.region,
          name: input.stage,
          version: "v3",
          contentHash: "",
          sourceTag: input.sourceTag,
          timeDeleted: new Date(),
        })
        .onDuplicateKeyUpdate({ set: { sourceTag: input.sourceTag } });
    });
  }

  /** Marks stages removed (they disappeared from AWS) and drops their functions and resources. */
  export async function removeStages(connectionId: string, stageIds: string[]) {
    if (!stageIds.length) return;
    const workspaceId = Actor.workspaceId();
    await Database.transaction(async (tx) => {
      await tx
        .update(stageTable)
        .set({ timeDeleted: new Date(), contentHash: "", sourceTag: "", functionCount: 0, resourceCount: 0 })
        .where(and(eq(stageTable.workspaceId, workspaceId), inArray(stageTable.id, stageIds)));
      await tx.delete(functionTable).where(and(eq(functionTable.workspaceId, workspaceId), inArray(functionTable.stageId, stageIds)));
      await tx.delete(resourceTable).where(and(eq(resourceTable.workspaceId, workspaceId), inArray(resourceTable.stageId, stageIds)));
      for (const stageId of stageIds) await Bus.publish(Events.StageRemoved, { stageId, connectionId });
    });
  }

  /** Removes every stage of a connection (disconnect), keeping nothing visible. */
  export async function removeAccount(connectionId: string) {
    const stored = await storedStages(connectionId);
    await removeStages(
      connectionId,
      stored.filter((s) => !s.timeDeleted).map((s) => s.id),
    );
  }
}
