import { bigint, char, mysqlTable, primaryKey, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { time, timestamps, workspaceId } from "../db/types";

/** A workspace's Stripe customer and the state of its subscription, as the webhook last said. */
export const billingTable = mysqlTable(
  "billing",
  {
    workspaceId: workspaceId(),
    customerId: varchar("stripe_customer_id", { length: 255 }).notNull(),
    subscriptionId: varchar("stripe_subscription_id", { length: 255 }),
    /** Stripe's subscription status (active, past_due, canceled, ...); null before any subscription. */
    status: varchar("status", { length: 32 }),
    /** `created` of the last applied event (older ones are ignored). */
    timeEvent: time("time_event"),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.workspaceId] }), uniqueIndex("billing_customer").on(t.customerId)],
);

/** Stripe events already handled (replays are ignored). */
export const billingEventTable = mysqlTable("billing_event", {
  id: varchar("id", { length: 255 }).primaryKey(),
  type: varchar("type", { length: 128 }).notNull(),
  timeCreated: time("time_created").notNull().$defaultFn(() => new Date()),
});

/** Meter events sent to Stripe: one per workspace and day (the identifier makes retries safe). */
export const billingReportTable = mysqlTable(
  "billing_report",
  {
    workspaceId: workspaceId(),
    day: char("day", { length: 10 }).notNull(),
    invocations: bigint("invocations", { mode: "number" }).notNull(),
    identifier: varchar("identifier", { length: 100 }).notNull(),
    timeSent: time("time_sent"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);
