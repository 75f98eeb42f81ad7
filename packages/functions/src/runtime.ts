/**
 * Chooses, once at start-up, how events travel: EventBridge on AWS, or the
 * in-process bus (local runtime and tests) with every subscriber registered here.
 */
import { Bus, LocalTransport } from "@console/core/event";
import { env } from "@console/core/env";
import { EventBridgeTransport } from "@console/core/aws/bus";
import { registerSubscribers } from "./subscribers";
import { Destinations } from "@console/core/issue";
import { emulatedIssues } from "./local/kinesis";

let ready: Promise<void> | undefined;

export function setupRuntime(): Promise<void> {
  ready ??= (async () => {
    if (env.BUS === "eventbridge") {
      Bus.setTransport(new EventBridgeTransport(env.BUS_NAME));
      return;
    }
    const local = new LocalTransport();
    Bus.setTransport(local);
    registerSubscribers();
    // With the AWS emulator, log subscriptions go to emulated streams that a local poller reads.
    if (env.AWS_ENDPOINT_URL) Destinations.setProvider(emulatedIssues(env.AWS_ENDPOINT_URL));
  })();
  return ready;
}
