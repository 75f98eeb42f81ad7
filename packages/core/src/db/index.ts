/**
 * Database access. DATABASE_URL picks the driver once: mysql2 for a mysql:// URL,
 * @planetscale/database for a PlanetScale URL. Domain code calls `Database.use`
 * (joins the current transaction if there is one) or `Database.transaction`, and
 * registers side effects with `Database.afterCommit` so they run only once the
 * write is durable.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { existsSync } from "node:fs";
import type { MySqlDatabase, MySqlTransaction } from "drizzle-orm/mysql-core";
import { drizzle as drizzleMysql } from "drizzle-orm/mysql2";
import { drizzle as drizzlePlanetscale } from "drizzle-orm/planetscale-serverless";
import mysql from "mysql2/promise";
import { Client as PlanetscaleClient } from "@planetscale/database";
import { env } from "../env";
import { log } from "../util/log";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = MySqlDatabase<any, any, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tx = MySqlTransaction<any, any, any, any>;
type TxOrDb = Tx | Db;

interface TxContext {
  tx: Tx;
  effects: (() => unknown | Promise<unknown>)[];
}

const txStorage = new AsyncLocalStorage<TxContext>();

type QueryListener = (query: string) => void;
const queryListeners = new Set<QueryListener>();
const logger = {
  logQuery(query: string) {
    for (const l of queryListeners) l(query);
  },
};

function isPlanetscaleUrl(url: string) {
  if (url.startsWith("planetscale://")) return true;
  try {
    return new URL(url).hostname.endsWith(".psdb.cloud");
  } catch {
    return false;
  }
}

/** MySQL/MariaDB deadlock (1213) or lock wait timeout (1205), whichever driver reports it. */
function isRetryable(err: unknown): boolean {
  for (let e = err as { errno?: number; code?: string; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
    if (e.errno === 1213 || e.errno === 1205 || e.code === "ER_LOCK_DEADLOCK" || e.code === "ER_LOCK_WAIT_TIMEOUT") return true;
    if (typeof e.message === "string" && /deadlock found|lock wait timeout/i.test(e.message)) return true;
  }
  return false;
}

interface Connection {
  url: string;
  db: Db;
  close(): Promise<void>;
}

let current: Connection | undefined;

function connect(url: string): Connection {
  if (isPlanetscaleUrl(url)) {
    const client = new PlanetscaleClient({ url: url.replace(/^planetscale:\/\//, "mysql://") });
    return { url, db: drizzlePlanetscale(client, { logger }) as unknown as Db, close: async () => {} };
  }
  const pool = mysql.createPool({
    uri: url,
    timezone: "Z",
    connectionLimit: 10,
    maxIdle: 10,
    idleTimeout: 60_000,
    enableKeepAlive: true,
    multipleStatements: false,
    supportBigNumbers: true,
  });
  return {
    url,
    db: drizzleMysql(pool, { logger }) as unknown as Db,
    close: () => pool.end(),
  };
}

function database(): Db {
  const url = env.DATABASE_URL;
  if (!current || current.url !== url) current = connect(url);
  return current.db;
}

export namespace Database {
  /** Run with the current transaction, or the plain connection when there is none. */
  export function use<T>(cb: (tx: TxOrDb) => Promise<T>): Promise<T> {
    const ctx = txStorage.getStore();
    // Drizzle's query builders run again on every `then`: adopt the result once, into a real promise.
    return Promise.resolve(cb(ctx ? ctx.tx : database()));
  }

  /**
   * Run in a transaction (joining the current one), then run the after-commit
   * effects. A deadlock or lock timeout (concurrent upserts on one unique index can
   * cause them) rolls back and retries the whole callback, a few times.
   */
  export async function transaction<T>(cb: (tx: Tx) => Promise<T>): Promise<T> {
    const ctx = txStorage.getStore();
    if (ctx) return cb(ctx.tx);
    for (let attempt = 0; ; attempt++) {
      const effects: TxContext["effects"] = [];
      let result: T;
      try {
        result = await database().transaction(async (tx) => txStorage.run({ tx, effects }, () => cb(tx)), {
          isolationLevel: "read committed",
        });
      } catch (err) {
        if (attempt < 4 && isRetryable(err)) {
          await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
          continue;
        }
        throw err;
      }
      for (const effect of effects) {
        try {
          await effect();
        } catch (err) {
          log.error("after-commit effect failed", { err });
        }
      }
      return result;
    }
  }

  /** Run `fn` after the current transaction commits (at once when there is none). */
  export async function afterCommit(fn: () => unknown | Promise<unknown>) {
    const ctx = txStorage.getStore();
    if (ctx) {
      ctx.effects.push(fn);
      return;
    }
    await fn();
  }

  /** Calls `listener` with every SQL statement sent (benchmarks count them). */
  export function onQuery(listener: QueryListener) {
    queryListeners.add(listener);
    return () => queryListeners.delete(listener);
  }

  export async function close() {
    const c = current;
    current = undefined;
    await c?.close();
  }

  export function migrationsFolder(): string {
    const here = path.dirname(fileURLToPath(import.meta.url));
    if (env.MIGRATIONS_DIR) return path.resolve(env.MIGRATIONS_DIR);
    const candidates = [path.resolve(here, "../../migrations"), path.resolve(process.cwd(), "migrations")];
    for (const c of candidates) if (existsSync(path.join(c, "meta/_journal.json"))) return c;
    throw new Error(`Migrations folder not found (looked in ${candidates.join(", ")})`);
  }

  /** Create the database named in a mysql:// URL when it does not exist yet. */
  export async function ensureDatabase(url = env.DATABASE_URL) {
    if (isPlanetscaleUrl(url)) return;
    const parsed = new URL(url);
    const name = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
    if (!name) throw new Error("DATABASE_URL must name a database");
    if (!/^[A-Za-z0-9_$-]+$/.test(name)) throw new Error(`Unsupported database name: ${name}`);
    parsed.pathname = "/";
    const conn = await mysql.createConnection({ uri: parsed.toString() });
    try {
      await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await conn.end();
    }
  }

  /** Apply committed migrations (drizzle-kit generate output). */
  export async function migrate() {
    const url = env.DATABASE_URL;
    const folder = migrationsFolder();
    if (isPlanetscaleUrl(url)) {
      const { migrate } = await import("drizzle-orm/planetscale-serverless/migrator");
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migrate(database() as any, { migrationsFolder: folder });
    } else {
      await ensureDatabase(url);
      const { migrate } = await import("drizzle-orm/mysql2/migrator");
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await migrate(database() as any, { migrationsFolder: folder });
    }
  }

  /** A unique-key violation (MySQL/MariaDB error 1062), whichever driver reports it. */
  export function isDuplicate(err: unknown): boolean {
    for (let e = err as { errno?: number; code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
      if (e.errno === 1062 || e.code === "ER_DUP_ENTRY") return true;
    }
    return false;
  }

  /** Rows changed by an UPDATE/DELETE, whichever driver ran it. */
  export function affected(result: unknown): number {
    if (Array.isArray(result)) return (result[0] as { affectedRows?: number })?.affectedRows ?? 0;
    const r = result as { rowsAffected?: number; affectedRows?: number };
    return r.rowsAffected ?? r.affectedRows ?? 0;
  }

  export async function ping(): Promise<boolean> {
    const { sql } = await import("drizzle-orm");
    await database().execute(sql`select 1`);
    return true;
  }
}
