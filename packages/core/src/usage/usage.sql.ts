import { int, mysqlTable, primaryKey } from "drizzle-orm/mysql-core";
import { time, workspaceId } from "../db/types";

/** Issue events ingested per workspace per hour: the hourly quota, and what was dropped past it. */
export const ingestUsageTable = mysqlTable(
  "ingest_usage",
  {
    workspaceId: workspaceId(),
    hour: time("hour").notNull(),
    count: int("count").notNull().default(0),
    dropped: int("dropped").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.hour] })],
);
