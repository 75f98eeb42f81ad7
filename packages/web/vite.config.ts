/**
 * Vite config of the web app.
 *
 * - `vite build` writes the static app to packages/web/dist.
 * - `vite` (dev server) proxies /api to the local API on 127.0.0.1:3000.
 * - The local runtime can also mount Vite in middleware mode on its own port:
 *   `createServer({ configFile: <this file>, server: { middlewareMode: true }, appType: "spa" })`;
 *   `root` is set here so the config works from any working directory.
 * Unknown paths fall back to index.html (appType "spa"), as the server does in production.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

const root = fileURLToPath(new URL(".", import.meta.url));
const api = { "/api": { target: "http://127.0.0.1:3000", changeOrigin: false } };

export default defineConfig({
  root,
  appType: "spa",
  plugins: [solid()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
  server: { proxy: api },
  preview: { proxy: api },
});
