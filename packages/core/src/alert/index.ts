/**
 * Alerts: destinations (Slack, email, Standard Webhooks), rules that route events to
 * them by event, app and stage, and deliveries.
 *
 * Delivery is idempotent per (event id, destination): the row is inserted before
 * anything is sent, so a replayed event finds it and sends nothing. A row carries a
 * lease (`timeNextAttempt`): the process that inserted it sends at once; if it dies,
 * or the send fails, `retryDue` (a cron) picks the row up when its lease runs out.
 * At most one alert per issue per 30 minutes (the throttle row records which event
 * won the window); ignored issues never alert. A failing destination carries a warning
 * (code, message, time) until a delivery to it succeeds.
 */
import { and, asc, desc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { appTable, stageTable } from "../app/app.sql";
import { Audit } from "../audit";
import { Database, type Tx } from "../db";
import { Email } from "../email";
import { env } from "../env";
import { NotFoundError, VisibleError } from "../error";
import type { EventEnvelope } from "../event";
import { createId } from "../id";
import { deployTable } from "../deploy/deploy.sql";
import { issueTable } from "../issue/issue.sql";
import { memberTable } from "../member/member.sql";
import { userTable } from "../user/user.sql";
import { decrypt, encrypt } from "../util/crypto";
import { fn } from "../util/fn";
import { log } from "../util/log";
import { workspaceTable } from "../workspace/workspace.sql";
import {
  alertDeliveryTable,
  alertDestinationTable,
  alertEvents,
  alertRuleTable,
  alertThrottleTable,
  type AlertEvent,
  type DestinationConfig,
  type DestinationType,
} from "./alert.sql";
import { emailMessage, slackMessage, type AlertBody, type AlertExtra, type StoredPayload } from "./message";
import { checkUrl } from "./net";
import * as Slack from "./slack";
import { newSecret, sendWebhook } from "./webhook";

export * from "./alert.sql";
export { Slack };
export { webhookPolicy } from "./webhook";
export { setLookup, isPrivateAddress, privateUrlsAllowed } from "./net";
export type { AlertBody, StoredPayload } from "./message";
export { slackMessage, emailMessage } from "./message";

/** At most one alert per issue in this window. */
export const THROTTLE_MS = 30 * 60_000;
/** How long the process that claimed a delivery has to send it before the cron may. */
const LEASE_MS = 2 * 60_000;
/** Retries after a failed send (the first send is attempt 1). */
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
const SECRET_PURPOSE = "alert.webhook";

export interface DestinationInfo {
  id: string;
  type: DestinationType;
  name: string;
  url?: string;
  channel?: { id: string; name: string };
  recipients?: { allMembers: boolean; userIds: string[]; addresses: string[] };
  warning: { code: string; message: string; time: Date } | null;
  timeLastSuccess: Date | null;
  timeCreated: Date;
}

export interface RuleInfo {
  id: string;
  name: string;
  events: AlertEvent[];
  apps: string[];
  stages: string[];
  personalStages: boolean;
  destinations: string[];
  enabled: boolean;
  timeCreated: Date;
}

type DestinationRow = typeof alertDestinationTable.$inferSelect;
type DeliveryRow = typeof alertDeliveryTable.$inferSelect;

function toInfo(row: DestinationRow): DestinationInfo {
  const c = row.config;
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    ...(c.type === "webhook" ? { url: c.url } : {}),
    ...(c.type === "slack" ? { channel: { id: c.channelId, name: c.channelName } } : {}),
    ...(c.type === "email" ? { recipients: { allMembers: c.allMembers, userIds: c.userIds, addresses: c.addresses } } : {}),
    warning: row.warningCode ? { code: row.warningCode, message: row.warningMessage ?? "", time: row.timeWarning ?? row.timeUpdated } : null,
    timeLastSuccess: row.timeLastSuccess,
    timeCreated: row.timeCreated,
  };
}

function toRule(row: typeof alertRuleTable.$inferSelect): RuleInfo {
  const { workspaceId: _w, timeUpdated: _u, ...rest } = row;
  return rest;
}

/** A glob of app or stage names: `*` any run of characters, `?` one; case-sensitive. */
export function globMatch(glob: string, value: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(value);
}

export function ruleMatches(rule: Pick<RuleInfo, "events" | "apps" | "stages" | "personalStages" | "enabled">, event: AlertEvent, where?: { app: string; stage: string; personal: boolean }) {
  if (!rule.enabled || !rule.events.includes(event)) return false;
  if (!where) return true; // workspace-wide events (rate limit) have no app or stage
  if (where.personal && !rule.personalStages) return false;
  return rule.apps.some((g) => globMatch(g, where.app)) && rule.stages.some((g) => globMatch(g, where.stage));
}

function publicUrl() {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

// ---------------------------------------------------------------------------------------
// Input schemas

const name = z.string().trim().min(1, "Give it a name").max(255);
const glob = z.string().trim().min(1).max(255);
const emailList = z.array(z.string().trim().toLowerCase().email()).max(50);
const idList = z.array(z.string().min(1).max(64)).max(100);

const createDestinationSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("webhook"), name, url: z.string().trim().min(1).max(2048) }),
  z.object({ type: z.literal("slack"), name: name.optional(), channel: z.string().trim().min(1).max(64) }),
  z.object({
    type: z.literal("email"),
    name,
    allMembers: z.boolean().default(false),
    userIds: idList.default([]),
    addresses: emailList.default([]),
  }),
]);

const updateDestinationSchema = z.object({
  id: z.string().min(1).max(64),
  name: name.optional(),
  url: z.string().trim().min(1).max(2048).optional(),
  channel: z.string().trim().min(1).max(64).optional(),
  allMembers: z.boolean().optional(),
  userIds: idList.optional(),
  addresses: emailList.optional(),
});

const ruleFields = {
  name: z.string().trim().max(255).optional(),
  events: z.array(z.enum(alertEvents)).min(1, "Choose at least one event").max(alertEvents.length),
  apps: z.array(glob).min(1).max(50).default(["*"]),
  stages: z.array(glob).min(1).max(50).default(["*"]),
  personalStages: z.boolean().default(false),
  destinations: idList.min(1, "Choose at least one destination"),
  enabled: z.boolean().default(true),
};
const createRuleSchema = z.object(ruleFields);
const updateRuleSchema = z.object({
  id: z.string().min(1).max(64),
  name: ruleFields.name,
  events: ruleFields.events.optional(),
  apps: z.array(glob).min(1).max(50).optional(),
  stages: z.array(glob).min(1).max(50).optional(),
  personalStages: z.boolean().optional(),
  destinations: idList.min(1).optional(),
  enabled: z.boolean().optional(),
});

const deliveriesSchema = z.object({
  destination: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

// ---------------------------------------------------------------------------------------

async function destinationRow(id: string): Promise<DestinationRow> {
  const workspaceId = Actor.workspaceId();
  const [row] = await Database.use((db) =>
    db.select().from(alertDestinationTable).where(and(eq(alertDestinationTable.workspaceId, workspaceId), eq(alertDestinationTable.id, id))),
  );
  if (!row) throw new NotFoundError("Destination");
  return row;
}

async function slackChannel(channel: string): Promise<{ channelId: string; channelName: string }> {
  const found = (await Slack.channels()).find((c) => c.id === channel || c.name === channel.replace(/^#/, ""));
  if (!found) throw new VisibleError("validation", "channel: no such channel in the connected Slack workspace", [{ path: "channel", message: "no such channel" }]);
  return { channelId: found.id, channelName: found.name };
}

async function assertMembers(userIds: string[]) {
  if (!userIds.length) return;
  const workspaceId = Actor.workspaceId();
  const rows = await Database.use((db) =>
    db.select({ userId: memberTable.userId }).from(memberTable).where(and(eq(memberTable.workspaceId, workspaceId), inArray(memberTable.userId, userIds))),
  );
  const known = new Set(rows.map((r) => r.userId));
  const missing = userIds.filter((u) => !known.has(u));
  if (missing.length) throw new VisibleError("validation", "userIds: not members of this workspace", [{ path: "userIds", message: `not members: ${missing.join(", ")}` }]);
}

async function assertDestinations(ids: string[]) {
  const workspaceId = Actor.workspaceId();
  const rows = await Database.use((db) =>
    db
      .select({ id: alertDestinationTable.id })
      .from(alertDestinationTable)
      .where(and(eq(alertDestinationTable.workspaceId, workspaceId), inArray(alertDestinationTable.id, ids))),
  );
  const known = new Set(rows.map((r) => r.id));
  const missing = ids.filter((d) => !known.has(d));
  if (missing.length) throw new VisibleError("validation", "destinations: unknown destinations", [{ path: "destinations", message: `unknown: ${missing.join(", ")}` }]);
}

export namespace Alert {
  // ----- destinations -------------------------------------------------------------------

  export async function listDestinations(): Promise<DestinationInfo[]> {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db.select().from(alertDestinationTable).where(eq(alertDestinationTable.workspaceId, workspaceId)).orderBy(asc(alertDestinationTable.timeCreated)),
    );
    return rows.map(toInfo);
  }

  export async function getDestination(id: string): Promise<DestinationInfo> {
    return toInfo(await destinationRow(id));
  }

  /** Creates a destination; a webhook's secret is in this answer only (and on rotation). */
  export const createDestination = fn(createDestinationSchema, async (input): Promise<DestinationInfo & { secret?: string }> => {
    Actor.assertRole("admin");
    const workspaceId = Actor.workspaceId();
    const id = createId();
    let config: DestinationConfig;
    let secret: string | undefined;
    let label: string;
    if (input.type === "webhook") {
      const url = await checkUrl(input.url);
      config = { type: "webhook", url: url.toString() };
      secret = newSecret();
      label = input.name;
    } else if (input.type === "slack") {
      const ch = await slackChannel(input.channel);
      config = { type: "slack", ...ch };
      label = input.name ?? `#${ch.channelName}`;
    } else {
      await assertMembers(input.userIds);
      if (!input.allMembers && !input.userIds.length && !input.addresses.length) {
        throw new VisibleError("validation", "Choose all members, some members or some addresses", [{ path: "", message: "no recipients" }]);
      }
      config = { type: "email", allMembers: input.allMembers, userIds: input.userIds, addresses: input.addresses };
      label = input.name;
    }
    await Database.transaction(async (tx) => {
      await tx.insert(alertDestinationTable).values({
        workspaceId,
        id,
        type: input.type,
        name: label,
        config,
        secret: secret ? encrypt(secret, SECRET_PURPOSE) : null,
      });
      await Audit.record("alert.destination.create", { type: "alert_destination", id, label }, { type: input.type });
    });
    const info = await getDestination(id);
    return secret ? { ...info, secret } : info;
  });

  export const updateDestination = fn(updateDestinationSchema, async (input): Promise<DestinationInfo> => {
    Actor.assertRole("admin");
    const row = await destinationRow(input.id);
    let config = row.config;
    if (config.type === "webhook" && input.url !== undefined) config = { ...config, url: (await checkUrl(input.url)).toString() };
    if (config.type === "slack" && input.channel !== undefined) config = { type: "slack", ...(await slackChannel(input.channel)) };
    if (config.type === "email" && (input.allMembers !== undefined || input.userIds || input.addresses)) {
      if (input.userIds) await assertMembers(input.userIds);
      config = {
        ...config,
        allMembers: input.allMembers ?? config.allMembers,
        userIds: input.userIds ?? config.userIds,
        addresses: input.addresses ?? config.addresses,
      };
      if (!config.allMembers && !config.userIds.length && !config.addresses.length) throw new VisibleError("validation", "Choose all members, some members or some addresses", [{ path: "", message: "no recipients" }]);
    }
    await Database.transaction(async (tx) => {
      await tx
        .update(alertDestinationTable)
        .set({ name: input.name ?? row.name, config })
        .where(and(eq(alertDestinationTable.workspaceId, row.workspaceId), eq(alertDestinationTable.id, row.id)));
      await Audit.record("alert.destination.update", { type: "alert_destination", id: row.id, label: input.name ?? row.name });
    });
    return getDestination(row.id);
  });

  /** A new webhook secret (the old one stops working at once); shown in this answer only. */
  export async function rotateSecret(id: string): Promise<DestinationInfo & { secret: string }> {
    Actor.assertRole("admin");
    const row = await destinationRow(id);
    if (row.type !== "webhook") throw new VisibleError("bad_request", "Only webhooks have a signing secret");
    const secret = newSecret();
    await Database.transaction(async (tx) => {
      await tx
        .update(alertDestinationTable)
        .set({ secret: encrypt(secret, SECRET_PURPOSE) })
        .where(and(eq(alertDestinationTable.workspaceId, row.workspaceId), eq(alertDestinationTable.id, row.id)));
      await Audit.record("alert.destination.rotate_secret", { type: "alert_destination", id: row.id, label: row.name });
    });
    return { ...(await getDestination(id)), secret };
  }

  /** Removes a destination and takes it out of every rule (a rule left with none is removed). */
  export async function removeDestination(id: string) {
    Actor.assertRole("admin");
    const row = await destinationRow(id);
    await Database.transaction(async (tx) => {
      await tx.delete(alertDestinationTable).where(and(eq(alertDestinationTable.workspaceId, row.workspaceId), eq(alertDestinationTable.id, id)));
      const rules = await tx.select().from(alertRuleTable).where(eq(alertRuleTable.workspaceId, row.workspaceId)).for("update");
      for (const r of rules) {
        if (!r.destinations.includes(id)) continue;
        const rest = r.destinations.filter((d) => d !== id);
        const where = and(eq(alertRuleTable.workspaceId, row.workspaceId), eq(alertRuleTable.id, r.id));
        if (rest.length) await tx.update(alertRuleTable).set({ destinations: rest }).where(where);
        else await tx.delete(alertRuleTable).where(where);
      }
      await Audit.record("alert.destination.delete", { type: "alert_destination", id, label: row.name });
    });
  }

  /** Sends a test alert to one destination now; the outcome also updates its warning. */
  export async function test(id: string) {
    Actor.assertRole("admin");
    const row = await destinationRow(id);
    const workspace = Actor.workspace();
    const payload: StoredPayload = {
      body: { type: "test", timestamp: new Date().toISOString(), data: { workspace: { id: workspace.id, slug: await slugOf(workspace.id) }, test: true } },
      extra: { settingsUrl: `${publicUrl()}/${await slugOf(workspace.id)}/settings/alerts` },
    };
    const delivery = await insertDelivery(row.workspaceId, `test_${createId()}`, row.id, "test", null, payload, new Date());
    const result = await attempt(delivery!, row, new Date(), { retry: false });
    return { ok: result.ok, error: result.ok ? null : { code: result.code, message: result.message }, delivery: toDelivery(await deliveryRow(delivery!.id)) };
  }

  // ----- rules --------------------------------------------------------------------------

  export async function listRules(): Promise<RuleInfo[]> {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) => db.select().from(alertRuleTable).where(eq(alertRuleTable.workspaceId, workspaceId)).orderBy(asc(alertRuleTable.timeCreated)));
    return rows.map(toRule);
  }

  export async function getRule(id: string): Promise<RuleInfo> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) => db.select().from(alertRuleTable).where(and(eq(alertRuleTable.workspaceId, workspaceId), eq(alertRuleTable.id, id))));
    if (!row) throw new NotFoundError("Rule");
    return toRule(row);
  }

  export const createRule = fn(createRuleSchema, async (input): Promise<RuleInfo> => {
    Actor.assertRole("admin");
    const workspaceId = Actor.workspaceId();
    const destinations = [...new Set(input.destinations)];
    await assertDestinations(destinations);
    const id = createId();
    const ruleName = input.name || input.events.join(", ");
    await Database.transaction(async (tx) => {
      await tx.insert(alertRuleTable).values({ workspaceId, id, ...input, name: ruleName, destinations });
      await Audit.record("alert.rule.create", { type: "alert_rule", id, label: ruleName });
    });
    return getRule(id);
  });

  export const updateRule = fn(updateRuleSchema, async (input): Promise<RuleInfo> => {
    Actor.assertRole("admin");
    const current = await getRule(input.id);
    const { id, ...changes } = input;
    if (changes.destinations) {
      changes.destinations = [...new Set(changes.destinations)];
      await assertDestinations(changes.destinations);
    }
    const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    await Database.transaction(async (tx) => {
      if (Object.keys(set).length) await tx.update(alertRuleTable).set(set).where(and(eq(alertRuleTable.workspaceId, Actor.workspaceId()), eq(alertRuleTable.id, id)));
      await Audit.record("alert.rule.update", { type: "alert_rule", id, label: changes.name ?? current.name });
    });
    return getRule(id);
  });

  export async function removeRule(id: string) {
    Actor.assertRole("admin");
    const current = await getRule(id);
    await Database.transaction(async (tx) => {
      await tx.delete(alertRuleTable).where(and(eq(alertRuleTable.workspaceId, Actor.workspaceId()), eq(alertRuleTable.id, id)));
      await Audit.record("alert.rule.delete", { type: "alert_rule", id, label: current.name });
    });
  }

  /**
   * What a new workspace starts with (inside its creating transaction): email to all
   * members for new issues and regressions in non-personal stages.
   */
  export async function createDefaults(tx: Tx, workspaceId: string) {
    const destinationId = createId();
    await tx.insert(alertDestinationTable).values({
      workspaceId,
      id: destinationId,
      type: "email",
      name: "All members",
      config: { type: "email", allMembers: true, userIds: [], addresses: [] },
    });
    await tx.insert(alertRuleTable).values({
      workspaceId,
      id: createId(),
      name: "New issues and regressions",
      events: ["issue.new", "issue.regression"],
      apps: ["*"],
      stages: ["*"],
      personalStages: false,
      destinations: [destinationId],
    });
  }

  // ----- deliveries ---------------------------------------------------------------------

  export const deliveries = fn(deliveriesSchema, async (input) => {
    const workspaceId = Actor.workspaceId();
    const rows = await Database.use((db) =>
      db
        .select()
        .from(alertDeliveryTable)
        .where(and(eq(alertDeliveryTable.workspaceId, workspaceId), input.destination ? eq(alertDeliveryTable.destinationId, input.destination) : undefined))
        .orderBy(desc(alertDeliveryTable.timeCreated), desc(alertDeliveryTable.id))
        .limit(input.limit),
    );
    return rows.map(toDelivery);
  });

  /**
   * `issue.detected` (as the system, in the event's workspace): route the issue through
   * the rules and deliver. Returns how many deliveries this call sent or queued.
   */
  export async function onIssueDetected(event: EventEnvelope<{ issueId: string; stageId: string; reason: "new" | "regression" }>, now = new Date()): Promise<number> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select({ issue: issueTable, stage: { name: stageTable.name, personal: stageTable.personal }, app: { name: appTable.name } })
        .from(issueTable)
        .innerJoin(stageTable, and(eq(stageTable.workspaceId, issueTable.workspaceId), eq(stageTable.id, issueTable.stageId)))
        .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .where(and(eq(issueTable.workspaceId, workspaceId), eq(issueTable.id, event.properties.issueId))),
    );
    if (!row) return 0;
    if (row.issue.status === "ignored") return 0; // ignored issues never alert
    const type: AlertEvent = event.properties.reason === "new" ? "issue.new" : "issue.regression";
    const destinations = await route(type, { app: row.app.name, stage: row.stage.name, personal: row.stage.personal });
    if (!destinations.length) return 0;
    if (!(await claimThrottle(workspaceId, `issue:${row.issue.id}`, event.id, now))) return 0;
    const slug = await slugOf(workspaceId);
    const frame = row.issue.error.frames.find((f) => f.inApp && f.context) ?? row.issue.error.frames.find((f) => f.context);
    const payload: StoredPayload = {
      body: {
        type,
        timestamp: now.toISOString(),
        data: {
          workspace: { id: workspaceId, slug },
          issue: {
            id: row.issue.id,
            type: row.issue.type,
            message: row.issue.message,
            url: `${publicUrl()}/${slug}/issues/${row.issue.id}`,
            app: row.app.name,
            stage: row.stage.name,
            functionName: row.issue.functionName,
            count: row.issue.count,
            timeFirstSeen: row.issue.timeFirstSeen.toISOString(),
            timeLastSeen: row.issue.timeLastSeen.toISOString(),
          },
        },
      },
      extra: frame?.context ? { source: { file: frame.file, line: frame.line, text: frame.context.line.trim().slice(0, 500) } } : {},
    };
    return deliverAll(event.id, type, row.issue.id, payload, destinations, now);
  }

  /** `issue.rate_limited`: one alert per crossing (and at most one per 30 minutes). */
  export async function onRateLimited(event: EventEnvelope<{ hour: string; limit: number }>, now = new Date()): Promise<number> {
    const workspaceId = Actor.workspaceId();
    const destinations = await route("issue.rate_limited");
    if (!destinations.length) return 0;
    if (!(await claimThrottle(workspaceId, "rate_limited", event.id, now))) return 0;
    const slug = await slugOf(workspaceId);
    const resumes = new Date(Date.parse(event.properties.hour) + 3_600_000).toISOString();
    const payload: StoredPayload = {
      body: {
        type: "issue.rate_limited",
        timestamp: now.toISOString(),
        data: { workspace: { id: workspaceId, slug }, rateLimit: { hour: event.properties.hour, limit: event.properties.limit, resumes } },
      },
      extra: { settingsUrl: `${publicUrl()}/${slug}/issues` },
    };
    return deliverAll(event.id, "issue.rate_limited", null, payload, destinations, now);
  }

  /** `subscription.warning`: the workspace must subscribe or pay (at most one alert per 30 minutes). */
  export async function onSubscriptionWarning(
    event: EventEnvelope<{ reason: "over_free_tier" | "past_due"; status: string | null; invocations: string }>,
    now = new Date(),
  ): Promise<number> {
    const workspaceId = Actor.workspaceId();
    const destinations = await route("subscription.warning");
    if (!destinations.length) return 0;
    if (!(await claimThrottle(workspaceId, "subscription", event.id, now))) return 0;
    const slug = await slugOf(workspaceId);
    const payload: StoredPayload = {
      body: {
        type: "subscription.warning",
        timestamp: now.toISOString(),
        data: { workspace: { id: workspaceId, slug }, subscription: event.properties },
      },
      extra: { settingsUrl: `${publicUrl()}/${slug}/settings/usage` },
    };
    return deliverAll(event.id, "subscription.warning", null, payload, destinations, now);
  }

  /** `deploy.failed`: a stage's deploy failed; routed by app and stage like issues. */
  export async function onDeployFailed(event: EventEnvelope<{ deployId: string; stageId: string }>, now = new Date()): Promise<number> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select({ deploy: deployTable, stage: { name: stageTable.name, personal: stageTable.personal }, app: { name: appTable.name } })
        .from(deployTable)
        .innerJoin(stageTable, and(eq(stageTable.workspaceId, deployTable.workspaceId), eq(stageTable.id, deployTable.stageId)))
        .innerJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .where(and(eq(deployTable.workspaceId, workspaceId), eq(deployTable.id, event.properties.deployId), eq(deployTable.stageId, event.properties.stageId))),
    );
    if (!row || row.deploy.status !== "failed") return 0;
    const destinations = await route("deploy.failed", { app: row.app.name, stage: row.stage.name, personal: row.stage.personal });
    if (!destinations.length) return 0;
    const slug = await slugOf(workspaceId);
    const d = row.deploy;
    const errors = [
      ...d.changes.filter((c) => c.error).map((c) => ({ resource: c.name, message: c.error! })),
      ...d.errors.map((e) => ({ resource: e.urn ? (e.urn.split("::").pop() ?? null) : null, message: e.message })),
    ];
    const payload: StoredPayload = {
      body: {
        type: "deploy.failed",
        timestamp: now.toISOString(),
        data: {
          workspace: { id: workspaceId, slug },
          deploy: {
            id: d.id,
            updateId: d.updateId,
            url: `${publicUrl()}/${slug}/app/${encodeURIComponent(row.app.name)}/${encodeURIComponent(row.stage.name)}/deploys?id=${d.stageId}&deploy=${d.id}`,
            app: row.app.name,
            stage: row.stage.name,
            command: d.command,
            source: d.source,
            timeStarted: d.timeStarted?.toISOString() ?? null,
            timeCompleted: d.timeCompleted?.toISOString() ?? null,
            errors: errors.slice(0, 5).map((e) => ({ resource: e.resource, message: e.message.slice(0, 1000) })),
            errorCount: errors.length,
          },
        },
      },
      extra: {},
    };
    return deliverAll(event.id, "deploy.failed", null, payload, destinations, now);
  }

  /** Cron (system, every workspace): sends deliveries whose lease ran out (failed sends, crashed senders). */
  export async function retryDue(now = new Date(), limit = 100): Promise<{ tried: number; sent: number }> {
    const due = await Database.use((db) =>
      db
        .select()
        .from(alertDeliveryTable)
        .where(and(inArray(alertDeliveryTable.status, ["pending", "retrying"]), lte(alertDeliveryTable.timeNextAttempt, now)))
        .orderBy(asc(alertDeliveryTable.timeNextAttempt))
        .limit(limit),
    );
    let sent = 0;
    let tried = 0;
    for (const d of due) {
      const ok = await Actor.system("alert-retry", { id: d.workspaceId, slug: "" }, async () => {
        // Take the lease: only one retrier sends it.
        const claimed = await Database.use((db) =>
          db
            .update(alertDeliveryTable)
            .set({ timeNextAttempt: new Date(now.getTime() + LEASE_MS) })
            .where(and(eq(alertDeliveryTable.workspaceId, d.workspaceId), eq(alertDeliveryTable.id, d.id), eq(alertDeliveryTable.timeNextAttempt, d.timeNextAttempt!))),
        );
        if (!Database.affected(claimed)) return false;
        tried++;
        const [dest] = await Database.use((db) =>
          db.select().from(alertDestinationTable).where(and(eq(alertDestinationTable.workspaceId, d.workspaceId), eq(alertDestinationTable.id, d.destinationId))),
        );
        if (!dest) {
          await finish(d, { ok: false, code: "destination_removed", message: "The destination was removed", final: true }, now);
          return false;
        }
        return (await attempt(d, dest, now, { retry: true })).ok;
      });
      if (ok) sent++;
    }
    return { tried, sent };
  }

  /** Housekeeping: deliveries and throttle rows older than 30 days, expired Slack states. */
  export async function prune(now = new Date()) {
    const cutoff = new Date(now.getTime() - 30 * 86_400_000);
    await Database.use((db) => db.delete(alertDeliveryTable).where(lt(alertDeliveryTable.timeCreated, cutoff)));
    await Database.use((db) => db.delete(alertThrottleTable).where(lt(alertThrottleTable.timeLast, new Date(now.getTime() - THROTTLE_MS))));
    await Slack.pruneStates(now);
  }
}

// ---------------------------------------------------------------------------------------
// Delivery internals

function toDelivery(d: DeliveryRow) {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.event,
    destinationId: d.destinationId,
    issueId: d.issueId,
    status: d.status,
    attempts: d.attempts,
    error: d.error,
    timeCreated: d.timeCreated,
    timeSent: d.timeSent,
    timeNextAttempt: d.status === "retrying" ? d.timeNextAttempt : null,
  };
}

async function deliveryRow(id: string): Promise<DeliveryRow> {
  const [row] = await Database.use((db) =>
    db.select().from(alertDeliveryTable).where(and(eq(alertDeliveryTable.workspaceId, Actor.workspaceId()), eq(alertDeliveryTable.id, id))),
  );
  if (!row) throw new NotFoundError("Delivery");
  return row;
}

async function slugOf(workspaceId: string): Promise<string> {
  const [ws] = await Database.use((db) => db.select({ slug: workspaceTable.slug }).from(workspaceTable).where(eq(workspaceTable.id, workspaceId)));
  return ws?.slug ?? "";
}

/** Destinations (rows) that the workspace's rules send `event` to. */
async function route(event: AlertEvent, where?: { app: string; stage: string; personal: boolean }): Promise<DestinationRow[]> {
  const workspaceId = Actor.workspaceId();
  const rules = await Database.use((db) => db.select().from(alertRuleTable).where(eq(alertRuleTable.workspaceId, workspaceId)));
  const ids = new Set(rules.filter((r) => ruleMatches(r, event, where)).flatMap((r) => r.destinations));
  if (!ids.size) return [];
  return Database.use((db) =>
    db
      .select()
      .from(alertDestinationTable)
      .where(and(eq(alertDestinationTable.workspaceId, workspaceId), inArray(alertDestinationTable.id, [...ids]))),
  );
}

/**
 * Takes the 30-minute window of `key` for `eventId`: true when this event holds it
 * (it took it now, or took it before: a replay), false when another event did less
 * than 30 minutes ago. One statement, so concurrent events cannot both win.
 */
async function claimThrottle(workspaceId: string, key: string, eventId: string, now: Date): Promise<boolean> {
  const cutoff = new Date(now.getTime() - THROTTLE_MS);
  await Database.use((db) =>
    db.execute(sql`insert into ${alertThrottleTable} (workspace_id, throttle_key, event_id, time_last) values (${workspaceId}, ${key}, ${eventId}, ${now})
      on duplicate key update
        event_id = if(time_last <= ${cutoff}, values(event_id), event_id),
        time_last = if(time_last <= ${cutoff}, values(time_last), time_last)`),
  );
  const [row] = await Database.use((db) =>
    db.select({ eventId: alertThrottleTable.eventId }).from(alertThrottleTable).where(and(eq(alertThrottleTable.workspaceId, workspaceId), eq(alertThrottleTable.key, key))),
  );
  return row?.eventId === eventId;
}

/** Inserts the delivery of (event, destination); undefined when it exists already (a replay). */
async function insertDelivery(workspaceId: string, eventId: string, destinationId: string, event: string, issueId: string | null, payload: StoredPayload, now: Date) {
  const row = {
    workspaceId,
    id: createId(),
    eventId,
    destinationId,
    event,
    issueId,
    payload: payload as unknown as Record<string, unknown>,
    status: "pending" as const,
    attempts: 0,
    timeCreated: now,
    timeUpdated: now,
    timeNextAttempt: new Date(now.getTime() + LEASE_MS),
  };
  try {
    await Database.use((db) => db.insert(alertDeliveryTable).values(row));
  } catch (err) {
    if (Database.isDuplicate(err)) return undefined;
    throw err;
  }
  return { ...row, error: null, timeSent: null } as DeliveryRow;
}

async function deliverAll(eventId: string, event: AlertEvent, issueId: string | null, payload: StoredPayload, destinations: DestinationRow[], now: Date) {
  let count = 0;
  await Promise.all(
    destinations.map(async (dest) => {
      const delivery = await insertDelivery(dest.workspaceId, eventId, dest.id, event, issueId, payload, now);
      if (!delivery) return; // replayed event: already delivered or queued
      count++;
      await attempt(delivery, dest, now, { retry: true });
    }),
  );
  return count;
}

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  /** Retrying cannot help (e.g. the destination is gone). */
  final?: boolean;
}

async function send(delivery: DeliveryRow, dest: DestinationRow): Promise<Outcome> {
  const payload = delivery.payload as unknown as StoredPayload;
  const c = dest.config;
  if (c.type === "webhook") {
    if (!dest.secret) return { ok: false, code: "no_secret", message: "The webhook has no signing secret", final: true };
    const r = await sendWebhook({ url: c.url, secret: decrypt(dest.secret, SECRET_PURPOSE), messageId: delivery.id, body: JSON.stringify(payload.body) });
    return r.ok ? { ok: true } : { ok: false, code: r.code, message: `${r.message} (after ${r.attempts} attempt${r.attempts === 1 ? "" : "s"})` };
  }
  if (c.type === "slack") {
    const token = await Slack.token();
    if (!token) return { ok: false, code: "slack_not_connected", message: "Slack is not connected: connect it again in Settings → Alerts" };
    try {
      await Slack.client(token).chat.postMessage({ channel: c.channelId, ...slackMessage(payload) } as never);
      return { ok: true };
    } catch (err) {
      const code = Slack.slackError(err);
      const hint =
        code === "token_revoked" || code === "invalid_auth" || code === "account_inactive"
          ? "the Slack app was removed or its token revoked: connect Slack again"
          : code === "channel_not_found" || code === "is_archived"
            ? `the channel #${c.channelName} no longer exists or is archived: pick another channel`
            : code === "not_in_channel"
              ? `invite the Console app to #${c.channelName}`
              : "Slack did not accept the message";
      return { ok: false, code, message: `Slack answered ${code}: ${hint}` };
    }
  }
  // Email, one message per recipient (members do not see each other's addresses).
  const recipients = await emailRecipients(dest.workspaceId, c);
  if (!recipients.length) return { ok: false, code: "no_recipients", message: "No one to email: the chosen members left and no address is set" };
  const m = emailMessage(payload);
  const headers = m.threadId ? [{ name: "In-Reply-To", value: m.threadId }, { name: "References", value: m.threadId }] : undefined;
  const failed: string[] = [];
  let last: string | undefined;
  for (const to of recipients) {
    try {
      await Email.send({ to, subject: m.subject, text: m.text, html: m.html, headers });
    } catch (err) {
      failed.push(to);
      last = (err as { name?: string; message?: string }).name === "MessageRejected" ? `rejected: ${(err as Error).message}` : (err as Error).message;
    }
  }
  if (failed.length) return { ok: false, code: "email_rejected", message: `Email to ${failed.join(", ")} failed (${(last ?? "error").slice(0, 300)})` };
  return { ok: true };
}

async function emailRecipients(workspaceId: string, c: Extract<DestinationConfig, { type: "email" }>): Promise<string[]> {
  const members = await Database.use((db) =>
    db
      .select({ userId: memberTable.userId, email: userTable.email })
      .from(memberTable)
      .innerJoin(userTable, eq(userTable.id, memberTable.userId))
      .where(eq(memberTable.workspaceId, workspaceId)),
  );
  const chosen = c.allMembers ? members : members.filter((m) => c.userIds.includes(m.userId));
  return [...new Set([...chosen.map((m) => m.email.toLowerCase()), ...c.addresses])];
}

/** Sends once (a webhook retries within), records the outcome on the delivery and the destination. */
async function attempt(delivery: DeliveryRow, dest: DestinationRow, now: Date, options: { retry: boolean }): Promise<Outcome> {
  let outcome: Outcome;
  try {
    outcome = await send(delivery, dest);
  } catch (err) {
    log.error("alert delivery failed", { destination: dest.id, err });
    outcome = { ok: false, code: "internal", message: "The console could not send it" };
  }
  await finish(delivery, options.retry ? outcome : { ...outcome, final: true }, now);
  return outcome;
}

async function finish(delivery: DeliveryRow, outcome: Outcome, now: Date) {
  const attempts = delivery.attempts + 1;
  const where = and(eq(alertDeliveryTable.workspaceId, delivery.workspaceId), eq(alertDeliveryTable.id, delivery.id));
  const destWhere = and(eq(alertDestinationTable.workspaceId, delivery.workspaceId), eq(alertDestinationTable.id, delivery.destinationId));
  if (outcome.ok) {
    await Database.use((db) => db.update(alertDeliveryTable).set({ status: "sent", attempts, error: null, timeSent: new Date(), timeNextAttempt: null }).where(where));
    await Database.use((db) => db.update(alertDestinationTable).set({ warningCode: null, warningMessage: null, timeWarning: null, timeLastSuccess: new Date() }).where(destWhere));
    return;
  }
  const delay = RETRY_DELAYS_MS[attempts - 1];
  const retrying = !outcome.final && delay !== undefined;
  await Database.use((db) =>
    db
      .update(alertDeliveryTable)
      .set({
        status: retrying ? "retrying" : "failed",
        attempts,
        error: `${outcome.code ?? "error"}: ${outcome.message ?? ""}`.slice(0, 1000),
        timeNextAttempt: retrying ? new Date(now.getTime() + delay) : null,
      })
      .where(where),
  );
  if (outcome.code !== "destination_removed") {
    await Database.use((db) =>
      db
        .update(alertDestinationTable)
        .set({ warningCode: (outcome.code ?? "error").slice(0, 64), warningMessage: (outcome.message ?? "").slice(0, 1000), timeWarning: new Date() })
        .where(destWhere),
    );
  }
}
