/**
 * Bootstrap bucket events forwarded from customer accounts to the console's bus.
 * The event is trusted for its source account and bucket only (see Scan.fromBucketEvent).
 */
import { Scan } from "@console/core/account/scan";
import type { EventBridgeEvent } from "../subscribers/types";
import { setupRuntime } from "../runtime";

await setupRuntime();

export async function handler(event: EventBridgeEvent<{ bucket?: { name?: string }; object?: { key?: string } }>) {
  return { synced: await Scan.fromBucketEvent(event) };
}
