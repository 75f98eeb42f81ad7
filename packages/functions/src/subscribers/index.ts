/**
 * What each event subscriber runs. The subscribers are listed in ./list.ts (name,
 * event type, timeout), which infra/bus.ts also reads; here each name gets its event
 * definition and its function, and the compiler checks that the definition's type is
 * the one listed. On AWS each runs as its own Lambda (./lambda.ts); locally they are
 * registered with the in-process bus. A subscriber runs as the system inside the
 * workspace the event came from.
 */
import type { EventBridgeEvent } from "./types";
import { Actor } from "@console/core/actor";
import { Bus, type EventDefinition, type EventEnvelope, type EventPayload } from "@console/core/event";
import { Account } from "@console/core/account";
import { NotFoundError } from "@console/core/error";
import { Alert } from "@console/core/alert";
import { Billing } from "@console/core/billing";
import { Deploy } from "@console/core/deploy";
import { Cleanup } from "@console/core/account/cleanup";
import { Scan } from "@console/core/account/scan";
import { App } from "@console/core/app";
import { Issue, Subscriptions } from "@console/core/issue";
import { Usage } from "@console/core/usage";
import { Workspace } from "@console/core/workspace";
import { log } from "@console/core/util/log";
import { SUBSCRIBERS, type SubscriberEntry, type SubscriberName } from "./list";

export { SUBSCRIBERS, type SubscriberName } from "./list";

interface Subscriber<D extends EventDefinition = EventDefinition> {
  event: D;
  run(event: EventPayload<D>): Promise<unknown>;
}

function on<D extends EventDefinition>(event: D, run: (event: EventPayload<D>) => Promise<unknown>): Subscriber<D> {
  return { event, run };
}

/** Disconnect: each domain takes away what it put in the account, then the connection goes. */
async function disconnect(connectionId: string) {
  // A relayed copy of the event (at least once) finds the connection already gone: nothing is left to do.
  const present = await Account.get(connectionId).then(
    () => true,
    (err) => {
      if (err instanceof NotFoundError) return false;
      throw err;
    },
  );
  if (!present) return undefined;
  await Subscriptions.removeAccount(connectionId);
  return Cleanup.run(connectionId);
}

export const subscribers: { [N in SubscriberName]: Subscriber<EventDefinition<Extract<SubscriberEntry, { name: N }>["event"]>> } = {
  ScanOnConnect: on(Account.Events.Connected, (e) => Scan.run(e.properties.connectionId)),
  ScanOnRequest: on(Account.Events.ScanRequested, (e) => Scan.run(e.properties.connectionId)),
  Disconnect: on(Account.Events.DisconnectRequested, (e) => disconnect(e.properties.connectionId)),
  // A deleted workspace takes what the console put in its accounts away with it.
  CleanupWorkspace: on(Workspace.Events.Deleted, async () => {
    for (const account of await Account.list()) await disconnect(account.id);
  }),
  SubscribeStage: on(App.Events.StageUpdated, (e) => Subscriptions.syncStage(e.properties.stageId)),
  UnsubscribeStage: on(App.Events.StageRemoved, (e) => Subscriptions.removeStage(e.properties.stageId, e.properties.connectionId)),
  // Alerts: idempotent per event id (a relayed or replayed event sends nothing twice).
  AlertIssue: on(Issue.Events.Detected, (e) => Alert.onIssueDetected(e)),
  AlertRateLimited: on(Usage.Events.RateLimited, (e) => Alert.onRateLimited(e)),
  AlertSubscriptionWarning: on(Billing.Events.Warning, (e) => Alert.onSubscriptionWarning(e)),
  AlertDeployFailed: on(Deploy.Events.Failed, (e) => Alert.onDeployFailed(e)),
};

function subscriber(name: SubscriberName): Subscriber {
  return subscribers[name] as unknown as Subscriber;
}

function inWorkspace(s: Subscriber, envelope: EventEnvelope) {
  const workspaceId = envelope.metadata.workspaceId;
  if (!workspaceId) throw new Error(`event ${envelope.type} has no workspace`);
  return Actor.system(envelope.type, { id: workspaceId, slug: "" }, () => s.run(envelope as EventPayload<EventDefinition>));
}

/** Registers every subscriber with the in-process bus (local runtime and tests). */
export function registerSubscribers() {
  for (const entry of SUBSCRIBERS) {
    const s = subscriber(entry.name);
    Bus.subscribe(s.event, (envelope) => inWorkspace(s, envelope).then(() => undefined));
  }
}

export function isSubscriberName(name: string | undefined): name is SubscriberName {
  return SUBSCRIBERS.some((s) => s.name === name);
}

/**
 * The Lambda entry of subscriber `name` (the envelope is the EventBridge detail).
 * Only the console's own events count: source "console", put by its own account,
 * of the type this subscriber listens to. Returns whether the event ran.
 */
export function lambdaHandler(name: SubscriberName) {
  const s = subscriber(name);
  return async (event: EventBridgeEvent<EventEnvelope>, context?: { invokedFunctionArn?: string }): Promise<"done" | "refused"> => {
    const own = context?.invokedFunctionArn?.split(":")[4];
    if (event.source !== "console" || (own && event.account !== own) || event.detail?.type !== s.event.type) {
      log.warn("refused an event that is not the console's own", { name, source: event.source });
      return "refused";
    }
    await inWorkspace(s, event.detail);
    return "done";
  };
}
