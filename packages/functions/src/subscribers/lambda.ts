/**
 * The Lambda entry of every event subscriber (see ./list.ts and infra/bus.ts): each
 * subscriber's function runs this handler with `SUBSCRIBER` naming its entry.
 */
import { env } from "@console/core/env";
import { isSubscriberName, lambdaHandler } from "./index";
import type { EventBridgeEvent } from "./types";
import type { EventEnvelope } from "@console/core/event";
import { setupRuntime } from "../runtime";

await setupRuntime();

const name = env.SUBSCRIBER;
if (!isSubscriberName(name)) throw new Error(`SUBSCRIBER must name an entry of subscribers/list.ts, got ${JSON.stringify(name)}`);
const run = lambdaHandler(name);

export async function handler(event: EventBridgeEvent<EventEnvelope>, context?: { invokedFunctionArn?: string }) {
  return run(event, context);
}
