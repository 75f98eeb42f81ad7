#!/usr/bin/env node
/**
 * Makes SST's platform types available to `tsc -p infra/tsconfig.json`: runs
 * `sst install`, which copies the platform (components, `config.d.ts`, the `$`
 * globals) from the pinned `sst` CLI into .sst/platform and installs its npm
 * dependencies (Pulumi's SDKs and the AWS provider) from the npm registry.
 *
 * The CLI would first download the Pulumi engine and Bun from GitHub; type-checking
 * needs neither, so SST_SKIP_DEPENDENCY_CHECK and SST_NO_BUN skip them. `install`
 * evaluates sst.config.ts's app() only, so no AWS credentials are needed; the stage
 * name is required but unused. Nothing is done when .sst/platform already matches
 * the pinned version.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// The package's exports hide its package.json and bin: read them by path.
const sst = path.join(root, "node_modules", "sst");
const version = JSON.parse(readFileSync(path.join(sst, "package.json"), "utf8")).version;
const platform = path.join(root, ".sst", "platform");
const installed = existsSync(path.join(platform, "version")) ? readFileSync(path.join(platform, "version"), "utf8").trim() : "";

if (installed === version && existsSync(path.join(platform, "config.d.ts")) && existsSync(path.join(platform, "node_modules", "@pulumi", "aws"))) {
  process.exit(0);
}

process.stdout.write(`Installing SST ${version}'s platform types into .sst/platform (npm packages, about 300 MB, once)...\n`);
const result = spawnSync(process.execPath, [path.join(sst, "bin", "sst.mjs"), "install"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: {
    ...process.env,
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_NO_BUN: "1",
    SST_TELEMETRY_DISABLED: "1",
    SST_STAGE: process.env.SST_STAGE ?? "typecheck",
  },
});
if (result.status !== 0 || !existsSync(path.join(platform, "config.d.ts"))) {
  process.stderr.write("sst install did not produce .sst/platform/config.d.ts; infra/ cannot be type-checked.\n");
  process.exit(1);
}
