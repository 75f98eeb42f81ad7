import { boolean, index, int, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar, char } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";

export const destinationTypes = ["slack", "email", "webhook"] as const;
export type DestinationType = (typeof destinationTypes)[number];

export const alertEvents = ["issue.new", "issue.regression", "issue.rate_limited", "subscription.warning", "deploy.failed"] as const;
export type AlertEvent = (typeof alertEvents)[number];

/** Where a destination sends: a webhook URL, a Slack channel, email recipients. */
export type DestinationConfig =
  | { type: "webhook"; url: string }
  | { type: "slack"; channelId: string; channelName: string }
  | { type: "email"; allMembers: boolean; userIds: string[]; addresses: string[] };

/**
 * A place alerts go. A webhook's signing secret is kept encrypted (it must be read
 * back to sign). A failing destination carries a warning until a delivery succeeds.
 */
export const alertDestinationTable = mysqlTable(
  "alert_destination",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    type: mysqlEnum("type", destinationTypes).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    config: json<DestinationConfig>("config").notNull(),
    /** Encrypted (util/crypto, purpose "alert.webhook"): the webhook's whsec_ secret. */
    secret: text("secret"),
    warningCode: varchar("warning_code", { length: 64 }),
    warningMessage: text("warning_message"),
    timeWarning: time("time_warning"),
    timeLastSuccess: time("time_last_success"),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Which events go to which destinations, by app and stage globs. */
export const alertRuleTable = mysqlTable(
  "alert_rule",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    events: json<AlertEvent[]>("events").notNull(),
    apps: json<string[]>("apps").notNull(),
    stages: json<string[]>("stages").notNull(),
    /** Whether personal stages (a developer's own) match too. */
    personalStages: boolean("personal_stages").notNull().default(false),
    destinations: json<string[]>("destinations").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

export const deliveryStatuses = ["pending", "sent", "retrying", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * One event sent (or being sent) to one destination. (event id, destination) is
 * unique: a replayed event finds its row and sends nothing again.
 */
export const alertDeliveryTable = mysqlTable(
  "alert_delivery",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    eventId: varchar("event_id", { length: 64 }).notNull(),
    destinationId: id("destination_id").notNull(),
    event: varchar("event", { length: 64 }).notNull(),
    issueId: id("issue_id"),
    /** What is sent (the webhook body), kept so retries send the same thing. */
    payload: json<Record<string, unknown>>("payload").notNull(),
    status: mysqlEnum("status", deliveryStatuses).notNull().default("pending"),
    attempts: int("attempts").notNull().default(0),
    error: text("error"),
    ...timestamps,
    timeNextAttempt: time("time_next_attempt"),
    timeSent: time("time_sent"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("alert_delivery_event").on(t.workspaceId, t.eventId, t.destinationId),
    index("alert_delivery_time").on(t.workspaceId, t.timeCreated),
    index("alert_delivery_due").on(t.status, t.timeNextAttempt),
  ],
);

/** The last alert per issue (or per workspace for rate limits): at most one per 30 minutes. */
export const alertThrottleTable = mysqlTable(
  "alert_throttle",
  {
    workspaceId: workspaceId(),
    key: varchar("throttle_key", { length: 64 }).notNull(),
    eventId: varchar("event_id", { length: 64 }).notNull(),
    timeLast: time("time_last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] }), index("alert_throttle_time").on(t.timeLast)],
);

/** A workspace's Slack installation: one bot token per workspace, encrypted. */
export const alertSlackTable = mysqlTable(
  "alert_slack",
  {
    workspaceId: workspaceId(),
    teamId: varchar("team_id", { length: 32 }).notNull(),
    teamName: varchar("team_name", { length: 255 }).notNull(),
    botUserId: varchar("bot_user_id", { length: 32 }),
    /** Encrypted (util/crypto, purpose "alert.slack"). */
    token: text("token").notNull(),
    installedBy: id("installed_by").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId] })],
);

/** OAuth `state` of a Slack install in progress: stored hashed, bound to workspace and user, single use. */
export const alertSlackStateTable = mysqlTable(
  "alert_slack_state",
  {
    hash: char("hash", { length: 64 }).notNull(),
    workspaceId: workspaceId(),
    userId: id("user_id").notNull(),
    timeCreated: time("time_created").notNull(),
    timeExpires: time("time_expires").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hash] }), index("alert_slack_state_expires").on(t.timeExpires)],
);
