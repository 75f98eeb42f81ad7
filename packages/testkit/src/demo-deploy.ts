/**
 * What the demo repository's `console:deploy` script does instead of `sst deploy` (the SST
 * CLI cannot run here): it writes into the demo account's state bucket, through the AWS
 * endpoint and credentials the build got, what an `sst deploy` leaves behind:
 *
 * - a new checkpoint `app/<app>/<stage>.json` (the stage's resources, its manifest time now),
 *   so discovery refreshes the stage;
 * - `update/`, `summary/` and `snapshot/` records and the `eventlog/` of the deploy, with
 *   `runID` = `SST_RUN_ID` (the console's run), so the deploy history lists it and links it
 *   to its run.
 *
 * `remove` leaves what `sst remove` leaves: an empty checkpoint and a `remove` update. A
 * repository holding a `deploy.fail` file makes the deploy fail on one resource, with its
 * error in the update and the event log (and the script exits 1).
 */
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { actAsAccount } from "./aws";
import { demoApiStage, DEMO_API_APP } from "./seed";
import { buildV3EventLog, buildV3Stage, buildV3Update, type V3DeployStep } from "./sst-state";

export interface DemoDeployInput {
  app?: string;
  stage: string;
  action: "deploy" | "remove";
  runId?: string;
  region: string;
  /** The demo account (the emulator picks accounts by a header). */
  accountId: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Make the deploy fail on a resource. */
  fail?: boolean;
  now?: Date;
  say?: (line: string) => void;
}

const FUNCTION_TYPE = "aws:lambda/function:Function";

function read(body: Uint8Array): string {
  const bytes = Buffer.from(body);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}

export async function deployDemoStage(input: DemoDeployInput): Promise<{ updateId: string; key: string; failed: boolean }> {
  const app = input.app ?? DEMO_API_APP;
  const say = input.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = input.now ?? new Date();
  const config = { region: input.region, endpoint: input.endpoint, credentials: input.credentials, maxAttempts: 3 };
  const s3 = actAsAccount(new S3Client({ ...config, forcePathStyle: true }), input.accountId);
  const ssm = actAsAccount(new SSMClient(config), input.accountId);
  try {
    const bootstrap = await ssm.send(new GetParameterCommand({ Name: "/sst/bootstrap", WithDecryption: true }));
    const bucket = (JSON.parse(bootstrap.Parameter?.Value ?? "{}") as { state?: string }).state;
    if (!bucket) throw new Error(`SST is not bootstrapped in ${input.region} (no /sst/bootstrap)`);
    const key = `app/${app}/${input.stage}.json`;
    say(`SST 3.3.64  ready!`);
    say(`➜  App:        ${app}`);
    say(`   Stage:      ${input.stage}`);
    say("");
    say(input.action === "remove" ? "~  Remove" : "~  Deploy");

    let checkpoint: Record<string, any> | undefined;
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = read(await got.Body!.transformToByteArray());
      checkpoint = text.trim() ? JSON.parse(text) : undefined;
    } catch (err) {
      if ((err as { name?: string }).name !== "NoSuchKey") throw err;
    }
    const start = new Date(now.getTime() - 42_000);
    let urns: string[] = [];
    let steps: V3DeployStep[];
    if (input.action === "remove") {
      urns = ((checkpoint?.checkpoint?.latest?.resources ?? []) as { urn: string }[]).map((r) => r.urn);
      steps = urns.filter((u) => !u.includes("pulumi:providers:") && !u.includes("pulumi:pulumi:Stack")).map((urn) => ({ urn, op: "delete" as const }));
      checkpoint = undefined;
    } else if (checkpoint) {
      const resources = (checkpoint.checkpoint?.latest?.resources ?? []) as { urn: string; type: string }[];
      urns = resources.map((r) => r.urn);
      steps = resources.filter((r) => r.type === FUNCTION_TYPE).map((r) => ({ urn: r.urn, op: "update" as const }));
      checkpoint.checkpoint.latest.manifest.time = now.toISOString();
    } else {
      const built = buildV3Stage({ ...demoApiStage(input.region, input.accountId, input.stage, now), app });
      checkpoint = built.checkpoint;
      urns = built.urns;
      steps = urns.filter((u) => !u.includes("pulumi:providers:") && !u.includes("pulumi:pulumi:Stack")).map((urn) => ({ urn, op: "create" as const }));
    }
    if (input.fail) {
      const failing = `urn:pulumi:${input.stage}::${app}::sst:aws:Function$aws:lambda/function:Function::ReportsFunction`;
      steps = [...steps.slice(0, 1), { urn: failing, op: "create", error: "creating Lambda Function: InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda." }];
    }
    for (const step of steps) {
      const name = step.urn.split("::").pop();
      say(step.error ? `✕  Failed    ${name}` : `|  ${step.op === "create" ? "Created" : step.op === "delete" ? "Deleted" : "Updated"}    ${name}`);
      if (step.error) say(`   ${step.error}`);
    }
    const errors = steps.filter((s) => s.error).map((s) => ({ urn: s.urn, message: s.error! }));
    const update = buildV3Update(app, input.stage, now, `${input.runId ?? "cli"}/${now.getTime()}`, input.action, {
      runId: input.runId ?? false,
      durationMs: now.getTime() - start.getTime(),
      errors,
    });
    const changed = new Set(steps.map((s) => s.urn));
    const eventlog = buildV3EventLog(start, steps, input.action === "remove" ? [] : urns.filter((u) => !changed.has(u) && !u.includes("pulumi:providers:")));
    if (!errors.length) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: checkpoint ? JSON.stringify(checkpoint) : new Uint8Array(0), ContentType: "application/json" }),
      );
      if (checkpoint) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: update.key.snapshot, Body: JSON.stringify(checkpoint) }));
    }
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `eventlog/${app}/${input.stage}/${update.id}.json`, Body: eventlog }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: update.key.summary, Body: JSON.stringify(update.summary) }));
    // Last, as SST writes it: the update record is what marks a deploy complete.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: update.key.update, Body: JSON.stringify(update.update) }));
    say("");
    say(errors.length ? `✕  Failed` : input.action === "remove" ? "✓  Removed" : "✓  Complete");
    return { updateId: update.id, key, failed: errors.length > 0 };
  } finally {
    s3.destroy();
    ssm.destroy();
  }
}

/** The demo repository's `deploy.mjs` calls this with the build's environment. */
export async function deployFromBuildEnv(action: "deploy" | "remove", cwd = process.cwd()): Promise<void> {
  const env = process.env;
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (this script runs in a Console build)`);
    return value;
  };
  const result = await deployDemoStage({
    stage: need("CONSOLE_STAGE"),
    action,
    runId: env.SST_RUN_ID,
    region: need("AWS_REGION"),
    accountId: need("CONSOLE_ACCOUNT_ID"),
    endpoint: need("AWS_ENDPOINT_URL"),
    credentials: { accessKeyId: need("AWS_ACCESS_KEY_ID"), secretAccessKey: need("AWS_SECRET_ACCESS_KEY"), sessionToken: env.AWS_SESSION_TOKEN },
    fail: existsSync(`${cwd}/deploy.fail`) ? true : undefined,
  });
  if (result.failed) {
    const reason = existsSync(`${cwd}/deploy.fail`) ? readFileSync(`${cwd}/deploy.fail`, "utf8").trim() : "";
    throw new Error(`The deploy failed${reason ? ` (${reason})` : ""}`);
  }
}
