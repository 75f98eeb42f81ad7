/**
 * Publishes domain events to an EventBridge bus (on AWS): source "console", the
 * event type as detail type, the whole envelope as detail, at most 10 per
 * PutEvents (EventBridge's limit). A rejected entry fails the publish, so the
 * caller's retry covers it.
 */
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import type { BusTransport, EventEnvelope } from "../event";
import { AwsConfig } from "./config";

export const EVENT_SOURCE = "console";

export class EventBridgeTransport implements BusTransport {
  constructor(
    private busName: string,
    private client: EventBridgeClient = new EventBridgeClient(AwsConfig.console()),
  ) {}

  async publish(events: EventEnvelope[]) {
    for (let i = 0; i < events.length; i += 10) {
      const batch = events.slice(i, i + 10);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: e.type,
            Detail: JSON.stringify(e),
          })),
        }),
      );
      if (result.FailedEntryCount) throw new Error(`EventBridge rejected ${result.FailedEntryCount} event(s)`);
    }
  }
}
