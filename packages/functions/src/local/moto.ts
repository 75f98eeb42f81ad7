/**
 * Starts the AWS emulator (moto_server) on 127.0.0.1 and a free port. Used by the
 * local runtime when no AWS credentials are set, and by the test setup.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface Moto {
  url: string;
  port: number;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number) {
  const started = Date.now();
  let exited: number | null = null;
  child.once("exit", (code) => (exited = code ?? -1));
  while (Date.now() - started < timeoutMs) {
    if (exited !== null) throw new Error(`moto_server exited with code ${exited}`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer at ${url} within ${timeoutMs} ms`);
}

async function configureMoto(url: string) {
  const res = await fetch(`${url}/moto-api/config`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ lambda: { use_docker: false } }),
  });
  if (!res.ok) throw new Error(`moto config failed: ${res.status}`);
}

export async function startMoto(options: { port?: number; quiet?: boolean } = {}): Promise<Moto> {
  const port = options.port ?? (await freePort());
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: options.quiet === false ? "inherit" : "ignore",
    detached: false,
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "ENOENT"
          ? new Error("moto_server is not installed. Install it with: pip install 'moto[server]'")
          : err,
      ),
    ),
  );
  // Never leave an emulator behind, however this process ends.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitFor(url, child, 30_000), spawnError]);
  await configureMoto(url);
  return {
    url,
    port,
    async reset() {
      await fetch(`${url}/moto-api/reset`, { method: "POST" });
      await configureMoto(url);
    },
    stop() {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
    },
  };
}
