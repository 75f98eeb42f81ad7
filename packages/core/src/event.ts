/**
 * Domain events, published after the transaction that caused them commits.
 * One bus interface with two transports: in-process (local runtime and tests: the
 * subscribers run in this process) and EventBridge (on AWS: one Lambda per subscriber).
 */
import { z } from "zod";
import { createId } from "./id";
import { Actor } from "./actor";
import { Database } from "./db";
import { log } from "./util/log";

export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  type: Type;
  schema: Schema;
}

export interface EventEnvelope<Properties = unknown> {
  id: string;
  type: string;
  properties: Properties;
  metadata: {
    time: string;
    workspaceId?: string;
    actor: ReturnType<typeof Actor.describe>;
  };
}

export function defineEvent<Type extends string, Schema extends z.ZodType>(
  type: Type,
  schema: Schema,
): EventDefinition<Type, Schema> {
  return { type, schema };
}

export type EventPayload<D extends EventDefinition> = EventEnvelope<z.output<D["schema"]>>;

export interface BusTransport {
  publish(events: EventEnvelope[]): Promise<void>;
}

type Handler = (event: EventEnvelope) => Promise<void>;

/** Runs subscribers in this process; `idle()` resolves when all started handlers finished. */
export class LocalTransport implements BusTransport {
  private handlers = new Map<string, Handler[]>();
  private inflight = new Set<Promise<void>>();

  subscribe(type: string, handler: Handler) {
    const list = this.handlers.get(type) ?? [];
    list.push(handler);
    this.handlers.set(type, list);
  }

  clear() {
    this.handlers.clear();
  }

  async publish(events: EventEnvelope[]) {
    for (const event of events) {
      for (const handler of this.handlers.get(event.type) ?? []) {
        const run = handler(event)
          .catch((err) => log.error("event handler failed", { type: event.type, err }))
          .finally(() => this.inflight.delete(run));
        this.inflight.add(run);
      }
    }
  }

  async idle() {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }
}

let transport: BusTransport = new LocalTransport();

export namespace Bus {
  export function setTransport(t: BusTransport) {
    transport = t;
  }

  export function local(): LocalTransport | undefined {
    return transport instanceof LocalTransport ? transport : undefined;
  }

  /** Validates and publishes after the current transaction commits. */
  export async function publish<D extends EventDefinition>(def: D, properties: z.input<D["schema"]>) {
    const parsed = def.schema.parse(properties);
    const envelope: EventEnvelope = {
      id: createId(),
      type: def.type,
      properties: parsed,
      metadata: {
        time: new Date().toISOString(),
        workspaceId: Actor.maybeWorkspace()?.id,
        actor: Actor.describe(),
      },
    };
    await Database.afterCommit(() => transport.publish([envelope]));
  }

  /** Register a handler with the local transport (no-op for remote transports). */
  export function subscribe<D extends EventDefinition>(def: D, handler: (event: EventPayload<D>) => Promise<void>) {
    local()?.subscribe(def.type, handler as Handler);
  }

  export async function idle() {
    await local()?.idle();
  }
}
