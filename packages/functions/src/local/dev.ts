/**
 * `npm run dev`: the whole console on one port. It migrates the database (creating
 * it if missing), then serves the API and the web app. It says in one line when an
 * issue is detected and when someone signs in, and stops cleanly on Ctrl-C, on
 * SIGINT, SIGTERM or SIGHUP (to npm or to this process), and when the npm process it
 * was started from is gone (npm does not always pass signals on: ./lifeline.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { env, resetEnv } from "@console/core/env";
import { Database } from "@console/core/db";
import { setupLocalRuntime } from "./runtime";
import { startLocalServer, webRoot, type WebMode } from "./server";
import { restoreDemoConnections, startEmulator, wantsEmulator, type Emulator } from "./emulator";
import { currentEmulatedIssues } from "./kinesis";
import { cleanup } from "../cron/cleanup";
import { sweepOutbox } from "../cron/outbox";
import { retryAlerts } from "../cron/alerts";
import { advanceRuns } from "../cron/autodeploy";
import { meterAll } from "../cron/usage";
import { announceActivity } from "./activity";
import { watchParents } from "./lifeline";
import { startDemoSstDev, type DemoSstDev } from "./sst-dev/demo";
import { startDemoAutodeploy, type DemoAutodeploy } from "./autodeploy";
import { startBucketEvents } from "./bucket-events";

// Node 20 is supported by this project; the SDK's notice about its future versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// This is local development: SECRET_KEY may keep its development value (env.ts).
process.env.NODE_ENV ??= "development";
resetEnv();

const started = Date.now();
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  let emulator: Emulator | undefined;
  if (wantsEmulator()) {
    try {
      emulator = await startEmulator({ onStatus: (line) => say(`Console: ${line}`) });
      say(`Console: AWS emulator at ${emulator.moto.url}; the demo account can be connected from the web app.`);
    } catch (err) {
      say(`Console: could not start the AWS emulator (${(err as Error).message}); continuing without AWS.`);
    }
  } else if (env.AWS_ENDPOINT_URL) {
    say(`Console: using the AWS endpoint ${env.AWS_ENDPOINT_URL}`);
  } else {
    say("Console: using your AWS credentials");
  }
  say("Console: preparing the database...");
  try {
    await Database.migrate();
  } catch (err) {
    say(`\nCannot prepare the database at ${redact(env.DATABASE_URL)}: ${(err as Error).message}`);
    say("Start MySQL or MariaDB (for MariaDB: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd), or set DATABASE_URL.");
    await emulator?.stop();
    process.exit(1);
  }
  await setupLocalRuntime();
  // Autodeploy's demo: a fake GitHub App, the demo repository and the local build runner
  // (before the server starts: it sets the GITHUB_* configuration the API reads).
  let autodeploy: DemoAutodeploy | undefined;
  if (emulator) {
    autodeploy = await startDemoAutodeploy({ say }).catch((err) => {
      say(`Console: autodeploy's demo could not start (${(err as Error).message}); pushes will not deploy.`);
      return undefined;
    });
  }
  let url: string | undefined;
  announceActivity(say, () => url);
  if (emulator) {
    const restored = await restoreDemoConnections(emulator.moto.url).catch((err) => {
      say(`Console: could not restore the demo account's connection (${(err as Error).message})`);
      return 0;
    });
    if (restored) say(`Console: the demo account was connected before; its stack and log subscriptions are back in the new emulator.`);
  }
  // Bucket events (state written by a deploy): on AWS EventBridge invokes the bucket handler; here a poller.
  const bucketEvents = emulator
    ? await startBucketEvents(emulator.moto.url, { say }).catch((err) => {
        say(`Console: bucket events could not be set up (${(err as Error).message}); stages refresh on a rescan only.`);
        return undefined;
      })
    : undefined;
  // Issues: with the emulator, a poller feeds the consumer (on AWS, Kinesis invokes it).
  const poller = currentEmulatedIssues();
  poller?.start(1000);
  // The crons of AWS, here on timers; a failed run is printed and the next one tries again.
  const every = (ms: number, job: string, run: () => Promise<unknown>) => {
    const tick = () => void run().catch((err) => say(`Console: ${job} failed (${(err as Error).message}); it runs again in ${ms / 1000} s.`));
    setInterval(tick, ms).unref();
    return tick;
  };
  every(3_600_000, "housekeeping", cleanup);
  // Events whose publish failed are relayed again (on AWS: the EventRelay cron).
  every(10_000, "the event relay", sweepOutbox);
  every(60_000, "alert retries", retryAlerts);
  // Autodeploy runs (the AutodeployRuns cron on AWS, every minute): here every 3 s, so a push shows its run quickly.
  every(3_000, "autodeploy runs", () => advanceRuns());
  // Usage metering (a daily cron on AWS): at start, then every minute, so a workspace
  // that just connected (the demo) shows its usage soon; reads against the emulator are cheap.
  every(60_000, "usage metering", () => meterAll())();

  // The demo's `sst dev`: a personal stage of the demo account whose functions run here,
  // streamed to the web app's Local tab the way SST's local server streams them.
  let sstDev: DemoSstDev | undefined;
  if (emulator) {
    sstDev = await startDemoSstDev({ seed: emulator.demo }).catch((err) => {
      say(`Console: the demo's sst dev could not start (${(err as Error).message}); the Local tab will wait for a real one.`);
      return undefined;
    });
    if (sstDev) say(`Console: the demo's sst dev runs ${sstDev.app}/${sstDev.stage} locally at ${sstDev.server.url} (its Local tab shows it).`);
  }

  const dist = env.WEB_DIST ?? path.join(webRoot, "dist");
  const web: WebMode = process.argv.includes("--static") ? { type: "static", dir: dist } : { type: "vite" };
  if (web.type === "static" && !existsSync(path.join(dist, "index.html"))) {
    say(`The web app is not built in ${dist}. Run: npm run build -w @console/web`);
    process.exit(1);
  }
  const server = await startLocalServer({ port: env.PORT, host: "127.0.0.1", web }).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code === "EADDRINUSE") say(`\nPort ${env.PORT} is in use. Stop what uses it, or run with another port: PORT=3001 npm run dev`);
    else say(`\nCould not start the server: ${err.message}`);
    await emulator?.stop();
    process.exit(1);
  });
  url = server.url;
  if (autodeploy) {
    say(
      `Console: autodeploy's demo: a GitHub stand-in at ${autodeploy.github.url} (install the app from the app's Autodeploy page), ` +
        `the repository ${autodeploy.repository.fullName} at ${autodeploy.repository.dir}. ` +
        `Push a commit: type "push" here (or "push fail"), or curl -X POST ${autodeploy.pushUrl}`,
    );
    if (process.stdin.isTTY) {
      process.stdin.setEncoding("utf8");
      process.stdin.on("data", (chunk: string) => {
        const command = chunk.trim();
        if (command !== "push" && command !== "push fail") return;
        void autodeploy!.push({ fail: command === "push fail" }).catch((err) => say(`Console: the push failed (${(err as Error).message})`));
      });
    }
  }
  say(`\nConsole is running at ${server.url}  (ready in ${Date.now() - started} ms; sign-in codes are printed here; Ctrl-C to stop)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\nStopping (${signal})...`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await server.close().catch(() => {});
    await sstDev?.stop().catch(() => {});
    await autodeploy?.stop().catch(() => {});
    bucketEvents?.stop();
    await poller?.stop().catch(() => {});
    await emulator?.stop().catch(() => {});
    await Database.close().catch(() => {});
    say("Stopped.");
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(signal));
  watchParents((pid) => void stop(`process ${pid} that started the console exited`));
}

function redact(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
