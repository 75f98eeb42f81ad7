/**
 * Event subscribers. Each is one entry here; on AWS each runs as its own Lambda
 * behind an EventBridge rule on the console's bus (infra/bus.ts uses `subscribers`
 * to create them), and locally they are registered with the in-process bus.
 * A subscriber runs as the system inside the workspace the event came from.
 */
import type { EventBridgeEvent } from "./types";
import { Actor } from "@console/core/actor";
import { Bus, type EventDefinition, type EventEnvelope } from "@console/core/event";
import { Account } from "@console/core/account";
import { Cleanup } from "@console/core/account/cleanup";
import { Scan } from "@console/core/account/scan";
import { App } from "@console/core/app";
import { Subscriptions } from "@console/core/issue";
import { Workspace } from "@console/core/workspace";
import { log } from "@console/core/util/log";

/** Disconnect: each domain takes away what it put in the account, then the connection goes. */
async function disconnect(connectionId: string) {
  await Subscriptions.removeAccount(connectionId);
  return Cleanup.run(connectionId);
}

interface Subscriber {
  event: EventDefinition;
  run(event: EventEnvelope<any>): Promise<unknown>;
}

export const subscribers = {
  scanOnConnect: { event: Account.Events.Connected, run: (e) => Scan.run(e.properties.connectionId) },
  scanOnRequest: { event: Account.Events.ScanRequested, run: (e) => Scan.run(e.properties.connectionId) },
  disconnect: { event: Account.Events.DisconnectRequested, run: (e) => disconnect(e.properties.connectionId) },
  // A deleted workspace takes what the console put in its accounts away with it.
  cleanupWorkspace: {
    event: Workspace.Events.Deleted,
    run: async () => {
      for (const account of await Account.list()) await disconnect(account.id);
    },
  },
  subscribeStage: { event: App.events.StageUpdated, run: (e) => Subscriptions.syncStage(e.properties.stageId) },
  unsubscribeStage: { event: App.events.StageRemoved, run: (e) => Subscriptions.removeStage(e.properties.stageId, e.properties.connectionId) },
} satisfies Record<string, Subscriber>;

export type SubscriberName = keyof typeof subscribers;

function inWorkspace(subscriber: Subscriber, envelope: EventEnvelope) {
  const workspaceId = envelope.metadata.workspaceId;
  if (!workspaceId) throw new Error(`event ${envelope.type} has no workspace`);
  return Actor.system(envelope.type, { id: workspaceId, slug: "" }, () => subscriber.run(envelope));
}

export function registerSubscribers() {
  for (const subscriber of Object.values(subscribers) as Subscriber[]) {
    Bus.subscribe(subscriber.event, (envelope) => inWorkspace(subscriber, envelope).then(() => undefined));
  }
}

/**
 * The Lambda entry of subscriber `name` (the envelope is the EventBridge detail).
 * Only the console's own events count: source "console", put by its own account.
 */
export function lambdaHandler(name: SubscriberName) {
  const subscriber = subscribers[name] as Subscriber;
  return async (event: EventBridgeEvent<EventEnvelope>, context?: { invokedFunctionArn?: string }) => {
    const own = context?.invokedFunctionArn?.split(":")[4];
    if (event.source !== "console" || (own && event.account !== own) || event.detail?.type !== subscriber.event.type) {
      log.warn("refused an event that is not the console's own", { name, source: event.source });
      return;
    }
    await inWorkspace(subscriber, event.detail);
  };
}
