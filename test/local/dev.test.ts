/**
 * `npm run dev` in the terminal: one line when an issue is detected and when someone
 * signs in (in this process, through the same announcer), and a real `npm run dev`
 * process that stops, with everything it started, on SIGTERM and SIGHUP sent to npm,
 * and when npm is killed outright (it cannot pass anything on then).
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemoAccount } from "@console/testkit/seed";
import { announceActivity } from "../../packages/functions/src/local/activity";
import { Bus } from "../../packages/core/src/event";
import { call, createWorkspace, signIn } from "../setup/api";
import { connectAccount, motoUrl, randomAccountId } from "../setup/aws";
import { happen } from "../setup/issues";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("what npm run dev says", () => {
  const lines: string[] = [];
  let stopSignIns: (() => void) | undefined;
  beforeAll(() => {
    stopSignIns = announceActivity((line) => lines.push(line), () => "http://127.0.0.1:3000");
    return () => stopSignIns?.();
  });

  it("one line when someone signs in, and one when an issue is detected", async () => {
    const { token, email } = await signIn();
    expect(lines).toContain(`Console: ${email} signed in`);

    const seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
    const ws = await createWorkspace(token);
    const connectionId = (await connectAccount(token, ws.slug, seed.accountId)).id;
    const fn = seed.functions.find((f) => f.app === "acme-api" && f.stage === "production" && f.component === "OrderWorker")!;
    await happen({ accountId: seed.accountId, connectionId, fn }, "createOrder", { id: "x", items: [] });
    await Bus.idle();
    const issue = ((await call("GET", `/api/workspaces/${ws.slug}/issues`, { token })).body.issues as { id: string }[])[0]!;
    const line = lines.find((l) => l.includes("new issue"));
    expect(line).toBe(line?.split("\n")[0]);
    expect(line).toMatch(/^Console: new issue in acme-api\/production: ZodError: /);
    expect(line).toContain(`http://127.0.0.1:3000/${ws.slug}/issues/${issue.id}`);
  }, 120_000);
});

/** Every process below `pid` (from /proc). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const running = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0]!);
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** `npm run dev` until it says it is running; its output so far. */
async function startDev(): Promise<{ npm: ChildProcess; output: () => string; url: string }> {
  const port = await freePort();
  const npm = spawn("npm", ["run", "dev", "--", "--static"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), WEB_DIST: process.env.WEB_DIST, EMAIL_TRANSPORT: "console", LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  npm.stdout!.on("data", (d) => (output += String(d)));
  npm.stderr!.on("data", (d) => (output += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /Console is running at (\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    npm.stdout!.on("data", onData);
    npm.once("exit", (code) => reject(new Error(`npm run dev exited (${code}):\n${output}`)));
    setTimeout(() => reject(new Error(`npm run dev did not start within 60 s:\n${output}`)), 60_000).unref();
  });
  return { npm, output: () => output, url };
}

/** Resolves when none of `pids` runs any more. */
async function allGone(pids: number[]) {
  while (pids.some(running)) await new Promise((r) => setTimeout(r, 100));
}

describe("npm run dev stops", () => {
  let leftover: number[] = [];
  afterEach(() => {
    for (const pid of leftover) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    leftover = [];
  });

  for (const signal of ["SIGTERM", "SIGHUP", "SIGKILL"] as const) {
    it(`with everything it started when npm gets ${signal}`, async () => {
      const dev = await startDev();
      const pids = descendants(dev.npm.pid!);
      leftover = [dev.npm.pid!, ...pids];
      expect(pids.length).toBeGreaterThan(0);
      expect((await fetch(dev.url)).status).toBe(200);
      dev.npm.kill(signal);
      await allGone([dev.npm.pid!, ...pids]);
      expect(pids.filter(running)).toEqual([]);
      if (signal !== "SIGKILL") expect(dev.output()).toContain("Stopped.");
    }, 90_000);
  }
});
