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
import { CODE_PACKAGE_LIMITS, extractFiles, ZipLimitError } from "./zip";
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
  it("reads stored and deflated entries", async () => {
    const files = { "index.mjs": "export const handler = () => 1;\n".repeat(50), "index.mjs.map": map, "lib/other.js": "x" };
    for (const zip of [zipFiles(files), pythonZip(files, true), pythonZip(files, false)]) {
      const entries = await extractFiles(zip, () => true);
      expect([...entries.keys()].sort()).toEqual(Object.keys(files).sort());
      for (const [name, data] of entries) expect(data.toString("utf8")).toBe(files[name as keyof typeof files]);
    }
    await expect(extractFiles(Buffer.from("not a zip"), () => true)).rejects.toThrow(/not a zip/);
  });

  it("skips a map that inflates beyond 50 MiB (a zip bomb: small compressed, large inflated)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "console-zip-"));
    const out = path.join(dir, "bomb.zip");
    const script = `import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:\n    z.writestr("index.mjs.map", b" " * (60 * 1024 * 1024))\n    z.writestr("ok.mjs.map", sys.argv[2])\n`;
    writeFileSync(path.join(dir, "make.py"), script);
    execFileSync("python3", [path.join(dir, "make.py"), out, map]);
    const zip = readFileSync(out);
    expect(zip.length).toBeLessThan(1024 * 1024);
    const maps = await extractFiles(zip, (n) => n.endsWith(".map"));
    expect([...maps.keys()]).toEqual(["ok.mjs.map"]);
    // With a lower cap on the total, reading stops with an error instead of inflating on.
    await expect(extractFiles(zip, (n) => n.endsWith(".map"), { ...CODE_PACKAGE_LIMITS, maxEntryBytes: 100 * 1024 * 1024, maxTotalBytes: 10 * 1024 * 1024 })).rejects.toBeInstanceOf(ZipLimitError);
  });

  it("refuses an archive listing too many entries", async () => {
    const files = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}.js.map`, "x"]));
    const zip = zipFiles(files);
    expect((await extractFiles(zip, () => true)).size).toBe(50);
    await expect(extractFiles(zip, () => true, { ...CODE_PACKAGE_LIMITS, maxEntries: 49 })).rejects.toBeInstanceOf(ZipLimitError);
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
