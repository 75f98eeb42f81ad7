/**
 * The local runtime's HTTP server: the API under /api and the web app on the same
 * port. The web app is either the Vite dev server in middleware mode (npm run dev,
 * with hot reload) or a built copy (tests, `WEB_DIST`), with index.html served for
 * every other path so the app's routes work on reload.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { getRequestListener } from "@hono/node-server";
import { createApi } from "../api";

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web");

interface ViteModule {
  createServer(config: Record<string, unknown>): Promise<{
    middlewares: (req: IncomingMessage, res: ServerResponse) => void;
    close(): Promise<void>;
  }>;
}

export type WebMode = { type: "vite" } | { type: "static"; dir: string } | { type: "none" };

export interface LocalServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8",
};

function staticHandler(dir: string) {
  const root = path.resolve(dir);
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let file = path.resolve(root, "." + decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) file = path.join(root, "index.html");
    let info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      file = path.join(root, "index.html");
      info = await stat(file).catch(() => undefined);
    }
    if (!info) {
      res.writeHead(404, { "content-type": "text/plain" }).end("The web app is not built. Run: npm run build -w @console/web");
      return;
    }
    const immutable = file.includes(`${path.sep}assets${path.sep}`);
    res.writeHead(200, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
    res.end(await readFile(file));
  };
}

export async function startLocalServer(options: { port: number; host?: string; web: WebMode }): Promise<LocalServer> {
  const api = getRequestListener(createApi().fetch);
  const host = options.host ?? "127.0.0.1";
  let web: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let closeWeb = async () => {};
  const server = createServer((req, res) => {
    if (req.url?.startsWith("/api/") || req.url === "/api") return api(req, res);
    if (web) return web(req, res);
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "not_found", message: "Not found" } }));
  });

  if (options.web.type === "vite") {
    // The web package's own Vite, so the dev server and `vite build` agree.
    const vitePath = createRequire(path.join(webRoot, "package.json")).resolve("vite");
    const { createServer: createVite } = (await import(pathToFileURL(vitePath).href)) as ViteModule;
    const vite = await createVite({
      root: webRoot,
      configFile: path.join(webRoot, "vite.config.ts"),
      appType: "spa",
      server: { middlewareMode: true, ws: { server } },
      logLevel: "warn",
    });
    web = vite.middlewares;
    closeWeb = () => vite.close();
  } else if (options.web.type === "static") {
    const handler = staticHandler(options.web.dir);
    web = (req, res) => {
      handler(req, res).catch(() => res.writeHead(500).end());
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    server,
    url: `http://${host === "127.0.0.1" ? "localhost" : host}:${port}`,
    async close() {
      await closeWeb();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
