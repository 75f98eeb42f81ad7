/**
 * An app's autodeploy targets, as stored settings: branch rules, pull request stages, and
 * environment variables per stage. Secrets are sealed at rest (util/crypto.ts, purpose
 * `autodeploy-env`); a response carries `value: null` for them, and only a build of the
 * stage they are for gets them decrypted (`environmentFor`).
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { awsAccountTable } from "../account/account.sql";
import { Audit } from "../audit";
import { Database } from "../db";
import { createId } from "../id";
import { VisibleError } from "../error";
import { decrypt, encrypt } from "../util/crypto";
import { parse } from "../util/fn";
import { autodeployEnvTable, autodeployTargetsTable } from "./autodeploy.sql";
import { resolveApp } from "./common";
import { matchGlob, MAX_STAGE, type TargetConfig } from "./targets";

const SEAL = "autodeploy-env";

export interface EnvironmentVariable {
  stage: string;
  name: string;
  secret: boolean;
  /** Null for a secret in a response. */
  value: string | null;
}

export interface Targets {
  branches: TargetConfig["branches"];
  pullRequests: TargetConfig["pullRequests"];
  environment: EnvironmentVariable[];
}

export const EMPTY_TARGETS: Targets = { branches: [], pullRequests: null, environment: [] };

const connectionId = z.string().length(26);
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region such as us-east-1");
const glob = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9._\-/*?]+$/, "may use letters, digits, . _ - / and the wildcards * ** ?");

export const targetsSchema = z
  .object({
    branches: z
      .array(
        z.object({
          branch: glob,
          stage: z
            .string()
            .min(1)
            .max(MAX_STAGE)
            .regex(/^([A-Za-z0-9-]|\{branch\})+$/, "may use letters, digits, - and {branch}"),
          connectionId,
          region,
        }),
      )
      .max(50),
    pullRequests: z.object({ connectionId, region }).nullable(),
    environment: z
      .array(
        z.object({
          stage: z
            .string()
            .min(1)
            .max(255)
            .regex(/^[A-Za-z0-9\-*?]+$/, "is a stage name or a glob (* for every stage)"),
          name: z
            .string()
            .min(1)
            .max(128)
            .regex(/^[A-Z_][A-Z0-9_]*$/, "must be upper case letters, digits and _ (not starting with a digit)"),
          secret: z.boolean(),
          value: z.string().max(16_384).nullable(),
        }),
      )
      .max(200),
  })
  .strict();

/** The stored targets (`Targets`, secrets without their values); the empty default when none are stored. */
export async function getTargets(appKey: string): Promise<Targets> {
  const app = await resolveApp(appKey);
  return readTargets(app.id);
}

async function readTargets(appId: string): Promise<Targets> {
  const workspaceId = Actor.workspaceId();
  const [row] = await Database.use((db) =>
    db.select().from(autodeployTargetsTable).where(and(eq(autodeployTargetsTable.workspaceId, workspaceId), eq(autodeployTargetsTable.appId, appId))),
  );
  const env = await Database.use((db) =>
    db
      .select()
      .from(autodeployEnvTable)
      .where(and(eq(autodeployEnvTable.workspaceId, workspaceId), eq(autodeployEnvTable.appId, appId)))
      .orderBy(asc(autodeployEnvTable.position)),
  );
  return {
    branches: row?.branches ?? [],
    pullRequests: row?.pullRequests ?? null,
    environment: env.map((e) => ({ stage: e.stage, name: e.name, secret: e.secret, value: e.secret ? null : (e.value ?? "") })),
  };
}

/** The rules `decide` takes (system: the webhook). */
export async function targetConfig(appId: string): Promise<TargetConfig> {
  const t = await readTargets(appId);
  return { branches: t.branches, pullRequests: t.pullRequests };
}

/**
 * Replaces an app's targets (admin). A secret sent with `value: null` keeps its stored
 * value (it must exist); every account named must be one of the workspace's connections.
 */
export async function putTargets(appKey: string, input: unknown): Promise<Targets> {
  Actor.assertRole("admin");
  const targets = parse(targetsSchema, input);
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const seen = new Set<string>();
  for (const [i, e] of targets.environment.entries()) {
    const key = `${e.stage}\u0000${e.name}`;
    if (seen.has(key)) throw new VisibleError("validation", `environment.${i}.name: ${e.name} is set twice for stage ${e.stage}`, [{ path: `environment.${i}.name`, message: "is set twice for this stage" }]);
    seen.add(key);
  }
  const named = [
    ...targets.branches.map((b, i) => ({ path: `branches.${i}.connectionId`, id: b.connectionId })),
    ...(targets.pullRequests ? [{ path: "pullRequests.connectionId", id: targets.pullRequests.connectionId }] : []),
  ];
  if (named.length) {
    const known = await Database.use((db) =>
      db.select({ id: awsAccountTable.id }).from(awsAccountTable).where(eq(awsAccountTable.workspaceId, workspaceId)),
    );
    const ids = new Set(known.map((k) => k.id));
    const unknown = named.filter((n) => !ids.has(n.id));
    if (unknown.length) {
      const message = "is not an AWS account of this workspace";
      throw new VisibleError("validation", `${unknown[0]!.path}: ${message}`, unknown.map((u) => ({ path: u.path, message })));
    }
  }
  await Database.transaction(async (tx) => {
    const stored = await tx
      .select()
      .from(autodeployEnvTable)
      .where(and(eq(autodeployEnvTable.workspaceId, workspaceId), eq(autodeployEnvTable.appId, app.id)))
      .for("update");
    const before = new Map(stored.map((s) => [`${s.stage}\u0000${s.name}`, s]));
    const rows = targets.environment.map((e, position) => {
      const old = before.get(`${e.stage}\u0000${e.name}`);
      if (e.secret) {
        if (e.value === null && !(old?.secret && old.valueSealed)) {
          throw new VisibleError("validation", `environment.${position}.value: the secret ${e.name} has no value yet`, [{ path: `environment.${position}.value`, message: "a new secret needs a value" }]);
        }
        const valueSealed = e.value === null ? old!.valueSealed! : encrypt(e.value, SEAL);
        return { workspaceId, id: createId(), appId: app.id, position, stage: e.stage, name: e.name, secret: true, value: null, valueSealed };
      }
      if (e.value === null) throw new VisibleError("validation", `environment.${position}.value: ${e.name} needs a value`, [{ path: `environment.${position}.value`, message: "needs a value" }]);
      return { workspaceId, id: createId(), appId: app.id, position, stage: e.stage, name: e.name, secret: false, value: e.value, valueSealed: null };
    });
    await tx.delete(autodeployEnvTable).where(and(eq(autodeployEnvTable.workspaceId, workspaceId), eq(autodeployEnvTable.appId, app.id)));
    if (rows.length) await tx.insert(autodeployEnvTable).values(rows);
    await tx
      .insert(autodeployTargetsTable)
      .values({ workspaceId, appId: app.id, branches: targets.branches, pullRequests: targets.pullRequests })
      .onDuplicateKeyUpdate({ set: { branches: targets.branches, pullRequests: targets.pullRequests } });
    // The audit names what changed, never a value.
    await Audit.record(
      "autodeploy.targets.update",
      { type: "app", id: app.id, label: app.name },
      { branches: targets.branches.length, pullRequests: !!targets.pullRequests, environment: targets.environment.map((e) => `${e.stage}:${e.name}${e.secret ? " (secret)" : ""}`) },
    );
  });
  return readTargets(app.id);
}

/**
 * The environment of one stage's build, secrets decrypted (system: a run starting). Rows
 * whose stage is a glob apply first, in their order; rows naming the stage exactly win.
 */
export async function environmentFor(appId: string, stage: string): Promise<Record<string, string>> {
  const workspaceId = Actor.workspaceId();
  const rows = await Database.use((db) =>
    db
      .select()
      .from(autodeployEnvTable)
      .where(and(eq(autodeployEnvTable.workspaceId, workspaceId), eq(autodeployEnvTable.appId, appId)))
      .orderBy(asc(autodeployEnvTable.position)),
  );
  // Only the rows that apply are decrypted.
  return resolveEnvironment(rows, stage, (r) => (r.secret ? decrypt(r.valueSealed ?? "", SEAL) : (r.value ?? "")));
}

/** The variables of `stage` from rows in their order: glob rows first, rows naming the stage exactly win. */
export function resolveEnvironment<R extends { stage: string; name: string }>(rows: R[], stage: string, value: (row: R) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.stage !== stage && matchGlob(r.stage, stage)) out[r.name] = value(r);
  for (const r of rows) if (r.stage === stage) out[r.name] = value(r);
  return out;
}
