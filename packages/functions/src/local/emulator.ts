/**
 * The local AWS: when `npm run dev` has no AWS credentials, it starts the emulator
 * (moto_server), seeds a demo customer account with SST apps, and lets the web app
 * connect it in one click (the API's demo provider deploys the connection stack
 * into it, as its owner would).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { Account, awsAccountTable, awsRegionTable } from "@console/core/account";
import { Scan } from "@console/core/account/scan";
import { Actor } from "@console/core/actor";
import { App } from "@console/core/app";
import { Database } from "@console/core/db";
import { env, resetEnv } from "@console/core/env";
import { Subscriptions, issueSubscriptionTable } from "@console/core/issue";
import { setDemoProvider } from "../api/demo";
import { seedDemoAccount, type SeedResult } from "@console/testkit/seed";
import { seedDemoMetrics } from "@console/testkit/metrics";
import { startMoto, type Moto } from "./moto";
import { deployConnectionStack } from "./stack";
import { bundleDemo } from "@console/testkit/programs";
import { startTraffic } from "@console/testkit/traffic";
import { useDemoRuntime } from "./demo-invoker";
import { zipFiles } from "@console/testkit/zip";

export const DEMO_ACCOUNT_ID = "210987654321";
/** The demo connection stack's parameters besides the link's: autodeploy on. */
const DEMO_STACK_PARAMETERS = { Autodeploy: "true" };

export interface Emulator {
  moto: Moto;
  demo: SeedResult;
  stop(): Promise<void>;
}

/** Whether real AWS credentials are configured (then the console talks to AWS). */
function hasAwsCredentials(): boolean {
  return !!(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || existsSync(path.join(homedir(), ".aws", "credentials")));
}

export function wantsEmulator(): boolean {
  if (env.AWS_ENDPOINT_URL) return false;
  if (env.AWS_EMULATOR === "on") return true;
  if (env.AWS_EMULATOR === "off") return false;
  return !hasAwsCredentials();
}

/** Points the console at an emulator and registers the demo account provider. */
function useEmulator(url: string, demoAccountId: string) {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "testing",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "testing",
    DEMO_ACCOUNT_ID: demoAccountId,
  });
  resetEnv();
  setDemoProvider({
    accountId: demoAccountId,
    // The demo's owner turns autodeploy on (the runner role), so a push in the demo can deploy.
    deployStack: (info) => deployConnectionStack({ endpoint: url, accountId: demoAccountId, info, parameters: DEMO_STACK_PARAMETERS }),
  });
}

/** The deployed demo functions whose code is the demo program (their maps go to the asset buckets). */
const MAPPED = [
  "acme-api/production/Api",
  "acme-api/production/OrderWorker",
  "acme-api/production/NightlyReport",
  "acme-storefront/production/Checkout",
  "acme-storefront/production/SendEmail",
];

/**
 * A new emulator starts empty, but the database may remember the demo account as
 * connected (from an earlier run): put back what the account and the console had
 * in it (the connection stack, the forwarding rules, the log subscriptions).
 */
export async function restoreDemoConnections(endpoint: string): Promise<number> {
  const rows = await Database.use((db) =>
    db
      .select({ workspaceId: awsAccountTable.workspaceId, id: awsAccountTable.id })
      .from(awsAccountTable)
      .where(and(eq(awsAccountTable.accountId, DEMO_ACCOUNT_ID), inArray(awsAccountTable.status, ["connected", "scanning", "failed"]))),
  );
  for (const row of rows) {
    await Actor.system("demo-restore", { id: row.workspaceId, slug: "" }, async () => {
      await deployConnectionStack({ endpoint, accountId: DEMO_ACCOUNT_ID, info: await Account.connectInfo(row.id), parameters: DEMO_STACK_PARAMETERS });
      await Database.use((db) =>
        db
          .delete(issueSubscriptionTable)
          .where(and(eq(issueSubscriptionTable.workspaceId, row.workspaceId), eq(issueSubscriptionTable.connectionId, row.id))),
      );
      await Database.use((db) =>
        db.delete(awsRegionTable).where(and(eq(awsRegionTable.workspaceId, row.workspaceId), eq(awsRegionTable.connectionId, row.id))),
      );
      await Scan.run(row.id);
      for (const stage of (await App.stages()).filter((s) => s.connectionId === row.id)) await Subscriptions.syncStage(stage.id);
    });
  }
  return rows.length;
}

export async function startEmulator(options: { onStatus?: (line: string) => void; traffic?: boolean } = {}): Promise<Emulator> {
  const say = options.onStatus ?? (() => {});
  say("starting the AWS emulator (moto_server)...");
  const moto = await startMoto();
  say(`seeding the demo account ${DEMO_ACCOUNT_ID}...`);
  let sourcemaps: { functionName: string; map: string; file: string }[] = [];
  let code: { functionName: string; zip: Uint8Array }[] = [];
  try {
    const bundle = await bundleDemo();
    const zip = zipFiles({ "index.mjs": bundle.code });
    sourcemaps = MAPPED.map((functionName) => ({ functionName, map: bundle.map, file: "index.mjs" }));
    code = MAPPED.map((functionName) => ({ functionName, zip }));
  } catch (err) {
    say(`the demo bundle could not be built (${(err as Error).message}); demo errors will not be source-mapped`);
  }
  const demo = await seedDemoAccount({ endpoint: moto.url, accountId: DEMO_ACCOUNT_ID, sourcemaps, code });
  // Invocation metrics, so the demo workspace's usage page shows a chart and a cost.
  await seedDemoMetrics({ endpoint: moto.url, accountId: DEMO_ACCOUNT_ID }, demo).catch((err) =>
    say(`demo metrics could not be put (${(err as Error).message}); the usage page will be empty`),
  );
  useEmulator(moto.url, DEMO_ACCOUNT_ID);
  // The emulator's Lambda runs no code: the demo's functions run here, for the console's
  // invocations (the invoker seam) and for the demo traffic alike.
  const functions = useDemoRuntime({ endpoint: moto.url, accountId: DEMO_ACCOUNT_ID, functions: demo.functions });
  const traffic = options.traffic === false ? undefined : startTraffic(functions.runtime);
  return {
    moto,
    demo,
    async stop() {
      traffic?.stop();
      functions.stop();
      setDemoProvider(undefined);
      await moto.stop();
    },
  };
}
