/**
 * The runtime of `npm run dev` and of the tests: the same choices as on AWS
 * (../runtime.ts), and, with the AWS emulator, log subscriptions sent to emulated
 * streams that a local poller reads (./kinesis.ts). Only local entries import this,
 * so nothing that runs on Lambda reaches the emulator helpers of @console/testkit.
 */
import { env } from "@console/core/env";
import { Destinations } from "@console/core/issue";
import { setupRuntime } from "../runtime";
import { emulatedIssues } from "./kinesis";

let ready: Promise<void> | undefined;

export function setupLocalRuntime(): Promise<void> {
  ready ??= (async () => {
    await setupRuntime();
    if (env.BUS !== "eventbridge" && env.AWS_ENDPOINT_URL) Destinations.setProvider(emulatedIssues(env.AWS_ENDPOINT_URL));
  })();
  return ready;
}
