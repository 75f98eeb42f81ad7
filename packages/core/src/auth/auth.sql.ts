import { bigint, char, index, int, mysqlTable, primaryKey, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { email, id, time, timestamps } from "../db/types";

/**
 * One-time sign-in codes. Only an HMAC of the code is stored, and the SHA-256 of the
 * challenge given to whoever asked for it: a code can only be tried with its challenge.
 */
export const signInCodeTable = mysqlTable(
  "sign_in_code",
  {
    id: id().primaryKey(),
    email: email().notNull(),
    codeHash: char("code_hash", { length: 64 }).notNull(),
    challengeHash: char("challenge_hash", { length: 64 }),
    attempts: int("attempts").notNull().default(0),
    ip: varchar("ip", { length: 64 }),
    ...timestamps,
    timeExpires: time("time_expires").notNull(),
    timeUsed: time("time_used"),
  },
  (t) => [index("sign_in_code_email").on(t.email, t.timeCreated), uniqueIndex("sign_in_code_challenge").on(t.challengeHash)],
);

/** Sessions; the bearer token is stored as a SHA-256 hash. */
export const sessionTable = mysqlTable(
  "session",
  {
    id: id().primaryKey(),
    userId: char("user_id", { length: 26 }).notNull(),
    tokenHash: char("token_hash", { length: 64 }).notNull(),
    userAgent: varchar("user_agent", { length: 255 }),
    ip: varchar("ip", { length: 64 }),
    ...timestamps,
    timeLastUsed: time("time_last_used").notNull(),
    timeExpires: time("time_expires").notNull(),
    timeRevoked: time("time_revoked"),
  },
  (t) => [uniqueIndex("session_token_hash").on(t.tokenHash), index("session_user").on(t.userId)],
);

/** Fixed-window counters for rate limits (sign-in by email and by IP). */
export const rateLimitTable = mysqlTable(
  "rate_limit",
  {
    key: varchar("key", { length: 191 }).notNull(),
    window: bigint("window", { mode: "number" }).notNull(),
    count: int("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.window] }), index("rate_limit_window").on(t.window)],
);
