/**
 * A `.map` shipped inside a function's code package: the package is read (stored and
 * deflated entries, as `zip` and Python's zipfile write them) and its maps found.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readZip } from "./zip";
import { SourceMaps } from "./sourcemaps";
import { zipFiles } from "@console/testkit/zip";

const map = JSON.stringify({ version: 3, sources: ["src/a.ts"], names: [], mappings: "AAAA", sourcesContent: ["export const a = 1;\n"] });

function pythonZip(files: Record<string, string>, deflate: boolean): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), "console-zip-"));
  const out = path.join(dir, "code.zip");
  const script = `import sys, json, zipfile\nfiles = json.loads(sys.argv[2])\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.${deflate ? "ZIP_DEFLATED" : "ZIP_STORED"}) as z:\n    [z.writestr(n, c) for n, c in files.items()]\n`;
  writeFileSync(path.join(dir, "make.py"), script);
  execFileSync("python3", [path.join(dir, "make.py"), out, JSON.stringify(files)]);
  return readFileSync(out);
}

describe("code packages", () => {
  it("reads stored and deflated entries", () => {
    const files = { "index.mjs": "export const handler = () => 1;\n".repeat(50), "index.mjs.map": map, "lib/other.js": "x" };
    for (const zip of [zipFiles(files), pythonZip(files, true), pythonZip(files, false)]) {
      const entries = readZip(zip);
      expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(files).sort());
      for (const e of entries) expect(e.read().toString("utf8")).toBe(files[e.name as keyof typeof files]);
    }
    expect(() => readZip(Buffer.from("not a zip"))).toThrow(/not a zip/);
  });

  it("downloads a package and keeps its maps", async () => {
    const zip = pythonZip({ "index.mjs": "code", "index.mjs.map": map, "nested/worker.mjs.map": map }, true);
    const server = createServer((req, res) => (req.url === "/code.zip" ? res.writeHead(200).end(zip) : res.writeHead(404).end()));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as { port: number };
    try {
      const maps = await SourceMaps.downloadMaps(`http://127.0.0.1:${port}/code.zip`);
      expect([...maps!.keys()].sort()).toEqual(["index.mjs.map", "nested/worker.mjs.map"]);
      expect(JSON.parse(maps!.get("index.mjs.map")!.toString("utf8")).sources).toEqual(["src/a.ts"]);
      expect(await SourceMaps.downloadMaps(`http://127.0.0.1:${port}/missing.zip`)).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
