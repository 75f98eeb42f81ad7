/**
 * `npm run --silent cli -- sourcemaps upload --function NAME [--file index.mjs] MAP...`
 * uploads source maps to a console, for bundles whose maps SST did not upload (or
 * that are not SST functions). Frames in `/var/task/<file>` of that function are
 * mapped with the newest map uploaded before the error happened.
 *
 * Options (or environment): --url (CONSOLE_URL, default http://localhost:3000),
 * --token (CONSOLE_TOKEN: a session token), --workspace (CONSOLE_WORKSPACE: id or slug).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * Maps above this go by a direct upload (a presigned PUT into the console's bucket, then
 * complete): on AWS a request through the router carries at most 1 MB of body.
 */
const DIRECT_ABOVE = 900 * 1024;

async function direct(base: string, headers: Record<string, string>, map: string, target: { functionName: string; file: string }): Promise<Response> {
  const bytes = Buffer.byteLength(map);
  const started = await fetch(`${base}/uploads`, { method: "POST", headers, body: JSON.stringify({ bytes }) });
  // A console without a source-map bucket takes the map in the request body.
  if (started.status === 503) return fetch(base, { method: "POST", headers, body: JSON.stringify({ ...target, map }) });
  if (!started.ok) return started;
  const { upload, url } = (await started.json()) as { upload: string; url: string };
  const put = await fetch(url, { method: "PUT", body: map, headers: { "content-length": String(bytes) } });
  if (!put.ok) return new Response(JSON.stringify({ error: { code: "upload_failed", message: `the storage answered ${put.status}` } }), { status: 502 });
  return fetch(`${base}/uploads/${upload}/complete`, { method: "POST", headers, body: JSON.stringify(target) });
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

export async function run(argv: string[]): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  if (sub !== "upload") {
    process.stderr.write("Usage: cli sourcemaps upload --function NAME [--file BUNDLE] [--url URL] [--token TOKEN] [--workspace WS] MAP...\n");
    return 2;
  }
  const env = process.env;
  const url = (option(args, "url") ?? env.CONSOLE_URL ?? "http://localhost:3000").replace(/\/$/, "");
  const token = option(args, "token") ?? env.CONSOLE_TOKEN;
  const workspace = option(args, "workspace") ?? env.CONSOLE_WORKSPACE;
  const functionName = option(args, "function");
  const file = option(args, "file");
  if (!token || !workspace || !functionName || !args.length) {
    process.stderr.write("--function, a token (--token or CONSOLE_TOKEN), a workspace (--workspace or CONSOLE_WORKSPACE) and at least one .map file are needed\n");
    return 2;
  }
  let failed = 0;
  for (const mapPath of args) {
    const map = await readFile(mapPath, "utf8");
    const bundle = file ?? path.basename(mapPath).replace(/\.map$/, "");
    const base = `${url}/api/workspaces/${encodeURIComponent(workspace)}/sourcemaps`;
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    const res =
      Buffer.byteLength(map) > DIRECT_ABOVE
        ? await direct(base, headers, map, { functionName, file: bundle })
        : await fetch(base, { method: "POST", headers, body: JSON.stringify({ functionName, file: bundle, map }) });
    const body = (await res.json().catch(() => ({}))) as { id?: string; bytes?: number; error?: { code: string; message: string } };
    if (!res.ok) {
      failed++;
      process.stderr.write(`${mapPath}: ${res.status} ${body.error?.code ?? ""} ${body.error?.message ?? ""}\n`);
      continue;
    }
    process.stdout.write(`${JSON.stringify({ file: mapPath, id: body.id, functionName, bundle, bytes: body.bytes })}\n`);
  }
  return failed ? 1 : 0;
}
