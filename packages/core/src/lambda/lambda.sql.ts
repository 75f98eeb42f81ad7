import { index, int, mysqlTable, primaryKey, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { id, json, time, timestamps, workspaceId } from "../db/types";

/** Named event payloads of a workspace, usable to invoke any of its functions. */
export const payloadTable = mysqlTable(
  "lambda_payload",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    name: varchar("name", { length: 100 }).notNull(),
    payload: json<unknown>("payload").notNull(),
    createdBy: id("created_by"),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex("lambda_payload_name").on(t.workspaceId, t.name)],
);

/**
 * Invocations made from the console: their event is known, so they can be replayed.
 * Kept 30 days (cleanup).
 */
export const invocationTable = mysqlTable(
  "lambda_invocation",
  {
    workspaceId: workspaceId(),
    id: id().notNull(),
    functionId: id("function_id").notNull(),
    requestId: varchar("request_id", { length: 64 }),
    payload: json<unknown>("payload").notNull(),
    statusCode: int("status_code"),
    functionError: varchar("function_error", { length: 64 }),
    replayOf: id("replay_of"),
    userId: id("user_id"),
    timeCreated: time("time_created").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index("lambda_invocation_function").on(t.workspaceId, t.functionId, t.timeCreated),
    index("lambda_invocation_request").on(t.workspaceId, t.requestId),
  ],
);
