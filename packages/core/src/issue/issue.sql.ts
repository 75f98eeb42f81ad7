import { bigint, char, customType, index, int, mysqlEnum, mysqlTable, primaryKey, text, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";
import type { DetectedError } from "./extract";

export const issueStatuses = ["active", "resolved", "ignored"] as const;
export type IssueStatus = (typeof issueStatuses)[number];

/** Binary data (a gzipped source map). */
const longblob = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "longblob" });

/**
 * An issue: one bug in one stage, however many times it happened. Errors join an
 * issue through their fingerprint hashes (issue_hash).
 */
export const issueTable = mysqlTable(
  "issue",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    stageId: id("stage_id").notNull(),
    type: varchar("type", { length: 255 }).notNull(),
    message: text("message").notNull(),
    kind: varchar("kind", { length: 32 }).notNull(),
    /** The latest occurrence's error, source-mapped: what the detail page shows. */
    error: json<DetectedError>("error").notNull(),
    functionName: varchar("function_name", { length: 140 }),
    /**
     * When a resolved issue last happened again (the "Regressed" badge), cleared by the next
     * resolve, ignore or reopen. Declared before `status`: the ingest upsert's assignments run
     * in this order, and this one reads the status before it changes.
     */
    timeRegressed: time("time_regressed"),
    status: mysqlEnum("status", issueStatuses).notNull().default("active"),
    count: bigint("count", { mode: "number" }).notNull().default(0),
    groupingVersion: int("grouping_version").notNull(),
    /** What the primary hash was made of ("why are these grouped"). */
    groupingBasis: json<{ basis: string; components: string[] }>("grouping_basis"),
    ...timestamps,
    timeFirstSeen: time("time_first_seen").notNull(),
    timeLastSeen: time("time_last_seen").notNull(),
    timeResolved: time("time_resolved"),
    timeIgnored: time("time_ignored"),
    resolvedBy: varchar("resolved_by", { length: 255 }),
    /**
     * The primary fingerprint hash the issue was opened with. Only errors with this hash
     * change its message and shown error, so a merged-in fingerprint never retitles it.
     * Declared last: the ingest upsert compares it before setting it.
     */
    primaryHash: char("primary_hash", { length: 64 }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("issue_stage").on(t.workspaceId, t.stageId, t.status, t.timeLastSeen),
    index("issue_last_seen").on(t.workspaceId, t.status, t.timeLastSeen),
  ],
);

export const issueActivityKinds = ["resolved", "ignored", "reopened", "regressed", "merged"] as const;
export type IssueActivityKind = (typeof issueActivityKinds)[number];

/**
 * What happened to an issue, oldest first: resolved, ignored or reopened (by whom),
 * regressed (with the occurrence that did it), merged (from which issues). "First seen"
 * is the issue's own `time_first_seen`.
 */
export const issueActivityTable = mysqlTable(
  "issue_activity",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    issueId: id("issue_id").notNull(),
    kind: varchar("kind", { length: 16 }).$type<IssueActivityKind>().notNull(),
    actorType: varchar("actor_type", { length: 16 }).notNull(),
    actorEmail: varchar("actor_email", { length: 255 }),
    data: json<Record<string, unknown>>("data"),
    timeCreated: time("time_created").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("issue_activity_issue").on(t.workspaceId, t.issueId, t.timeCreated)],
);

/** Fingerprint hash -> issue, per stage. Merging issues moves their hashes. */
export const issueHashTable = mysqlTable(
  "issue_hash",
  {
    workspaceId: workspaceId(),
    stageId: id("stage_id").notNull(),
    hash: char("hash", { length: 64 }).notNull(),
    issueId: id("issue_id").notNull(),
    groupingVersion: int("grouping_version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.stageId, t.hash] }), index("issue_hash_issue").on(t.workspaceId, t.issueId)],
);

/** Occurrences per hour and function: the histogram, and the functions an issue hit. */
export const issueCountTable = mysqlTable(
  "issue_count",
  {
    workspaceId: workspaceId(),
    issueId: id("issue_id").notNull(),
    hour: time("hour").notNull(),
    functionName: varchar("function_name", { length: 140 }).notNull(),
    count: int("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.issueId, t.hour, t.functionName] })],
);

/** The latest occurrences of each issue, with what is needed to show their invocation. */
export const issueOccurrenceTable = mysqlTable(
  "issue_occurrence",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    issueId: id("issue_id").notNull(),
    stageId: id("stage_id").notNull(),
    eventId: varchar("event_id", { length: 64 }).notNull(),
    requestId: varchar("request_id", { length: 64 }),
    functionName: varchar("function_name", { length: 140 }).notNull(),
    logGroup: varchar("log_group", { length: 512 }).notNull(),
    logStream: varchar("log_stream", { length: 512 }).notNull(),
    error: json<DetectedError>("error").notNull(),
    /** The log events the error was read from (raw), capped in size. */
    lines: json<{ id?: string; timestamp: number; message: string }[]>("lines").notNull(),
    timeSeen: time("time_seen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("occurrence_issue").on(t.workspaceId, t.issueId, t.timeSeen)],
);

/** Log event ids already ingested: a replayed Kinesis record counts once. Pruned after 8 days. */
export const ingestSeenTable = mysqlTable(
  "ingest_seen",
  {
    workspaceId: workspaceId(),
    eventId: varchar("event_id", { length: 64 }).notNull(),
    timeSeen: time("time_seen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.eventId] }), index("ingest_seen_time").on(t.timeSeen)],
);

/** User-written fingerprint rules, applied in position order. */
export const fingerprintRuleTable = mysqlTable(
  "fingerprint_rule",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    position: int("position").notNull(),
    rule: json<Record<string, unknown>>("rule").notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** Log groups the console subscribed to, so stage removal and disconnect can unsubscribe. */
export const issueSubscriptionTable = mysqlTable(
  "issue_subscription",
  {
    workspaceId: workspaceId(),
    connectionId: id("aws_account_id").notNull(),
    region: varchar("region", { length: 32 }).notNull(),
    logGroup: varchar("log_group", { length: 512 }).notNull(),
    stageId: id("stage_id").notNull(),
    functionId: id("function_id").notNull(),
    filterName: varchar("filter_name", { length: 512 }).notNull(),
    destinationArn: varchar("destination_arn", { length: 512 }).notNull(),
    filterPatternHash: char("filter_pattern_hash", { length: 64 }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ name: "issue_subscription_pk", columns: [t.workspaceId, t.connectionId, t.region, t.logGroup] }),
    index("subscription_stage").on(t.workspaceId, t.stageId),
  ],
);

/** Source maps uploaded through the API or the CLI, gzipped. */
export const sourcemapTable = mysqlTable(
  "sourcemap",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    stageId: id("stage_id"),
    functionName: varchar("function_name", { length: 140 }).notNull(),
    /** Base name of the bundle the map belongs to (`index.mjs`). */
    file: varchar("file", { length: 255 }).notNull(),
    bytes: int("bytes").notNull(),
    /** The gzipped body: in the source-map bucket at `objectKey`; older uploads kept it here. */
    content: longblob("content"),
    objectKey: varchar("object_key", { length: 512 }),
    sha256: char("sha256", { length: 64 }),
    timeCreated: time("time_created").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index("sourcemap_function").on(t.workspaceId, t.functionName, t.file, t.timeCreated)],
);
