/**
 * Where subscription filters send log events. On AWS: a CloudWatch Logs destination
 * in the console's account, one per connection and region (a destination must be in
 * the log group's region), whose policy admits exactly that customer account, and
 * which writes to the console's Kinesis stream. The provider is chosen at start-up;
 * the local runtime swaps in one that works with the AWS emulator.
 */
import { CloudWatchLogsClient, DeleteDestinationCommand, PutDestinationCommand, PutDestinationPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AwsConfig } from "../aws/config";
import { env } from "../env";

export interface DestinationTarget {
  connectionId: string;
  accountId: string;
  region: string;
}

export interface DestinationProvider {
  /** The destination ARN for filters of this connection in this region (created when missing). */
  arn(target: DestinationTarget): Promise<string>;
  remove(target: DestinationTarget): Promise<void>;
}

export function destinationName(connectionId: string) {
  return `console-${connectionId}`;
}

/** CloudWatch Logs destinations in the console's own account. */
export class CloudWatchDestinations implements DestinationProvider {
  private clients = new Map<string, CloudWatchLogsClient>();

  constructor(private makeClient: (region: string) => CloudWatchLogsClient = (region) => new CloudWatchLogsClient(AwsConfig.console(region))) {}

  private client(region: string) {
    let c = this.clients.get(region);
    if (!c) this.clients.set(region, (c = this.makeClient(region)));
    return c;
  }

  async arn(target: DestinationTarget) {
    const streamArn = env.ISSUES_STREAM_ARN;
    const roleArn = env.ISSUES_DESTINATION_ROLE_ARN;
    if (!streamArn || !roleArn) throw new Error("ISSUES_STREAM_ARN and ISSUES_DESTINATION_ROLE_ARN must be set to subscribe to logs");
    const name = destinationName(target.connectionId);
    const logs = this.client(target.region);
    const created = await logs.send(new PutDestinationCommand({ destinationName: name, targetArn: streamArn, roleArn }));
    const arn = created.destination?.arn;
    if (!arn) throw new Error(`PutDestination returned no ARN for ${name}`);
    await logs.send(
      new PutDestinationPolicyCommand({
        destinationName: name,
        accessPolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: target.accountId }, Action: "logs:PutSubscriptionFilter", Resource: arn }],
        }),
      }),
    );
    return arn;
  }

  async remove(target: DestinationTarget) {
    try {
      await this.client(target.region).send(new DeleteDestinationCommand({ destinationName: destinationName(target.connectionId) }));
    } catch (err) {
      if ((err as { name?: string }).name !== "ResourceNotFoundException") throw err;
    }
  }
}

let provider: DestinationProvider = new CloudWatchDestinations();
const known = new Map<string, Promise<string>>();
const key = (t: { connectionId: string; region: string }) => `${t.connectionId}|${t.region}`;

export namespace Destinations {
  export function setProvider(p: DestinationProvider) {
    provider = p;
    known.clear();
  }

  /** The destination ARN, made once per process for each connection and region. */
  export function arn(target: DestinationTarget): Promise<string> {
    let p = known.get(key(target));
    if (!p) {
      p = provider.arn(target);
      known.set(key(target), p);
      p.catch(() => known.delete(key(target)));
    }
    return p;
  }

  export function forget(target: { connectionId: string; region: string }) {
    known.delete(key(target));
  }

  export async function remove(target: DestinationTarget) {
    forget(target);
    await provider.remove(target);
  }
}
