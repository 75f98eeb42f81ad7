/**
 * The console's calls in its own AWS account, recorded on the SDK clients the way
 * test/discovery/connect.test.ts records calls in customer accounts: the event bus
 * transport and the CloudWatch Logs destinations, against the emulator, each call
 * checked against the permissions the console's functions get
 * (packages/core/src/aws/own-permissions.ts, which infra/ makes its IAM statements from).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeDestinationsCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateStreamCommand, DescribeStreamCommand, KinesisClient } from "@aws-sdk/client-kinesis";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { actionMatches, wildcardMatch } from "../../packages/workspace-template/src";
import { AwsConfig } from "../../packages/core/src/aws/config";
import { EVENT_SOURCE, EventBridgeTransport } from "../../packages/core/src/aws/bus";
import { OWN_PERMISSIONS, ownResources } from "../../packages/core/src/aws/own-permissions";
import { resetEnv } from "../../packages/core/src/env";
import { createId } from "../../packages/core/src/id";
import type { EventEnvelope } from "../../packages/core/src/event";
import { CloudWatchDestinations, destinationName } from "../../packages/core/src/issue/destination";

/** moto's account when a request names none: the console's own. */
const CONSOLE_ACCOUNT = "123456789012";
const REGION = "us-east-1";

interface Recorded {
  operation: string;
  input: Record<string, any>;
  region?: string;
}

/** Records every command `client` sends into `calls`. */
function recording<C extends { middlewareStack: any }>(client: C, calls: Recorded[] = [], region?: string): { client: C; calls: Recorded[] } {
  client.middlewareStack.add(
    (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any) => {
      calls.push({ operation: (context.commandName ?? "").replace(/Command$/, ""), input: args.input, region });
      return next(args);
    },
    { step: "initialize", name: "testRecorder" },
  );
  return { client, calls };
}

function envelope(type: string, n: number): EventEnvelope {
  return { id: createId(), type, properties: { n }, metadata: { time: new Date().toISOString(), workspaceId: createId(), actor: { type: "system" } as EventEnvelope["metadata"]["actor"] } };
}

const suffix = () => randomBytes(4).toString("hex");

describe("EventBridgeTransport", () => {
  const bus = `console-test-${suffix()}`;
  const logGroup = `/test/bus/${bus}`;
  const admin = new EventBridgeClient(AwsConfig.console());
  const logs = new CloudWatchLogsClient(AwsConfig.console());

  beforeAll(async () => {
    await admin.send(new CreateEventBusCommand({ Name: bus }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
    // What infra/bus.ts does for each subscriber: a rule on the console's own events.
    await admin.send(new PutRuleCommand({ Name: `${bus}-all`, EventBusName: bus, EventPattern: JSON.stringify({ source: [EVENT_SOURCE] }) }));
    await admin.send(
      new PutTargetsCommand({ Rule: `${bus}-all`, EventBusName: bus, Targets: [{ Id: "log", Arn: `arn:aws:logs:${REGION}:${CONSOLE_ACCOUNT}:log-group:${logGroup}` }] }),
    );
  });

  it("puts each envelope on the bus as source console, its type as detail type, in batches of at most 10", async () => {
    const { client, calls } = recording(new EventBridgeClient(AwsConfig.console()));
    const transport = new EventBridgeTransport(bus, client);
    const events = Array.from({ length: 23 }, (_, i) => envelope(i % 2 ? "stage.updated" : "account.connected", i));
    await transport.publish(events);

    expect(calls.map((c) => c.operation)).toEqual(["PutEvents", "PutEvents", "PutEvents"]);
    expect(calls.map((c) => c.input.Entries.length)).toEqual([10, 10, 3]);
    const entries = calls.flatMap((c) => c.input.Entries as { EventBusName: string; Source: string; DetailType: string; Detail: string }[]);
    for (const [i, e] of entries.entries()) {
      // What the functions' link to the bus grants: events:PutEvents on that bus, nothing else.
      expect(e.EventBusName).toBe(bus);
      expect(e.Source).toBe("console");
      expect(e.DetailType).toBe(events[i]!.type);
      expect(JSON.parse(e.Detail)).toEqual(events[i]);
    }

    // The bus delivered them to the rule's target, detail intact.
    let delivered: { detail: EventEnvelope; "detail-type": string; source: string }[] = [];
    for (let i = 0; i < 50 && delivered.length < events.length; i++) {
      const res = await logs.send(new FilterLogEventsCommand({ logGroupName: logGroup }));
      delivered = (res.events ?? []).map((e) => JSON.parse(e.message!));
      if (delivered.length < events.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(delivered.map((d) => d.detail.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(delivered.every((d) => d.source === "console" && d["detail-type"] === d.detail.type)).toBe(true);
  });

  it("fails the publish when the bus rejects an entry, or the bus is missing", async () => {
    const { client, calls } = recording(new EventBridgeClient(AwsConfig.console()));
    // An entry EventBridge refuses (no detail type): PutEvents answers with a failed entry.
    await expect(new EventBridgeTransport(bus, client).publish([envelope("account.connected", 1), envelope("", 2)])).rejects.toThrow(
      /EventBridge rejected 1 event/,
    );
    await expect(new EventBridgeTransport(`missing-${suffix()}`, client).publish([envelope("account.connected", 1)])).rejects.toThrow(/does not exist/);
    expect(calls.map((c) => c.operation)).toEqual(["PutEvents", "PutEvents"]);
  });
});

describe("CloudWatchDestinations", () => {
  const saved = { ...process.env };
  const streamName = `console-issues-${suffix()}`;
  let streamArn: string;
  const roleArn = `arn:aws:iam::${CONSOLE_ACCOUNT}:role/console-issue-destination`;
  const regions = ["us-east-1", "eu-west-1"];
  const recorded: Recorded[] = [];
  const provider = new CloudWatchDestinations((region) => recording(new CloudWatchLogsClient(AwsConfig.console(region)), recorded, region).client);

  beforeAll(async () => {
    const kinesis = new KinesisClient({ ...AwsConfig.console(), requestHandler: new NodeHttpHandler() });
    await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
    streamArn = (await kinesis.send(new DescribeStreamCommand({ StreamName: streamName }))).StreamDescription!.StreamARN!;
    Object.assign(process.env, { ISSUES_STREAM_ARN: streamArn, ISSUES_DESTINATION_ROLE_ARN: roleArn });
    resetEnv();
  });

  afterAll(() => {
    process.env = saved;
    resetEnv();
  });

  it("makes one destination per connection and region, admitting only the customer's account, and removes it", async () => {
    const connectionId = createId();
    const customer = "210987654321";
    const arns = [];
    for (const region of regions) arns.push(await provider.arn({ connectionId, accountId: customer, region }));
    expect(arns).toEqual(regions.map((r) => `arn:aws:logs:${r}:${CONSOLE_ACCOUNT}:destination:${destinationName(connectionId)}`));

    // Every call is one the console's functions may make, on a resource they may touch.
    const allowed = OWN_PERMISSIONS.logDestinations;
    for (const call of recorded) {
      const action = `logs:${call.operation}`;
      const resource = `arn:aws:logs:${call.region}:${CONSOLE_ACCOUNT}:destination:${call.input.destinationName}`;
      expect(allowed.actions.some((a) => actionMatches(a, action)), action).toBe(true);
      expect(ownResources(allowed.resources, CONSOLE_ACCOUNT).some((r) => wildcardMatch(r, resource)), resource).toBe(true);
    }
    const puts = recorded.filter((c) => c.operation === "PutDestination");
    expect(puts).toHaveLength(2);
    // The role passed is the one infra lets the functions pass (iam:PassRole on the destination role only).
    for (const p of puts) expect(p.input).toMatchObject({ targetArn: streamArn, roleArn });
    const policies = recorded.filter((c) => c.operation === "PutDestinationPolicy").map((c) => JSON.parse(c.input.accessPolicy));
    expect(policies).toHaveLength(2);
    for (const [i, policy] of policies.entries()) {
      expect(policy.Statement).toEqual([{ Effect: "Allow", Principal: { AWS: customer }, Action: "logs:PutSubscriptionFilter", Resource: arns[i] }]);
    }

    // The emulator has them, pointing at the stream.
    for (const region of regions) {
      const logs = new CloudWatchLogsClient(AwsConfig.console(region));
      const found = await logs.send(new DescribeDestinationsCommand({ DestinationNamePrefix: destinationName(connectionId) }));
      expect(found.destinations?.map((d) => [d.destinationName, d.targetArn])).toEqual([[destinationName(connectionId), streamArn]]);
    }

    recorded.length = 0;
    for (const region of regions) await provider.remove({ connectionId, accountId: customer, region });
    // Removing again (a retried disconnect) is not an error.
    await provider.remove({ connectionId, accountId: customer, region: regions[0]! });
    expect(recorded.map((c) => c.operation)).toEqual(["DeleteDestination", "DeleteDestination", "DeleteDestination"]);
    const left = await new CloudWatchLogsClient(AwsConfig.console(regions[0])).send(new DescribeDestinationsCommand({ DestinationNamePrefix: destinationName(connectionId) }));
    expect(left.destinations ?? []).toEqual([]);
  });

  it("says what is missing when the stream is not configured", async () => {
    delete process.env.ISSUES_STREAM_ARN;
    resetEnv();
    try {
      await expect(new CloudWatchDestinations().arn({ connectionId: createId(), accountId: "210987654321", region: REGION })).rejects.toThrow(/ISSUES_STREAM_ARN/);
    } finally {
      process.env.ISSUES_STREAM_ARN = streamArn;
      resetEnv();
    }
  });
});
