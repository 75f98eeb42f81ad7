import { bigint, index, int, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time } from "./db/types";

/**
 * The outbox: every domain event is written here in the transaction that caused it,
 * then relayed to the bus (./event.ts) right after commit and, if that fails, by the
 * sweeper with backoff. Sent rows are pruned after a day.
 */
export const eventOutboxTable = mysqlTable(
  "event_outbox",
  {
    /** Insertion order: the sweeper relays in it. */
    seq: bigint("seq", { mode: "number", unsigned: true }).autoincrement().primaryKey(),
    id: id().notNull(),
    workspaceId: id("workspace_id"),
    type: varchar("type", { length: 128 }).notNull(),
    /** The whole envelope (./event.ts EventEnvelope). */
    envelope: json<{ id: string; type: string; properties: unknown; metadata: Record<string, unknown> }>("envelope").notNull(),
    attempts: int("attempts").notNull().default(0),
    lastError: varchar("last_error", { length: 1024 }),
    timeCreated: time("time_created").notNull(),
    /** When the sweeper may try it (after-commit relay first, then backoff). */
    timeNext: time("time_next").notNull(),
    timeSent: time("time_sent"),
  },
  (t) => [uniqueIndex("event_outbox_id").on(t.id), index("event_outbox_due").on(t.timeSent, t.timeNext), index("event_outbox_sent").on(t.timeSent)],
);
