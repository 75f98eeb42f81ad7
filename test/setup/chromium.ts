/**
 * Finds Debian's Chromium for the browser tests, installing it with apt-get when it
 * is missing and this process may (root, apt-get present). Otherwise it fails with
 * the command that installs it.
 */
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";

const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return candidates.find((c) => existsSync(c));
}

export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    console.log("Chromium is missing: installing it with apt-get (once)...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
    if (r.status !== 0) {
      spawnSync("apt-get", ["update"], { stdio: "inherit", env });
      r = spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
    }
    const after = findChromium();
    if (after) return after;
  }
  throw new Error(
    "Chromium is needed for the browser tests and is not installed. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)",
  );
}
