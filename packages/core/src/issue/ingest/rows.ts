/**
 * Multi-row INSERT statements for the consumer's writes, written directly. Drizzle's insert
 * builder costs a few microseconds per value (entity checks, one chunk per parameter), and a
 * batch writes thousands of values; here each row becomes escaped literals at once, escaped
 * as the drivers escape interpolated parameters (mysql2 and PlanetScale's client both
 * interpolate on the client), with the statement's shape (columns, ON DUPLICATE KEY UPDATE
 * in the table's column order) as drizzle writes it.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { MySqlTable } from "drizzle-orm/mysql-core";
import { escape } from "sql-escaper";
import type { DetectedError } from "../extract";

/** A value of a row: JSON columns take their text (already serialised). */
export type Literal = string | number | boolean | null | undefined | Date;

/** A string literal, escaped by the library mysql2 itself escapes parameters with. */
export function quote(s: string): string {
  return escape(s);
}

/** One value as SQL text. Dates as `datetime(3)` in UTC, as drizzle's datetime columns write them. */
export function literal(v: Literal): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "string") return quote(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  return `'${v.toISOString().replace("T", " ").replace("Z", "")}'`;
}

/**
 * `insert [ignore] into <table> (<columns>) values (...), (...) [on duplicate key update ...]`.
 * `columns` are the table's property names; `onDuplicate` assignments are written in the
 * table's column order, as drizzle does (MySQL runs them left to right).
 */
export function insertRows<T extends MySqlTable>(
  table: T,
  columns: readonly (keyof T["_"]["columns"] & string)[],
  rows: readonly (readonly Literal[])[],
  options: { ignore?: boolean; onDuplicate?: Partial<Record<keyof T["_"]["columns"] & string, SQL>> } = {},
): SQL {
  const all = getTableColumns(table) as Record<string, { name: string }>;
  const names = columns.map((c) => `\`${all[c]!.name}\``).join(", ");
  let values = "";
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.length !== columns.length) throw new Error(`a row of ${row.length} values for ${columns.length} columns`);
    let text = i === 0 ? "(" : ", (";
    for (let j = 0; j < row.length; j++) text += (j === 0 ? "" : ", ") + literal(row[j]);
    values += text + ")";
  }
  const head = sql`insert ${sql.raw(options.ignore ? "ignore " : "")}into ${table} (${sql.raw(names)}) values ${sql.raw(values)}`;
  const set = options.onDuplicate as Record<string, SQL> | undefined;
  if (!set) return head;
  const assignments = Object.keys(all)
    .filter((k) => set[k] !== undefined)
    .map((k) => sql`${sql.identifier(all[k]!.name)} = ${set[k]!}`);
  return sql`${head} on duplicate key update ${sql.join(assignments, sql`, `)}`;
}

/** Rows affected by a write, whichever driver ran it (undefined when it does not say). */
export function affectedRows(result: unknown): number | undefined {
  const r = result as [{ affectedRows?: unknown }?] & { rowsAffected?: unknown };
  if (Array.isArray(r) && typeof r[0]?.affectedRows === "number") return r[0].affectedRows;
  if (r && typeof r.rowsAffected === "number") return r.rowsAffected;
  return undefined;
}

const framesJson = new WeakMap<object, string>();
const errorsJson = new WeakMap<object, string>();

/**
 * An error as stored (issue and occurrence rows). Repeats of a stack share their frames array
 * (../enrich.ts), mapped frames with their source lines being most of the text: it is
 * serialised once per array, and each error once however many rows carry it.
 */
export function errorJson(e: DetectedError): string {
  let text = errorsJson.get(e);
  if (text !== undefined) return text;
  if (e.frames.length === 0) text = JSON.stringify(e);
  else {
    let frames = framesJson.get(e.frames);
    if (frames === undefined) framesJson.set(e.frames, (frames = JSON.stringify(e.frames)));
    // `frames` keeps its place among the keys; the first `"frames":0` is that key (the keys
    // before it are strings, where a quote is always escaped).
    const f = frames;
    text = JSON.stringify({ ...e, frames: 0 }).replace('"frames":0', () => `"frames":${f}`);
  }
  errorsJson.set(e, text);
  return text;
}
