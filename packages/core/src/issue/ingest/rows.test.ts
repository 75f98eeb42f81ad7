/**
 * The consumer's directly written INSERT statements: literals escaped exactly as the driver
 * escapes parameters, the statement shaped as drizzle shapes it, and stored errors serialised
 * as JSON.stringify would.
 */
import mysql from "mysql2";
import { sql } from "drizzle-orm";
import { MySqlDialect } from "drizzle-orm/mysql-core";
import { describe, expect, it } from "vitest";
import { issueCountTable, ingestSeenTable } from "../issue.sql";
import type { DetectedError } from "../extract";
import { affectedRows, errorJson, insertRows, literal, quote } from "./rows";

const dialect = new MySqlDialect();
const text = (q: ReturnType<typeof insertRows>) => dialect.sqlToQuery(q).sql;

describe("rows", () => {
  it("escapes strings as mysql2 does", () => {
    const hostile = ["plain", "it's", 'say "hi"', "back\\slash", "nul\0byte", "tab\tnew\nline\rret", "\x1a\b", "'); drop table issue; --", "ünïcødé ✓ 𝄞", ""];
    for (const s of hostile) expect(quote(s)).toBe(mysql.escape(s));
  });

  it("writes numbers, nulls and dates as drizzle's columns do", () => {
    expect(literal(42)).toBe("42");
    expect(literal(null)).toBe("NULL");
    expect(literal(undefined)).toBe("NULL");
    expect(literal(new Date(Date.UTC(2026, 10, 22, 9, 5, 7, 123)))).toBe("'2026-11-22 09:05:07.123'");
    expect(() => literal(Number.NaN)).toThrow();
  });

  it("builds insert ignore and upserts with the table's column names, assignments in column order", () => {
    const seen = text(insertRows(ingestSeenTable, ["workspaceId", "eventId", "timeSeen"], [["w", "e'1", new Date(0)], ["w", "e2", new Date(0)]], { ignore: true }));
    expect(seen).toBe("insert ignore into `ingest_seen` (`workspace_id`, `event_id`, `time_seen`) values ('w', 'e\\'1', '1970-01-01 00:00:00.000'), ('w', 'e2', '1970-01-01 00:00:00.000')");
    const counts = text(
      insertRows(issueCountTable, ["workspaceId", "issueId", "hour", "functionName", "count"], [["w", "i", new Date(0), "fn", 3]], {
        onDuplicate: { count: sql`${issueCountTable.count} + values(${issueCountTable.count})`, functionName: sql`values(${issueCountTable.functionName})` },
      }),
    );
    expect(counts).toBe(
      "insert into `issue_count` (`workspace_id`, `issue_id`, `hour`, `function_name`, `count`) values ('w', 'i', '1970-01-01 00:00:00.000', 'fn', 3) on duplicate key update `function_name` = values(`issue_count`.`function_name`), `count` = `issue_count`.`count` + values(`issue_count`.`count`)",
    );
    expect(() => insertRows(ingestSeenTable, ["workspaceId", "eventId"], [["w"]])).toThrow();
  });

  it("reads affected rows from either driver", () => {
    expect(affectedRows([{ affectedRows: 3 }, []])).toBe(3);
    expect(affectedRows({ rowsAffected: 2 })).toBe(2);
    expect(affectedRows({})).toBeUndefined();
  });

  it("serialises a stored error as JSON.stringify does, frames shared between repeats", () => {
    const frames = [{ file: "a.ts", line: 1, inApp: true, raw: 'at "frames":0 (a.ts:1:1)' }];
    const a: DetectedError = { type: "TypeError", message: '"frames":0 in a message', frames, kind: "invoke", phase: "invoke", timestamp: 1, eventIds: ["1"], runtime: "node", requestId: "r1" };
    const b: DetectedError = { ...a, requestId: "r2", causes: [{ type: "E", message: "m", frames }] };
    const none: DetectedError = { ...a, frames: [] };
    for (const e of [a, b, none]) {
      expect(errorJson(e)).toBe(JSON.stringify(e));
      expect(errorJson(e)).toBe(JSON.stringify(e));
    }
  });
});
