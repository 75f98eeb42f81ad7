/**
 * Fixed-window rate limits kept in the database, so every API instance (Lambda or
 * local) shares them. One upsert and one read per check.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { Database } from "../db";
import { VisibleError } from "../error";
import { sha256 } from "../id";
import { rateLimitTable } from "./auth.sql";

/** The length of `rate_limit.key`. */
const KEY_LENGTH = 191;

export interface Limit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in seconds. */
  window: number;
}

export class RateLimitedError extends VisibleError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super("rate_limited", message, { retryAfter });
  }
}

export namespace RateLimit {
  /** Counts one hit on `key`; throws RateLimitedError once the window's limit is passed. */
  export async function hit(name: string, rule: Limit, message = "Too many requests, try again later") {
    // Keys hold emails (up to 254 characters): a long one is kept as its prefix and hash.
    const key = name.length <= KEY_LENGTH ? name : `${name.slice(0, KEY_LENGTH - 65)}#${sha256(name)}`;
    const now = Math.floor(Date.now() / 1000);
    const window = now - (now % rule.window);
    const count = await Database.use(async (db) => {
      await db
        .insert(rateLimitTable)
        .values({ key, window, count: 1 })
        .onDuplicateKeyUpdate({ set: { count: sql`${rateLimitTable.count} + 1` } });
      const [row] = await db
        .select({ count: rateLimitTable.count })
        .from(rateLimitTable)
        .where(and(eq(rateLimitTable.key, key), eq(rateLimitTable.window, window)));
      return row?.count ?? 1;
    });
    if (count > rule.limit) throw new RateLimitedError(message, window + rule.window - now);
  }

  /** Drops windows older than a day. */
  export async function prune() {
    const cutoff = Math.floor(Date.now() / 1000) - 86_400;
    await Database.use((db) => db.delete(rateLimitTable).where(lt(rateLimitTable.window, cutoff)));
  }
}
