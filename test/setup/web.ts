/** Builds the web app once per test run (into a temporary folder) for the browser tests. */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../packages/web");

export function buildWeb(): string {
  const outDir = mkdtempSync(path.join(tmpdir(), "console-web-"));
  const viteBin = path.join(path.dirname(createRequire(path.join(webRoot, "package.json")).resolve("vite/package.json")), "bin/vite.js");
  const r = spawnSync(process.execPath, [viteBin, "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], {
    cwd: webRoot,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`The web app did not build:\n${r.stdout}\n${r.stderr}`);
  return outDir;
}
