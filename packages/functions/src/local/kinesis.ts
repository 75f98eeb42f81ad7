/**
 * Issues ingestion with the AWS emulator. moto has no CloudWatch Logs destinations
 * and delivers a subscription only to a Kinesis stream of the log group's own
 * account and region, so with the emulator the console's destination is stood in
 * for by a stream the local runtime creates there (as emulator infrastructure, not
 * through the customer's role), and a poller feeds its records to the same
 * consumer the Lambda runs on AWS.
 */
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Ingest, type DestinationProvider, type DestinationTarget, type IngestStats } from "@console/core/issue";
import { log } from "@console/core/util/log";
import { actAsAccount } from "@console/testkit/aws";
import { and, eq, ne } from "drizzle-orm";
import { Database } from "@console/core/db";
import { awsAccountTable } from "@console/core/account";
import { issueSubscriptionTable } from "@console/core/issue";

export const EMULATED_STREAM = "console-issues";

interface StreamRef {
  accountId: string;
  region: string;
  name: string;
}

interface ShardState {
  iterator?: string;
  /** Last sequence number ingested: a failed batch restarts after it. */
  after?: string;
}

export class EmulatedIssues implements DestinationProvider {
  private streams = new Map<string, StreamRef>();
  private shards = new Map<string, ShardState>();
  private clients = new Map<string, KinesisClient>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  readonly totals: IngestStats & { batches: number; failedRecords: number } = {
    records: 0, control: 0, malformed: 0, malformedReasons: {}, unrouted: 0, events: 0, errors: 0, duplicates: 0, limited: 0, stored: 0,
    newIssues: 0, regressions: 0, distinctIssues: 0, unmappedFunctions: 0, deadLettered: 0, batches: 0, failedRecords: 0,
  };

  constructor(private endpoint: string) {}

  private client(accountId: string, region: string) {
    const key = `${accountId}|${region}`;
    let c = this.clients.get(key);
    if (!c) {
      c = actAsAccount(
        new KinesisClient({
          region,
          endpoint: this.endpoint,
          credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
          requestHandler: new NodeHttpHandler(),
        }),
        accountId,
      );
      this.clients.set(key, c);
    }
    return c;
  }

  async arn(target: DestinationTarget): Promise<string> {
    const kinesis = this.client(target.accountId, target.region);
    const describe = () => kinesis.send(new DescribeStreamCommand({ StreamName: EMULATED_STREAM }));
    let described = await describe().catch(() => undefined);
    if (!described) {
      await kinesis.send(new CreateStreamCommand({ StreamName: EMULATED_STREAM, ShardCount: 1 })).catch((err) => {
        if ((err as { name?: string }).name !== "ResourceInUseException") throw err;
      });
      described = await describe();
    }
    this.streams.set(`${target.accountId}|${target.region}`, { accountId: target.accountId, region: target.region, name: EMULATED_STREAM });
    return described.StreamDescription!.StreamARN!;
  }

  /**
   * The emulated stream of an account and region is shared by every connection to that
   * account (the demo account is connected from many workspaces): it is deleted, and
   * no longer polled, only when no other connection still has a subscription there.
   */
  async remove(target: DestinationTarget) {
    const key = `${target.accountId}|${target.region}`;
    const [other] = await Database.use((db) =>
      db
        .select({ id: issueSubscriptionTable.connectionId })
        .from(issueSubscriptionTable)
        .innerJoin(
          awsAccountTable,
          and(eq(awsAccountTable.workspaceId, issueSubscriptionTable.workspaceId), eq(awsAccountTable.id, issueSubscriptionTable.connectionId)),
        )
        .where(and(eq(awsAccountTable.accountId, target.accountId), eq(issueSubscriptionTable.region, target.region), ne(issueSubscriptionTable.connectionId, target.connectionId)))
        .limit(1),
    );
    if (other) return;
    this.streams.delete(key);
    for (const k of [...this.shards.keys()]) if (k.startsWith(`${key}|`)) this.shards.delete(k);
    await this.client(target.accountId, target.region)
      .send(new DeleteStreamCommand({ StreamName: EMULATED_STREAM, EnforceConsumerDeletion: true }))
      .catch(() => undefined);
  }

  /** Reads every stream once and ingests what it finds; returns the number of records read. */
  async pollOnce(): Promise<number> {
    let read = 0;
    for (const stream of [...this.streams.values()]) {
      const kinesis = this.client(stream.accountId, stream.region);
      const shards = await kinesis.send(new ListShardsCommand({ StreamName: stream.name })).catch(() => undefined);
      for (const shard of shards?.Shards ?? []) {
        const key = `${stream.accountId}|${stream.region}|${shard.ShardId}`;
        const state = this.shards.get(key) ?? {};
        if (!state.iterator) {
          const it = await kinesis.send(
            new GetShardIteratorCommand({
              StreamName: stream.name,
              ShardId: shard.ShardId!,
              ...(state.after ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", StartingSequenceNumber: state.after } : { ShardIteratorType: "TRIM_HORIZON" }),
            }),
          );
          state.iterator = it.ShardIterator;
        }
        for (let page = 0; page < 20 && state.iterator; page++) {
          const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: 500 }));
          const records = (res.Records ?? []).map((r) => ({ id: r.SequenceNumber!, data: r.Data! }));
          if (!records.length) {
            state.iterator = res.NextShardIterator;
            break;
          }
          read += records.length;
          const result = await Ingest.batch(records);
          this.totals.batches++;
          for (const [k, v] of Object.entries(result.stats)) {
            const totals = this.totals as unknown as Record<string, number>;
            if (typeof v === "number") totals[k] = (totals[k] ?? 0) + v;
          }
          for (const [reason, n] of Object.entries(result.stats.malformedReasons)) this.totals.malformedReasons[reason] = (this.totals.malformedReasons[reason] ?? 0) + n;
          this.totals.failedRecords += result.failed.length;
          if (result.failed.length) {
            // Lambda semantics: resume at the lowest failed record; the ones before it are done.
            const failed = new Set(result.failed);
            const firstFailed = records.findIndex((r) => failed.has(r.id));
            state.after = firstFailed > 0 ? records[firstFailed - 1]!.id : state.after;
            state.iterator = undefined;
            log.warn("ingest reported failed records; they will be read again", { failed: result.failed.length });
            break;
          }
          state.after = records[records.length - 1]!.id;
          state.iterator = res.NextShardIterator;
        }
        this.shards.set(key, state);
      }
    }
    return read;
  }

  /** Polls until a round reads nothing. */
  async drain(): Promise<void> {
    for (let i = 0; i < 50; i++) if ((await this.pollOnce()) === 0) return;
  }

  /** Finds the streams of subscriptions made before this process started (a kept emulator). */
  async restore() {
    const rows = await Database.use((db) =>
      db
        .selectDistinct({ accountId: awsAccountTable.accountId, region: issueSubscriptionTable.region })
        .from(issueSubscriptionTable)
        .innerJoin(
          awsAccountTable,
          and(eq(awsAccountTable.workspaceId, issueSubscriptionTable.workspaceId), eq(awsAccountTable.id, issueSubscriptionTable.connectionId)),
        ),
    );
    for (const r of rows) if (r.accountId) this.streams.set(`${r.accountId}|${r.region}`, { accountId: r.accountId, region: r.region, name: EMULATED_STREAM });
  }

  start(intervalMs = 1000) {
    void this.restore().catch((err) => log.warn("could not restore the emulated issue streams", { err }));
    const tick = () => {
      this.running = this.pollOnce()
        .catch((err) => log.warn("issue poller failed", { err }))
        .then(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop() {
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.running;
  }
}

let current: EmulatedIssues | undefined;

export function emulatedIssues(endpoint: string) {
  current ??= new EmulatedIssues(endpoint);
  return current;
}

export function currentEmulatedIssues() {
  return current;
}
