import { index, int, mysqlEnum, mysqlTable, primaryKey, text, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, time, timestamps, workspaceId } from "../../db/types";

/**
 * Kinesis records whose ingestion failed for a reason other than a passing outage
 * (./dead-letter.ts). A row counts the attempts (`retrying`); after the last one the
 * record is `dead`: it is given up, no longer blocks the records behind it, and the
 * workspace sees it (a warning and GET .../dead-letters). One row per record.
 */
export const ingestDeadLetterTable = mysqlTable(
  "ingest_dead_letter",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    connectionId: id("connection_id"),
    region: varchar("region", { length: 32 }).notNull(),
    /** The Kinesis sequence number. */
    recordId: varchar("record_id", { length: 128 }).notNull(),
    status: mysqlEnum("status", ["retrying", "dead"]).notNull().default("retrying"),
    attempts: int("attempts").notNull().default(1),
    /** The last failure's root cause (driver code and message, no parameters). */
    reason: varchar("reason", { length: 1024 }).notNull(),
    /** The record's log group, stream and first log lines, at most 4 KiB. */
    excerpt: text("excerpt").notNull(),
    ...timestamps,
    timeDead: time("time_dead"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex("ingest_dead_letter_record").on(t.workspaceId, t.connectionId, t.region, t.recordId),
    index("ingest_dead_letter_status").on(t.workspaceId, t.status, t.timeDead),
    index("ingest_dead_letter_updated").on(t.timeUpdated),
  ],
);
