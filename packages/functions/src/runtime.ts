/**
 * Chooses, once at start-up, how events travel: EventBridge on AWS, or the
 * in-process bus (local runtime and tests) with every subscriber registered here.
 * Lambda entries call this; the local runtime and the tests call
 * ./local/runtime.ts, which adds what only the emulator needs.
 */
import { Bus, LocalTransport } from "@console/core/event";
import { assertConfig, env } from "@console/core/env";
import { EventBridgeTransport } from "@console/core/aws/bus";
import { Executors } from "@console/core/autodeploy/executor";
import { codebuildExecutor } from "@console/core/autodeploy/codebuild";
import { registerSubscribers } from "./subscribers";

let ready: Promise<void> | undefined;

export function setupRuntime(): Promise<void> {
  ready ??= (async () => {
    // A deployment with a missing or weak SECRET_KEY (or any bad setting) stops here.
    assertConfig();
    // Autodeploy builds run in CodeBuild in the customer's account (with the emulator, its
    // CodeBuild records builds but runs none: `npm run dev` replaces this with the local executor).
    Executors.set(codebuildExecutor({ emulator: !!env.AWS_ENDPOINT_URL }));
    if (env.BUS === "eventbridge") {
      Bus.setTransport(new EventBridgeTransport(env.BUS_NAME));
      return;
    }
    Bus.setTransport(new LocalTransport());
    registerSubscribers();
  })();
  return ready;
}
