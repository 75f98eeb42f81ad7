/**
 * Bootstrap bucket events in `npm run dev`. On AWS a connected account's bucket sends its
 * S3 events through EventBridge to the console's bus, whose rule invokes the bucket
 * handler (`events/bucket.ts`). The emulator delivers the same events to the console's bus
 * but cannot invoke a function, so here the bus's rule writes them to a log group this
 * poller reads, and each goes to `Scan.fromBucketEvent` as on AWS.
 *
 * One difference of the emulator is made up for: an event it forwards to another
 * account's bus carries that bus's account instead of the bucket's, so the source account
 * is taken back from the connection that recorded the bucket.
 */
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { and, eq, or } from "drizzle-orm";
import { ConsoleIdentity, awsAccountTable, awsRegionTable } from "@console/core/account";
import { Scan } from "@console/core/account/scan";
import { Database } from "@console/core/db";
import { env } from "@console/core/env";

const LOG_GROUP = "/console/local/bucket-events";
const RULE = "console-local-bucket-events";

const ignoreExists = (err: unknown) => {
  if (!/AlreadyExists/.test((err as { name?: string }).name ?? "")) throw err;
};

async function sourceAccount(bucket: string): Promise<string | undefined> {
  const rows = await Database.use((db) =>
    db
      .selectDistinct({ accountId: awsAccountTable.accountId })
      .from(awsRegionTable)
      .innerJoin(awsAccountTable, and(eq(awsAccountTable.workspaceId, awsRegionTable.workspaceId), eq(awsAccountTable.id, awsRegionTable.connectionId)))
      .where(or(eq(awsRegionTable.stateBucket, bucket), eq(awsRegionTable.assetBucket, bucket), eq(awsRegionTable.v2Bucket, bucket))),
  );
  return rows.length === 1 ? (rows[0]!.accountId ?? undefined) : undefined;
}

export async function startBucketEvents(endpoint: string, options: { say?: (line: string) => void; intervalMs?: number } = {}) {
  const region = env.AWS_REGION;
  const cfg = { region, endpoint, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const events = new EventBridgeClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const accountId = await ConsoleIdentity.accountId();
  await events.send(new CreateEventBusCommand({ Name: env.BUS_NAME })).catch(ignoreExists);
  await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP })).catch(ignoreExists);
  await events.send(new PutRuleCommand({ Name: RULE, EventBusName: env.BUS_NAME, EventPattern: JSON.stringify({ source: ["aws.s3"] }) }));
  await events.send(
    new PutTargetsCommand({ Rule: RULE, EventBusName: env.BUS_NAME, Targets: [{ Id: "local", Arn: `arn:aws:logs:${region}:${accountId}:log-group:${LOG_GROUP}` }] }),
  );

  const seen = new Set<string>();
  let since = Date.now() - 1000;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      let token: string | undefined;
      do {
        const res = await logs.send(new FilterLogEventsCommand({ logGroupName: LOG_GROUP, startTime: since, nextToken: token }));
        for (const e of res.events ?? []) {
          if (!e.eventId || seen.has(e.eventId)) continue;
          seen.add(e.eventId);
          since = Math.max(since, (e.timestamp ?? since) - 5_000);
          const event = JSON.parse(e.message ?? "{}") as Parameters<typeof Scan.fromBucketEvent>[0];
          const bucket = event.detail?.bucket?.name;
          const account = bucket ? await sourceAccount(bucket) : undefined;
          if (account) await Scan.fromBucketEvent({ ...event, account });
        }
        token = res.nextToken;
      } while (token);
      if (seen.size > 10_000) seen.clear();
    } catch (err) {
      options.say?.(`Console: bucket events could not be read (${(err as Error).message}); trying again.`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), options.intervalMs ?? 2_000);
  timer.unref();
  return {
    poll,
    stop() {
      clearInterval(timer);
      events.destroy();
      logs.destroy();
    },
  };
}
