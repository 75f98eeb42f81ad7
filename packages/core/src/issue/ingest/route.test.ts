/** Malformed records are counted per reason and never thrown (issue 7, item 3). */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decode } from "./route";
import { emptyStats } from "./types";

describe("decode", () => {
  it("counts a gzip bomb and other bad records as malformed, by reason", () => {
    const good = gzipSync(JSON.stringify({ messageType: "DATA_MESSAGE", owner: "1", logGroup: "g", logStream: "s", logEvents: [] }));
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x7b), { level: 9 });
    const stats = emptyStats(4);
    const out = decode(
      [
        { id: "1", data: good.toString("base64") },
        { id: "2", data: bomb.toString("base64") },
        { id: "3", data: "bm90IGd6aXA=" },
        { id: "4", data: gzipSync("not json") },
      ],
      stats,
    );
    expect(out.map((d) => d.record.id)).toEqual(["1"]);
    expect(stats.malformed).toBe(3);
    expect(stats.malformedReasons).toEqual({ too_large: 1, not_gzip: 1, not_json: 1 });
  });
});
