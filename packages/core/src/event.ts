/**
 * Domain events, written to the outbox (./event.sql.ts) in the transaction that
 * caused them, and relayed to the bus after it commits (at least once: a failed
 * publish is retried by `Bus.sweep` with backoff; subscribers are idempotent).
 * One bus interface with two transports: in-process (local runtime and tests: the
 * subscribers run in this process) and EventBridge (on AWS: one Lambda per subscriber).
 */
import { z } from "zod";
import { createId } from "./id";
import { Actor } from "./actor";
import { and, asc, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import { Database } from "./db";
import { eventOutboxTable } from "./event.sql";
import { describeError, log } from "./util/log";
import { cutBytes } from "./util/text";

export { eventOutboxTable } from "./event.sql";

/** The after-commit relay's head start before the sweeper may send a row too. */
const SWEEP_AFTER_MS = 30_000;
const KEEP_SENT_MS = 86_400_000;


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

  /**
   * Validates the event and writes it to the outbox in the current transaction (or on
   * its own when there is none); after commit it is relayed to the transport.
   */
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
    const now = new Date();
    await Database.use((db) =>
      db.insert(eventOutboxTable).values({
        id: envelope.id,
        workspaceId: envelope.metadata.workspaceId ?? null,
        type: envelope.type,
        envelope,
        timeCreated: now,
        timeNext: new Date(now.getTime() + SWEEP_AFTER_MS),
      }),
    );
    await Database.afterCommit(() => relay([envelope]));
  }

  /** Sends outbox events and marks them sent; a failure is recorded for the sweeper (never thrown). */
  async function relay(envelopes: EventEnvelope[]): Promise<boolean> {
    if (!envelopes.length) return true;
    const ids = envelopes.map((e) => e.id);
    try {
      await transport.publish(envelopes);
    } catch (err) {
      const reason = describeError(err) as { message?: string };
      log.warn("publishing events failed; the outbox will retry them", { types: envelopes.map((e) => e.type), err });
      await Database.use((db) =>
        db
          .update(eventOutboxTable)
          .set({
            attempts: sql`${eventOutboxTable.attempts} + 1`,
            lastError: cutBytes(reason.message ?? "publish failed", 1000),
            timeNext: sql`date_add(now(3), interval least(600, 5 * pow(2, ${eventOutboxTable.attempts})) second)`,
          })
          .where(inArray(eventOutboxTable.id, ids)),
      ).catch((e) => log.error("could not record a failed publish", { err: e }));
      return false;
    }
    await Database.use((db) => db.update(eventOutboxTable).set({ timeSent: new Date() }).where(inArray(eventOutboxTable.id, ids))).catch((err) =>
      log.error("could not mark events sent (they may be sent again)", { err }),
    );
    return true;
  }

  /**
   * The sweeper (a cron on AWS, a timer locally): relays unsent events that are due,
   * oldest first; when one of a workspace's events fails, its later ones wait for the
   * next sweep (order kept per workspace). Prunes sent rows after a day.
   */
  export async function sweep(now = new Date(), limit = 200): Promise<{ sent: number; failed: number }> {
    const due = await Database.use((db) =>
      db
        .select({ seq: eventOutboxTable.seq, id: eventOutboxTable.id, workspaceId: eventOutboxTable.workspaceId, envelope: eventOutboxTable.envelope, timeNext: eventOutboxTable.timeNext })
        .from(eventOutboxTable)
        .where(and(isNull(eventOutboxTable.timeSent), lte(eventOutboxTable.timeNext, now)))
        .orderBy(asc(eventOutboxTable.seq))
        .limit(limit),
    );
    let sent = 0;
    let failed = 0;
    const blocked = new Set<string>();
    for (const row of due) {
      const scope = row.workspaceId ?? "";
      if (blocked.has(scope)) continue;
      // Claim the row (another sweeper, or a slow after-commit relay, may hold it).
      const claimed = Database.affected(
        await Database.use((db) =>
          db
            .update(eventOutboxTable)
            .set({ timeNext: new Date(Date.now() + 60_000) })
            .where(and(eq(eventOutboxTable.seq, row.seq), isNull(eventOutboxTable.timeSent), lte(eventOutboxTable.timeNext, row.timeNext))),
        ),
      );
      if (!claimed) continue;
      if (await relay([row.envelope as unknown as EventEnvelope])) sent++;
      else {
        failed++;
        blocked.add(scope);
      }
    }
    await Database.use((db) => db.delete(eventOutboxTable).where(lt(eventOutboxTable.timeSent, new Date(now.getTime() - KEEP_SENT_MS))));
    return { sent, failed };
  }

  /** Events not yet sent (tests, status). */
  export async function pending(): Promise<number> {
    const rows = await Database.use((db) => db.select({ id: eventOutboxTable.id }).from(eventOutboxTable).where(isNull(eventOutboxTable.timeSent)));
    return rows.length;
  }

  /** Register a handler with the local transport (no-op for remote transports). */
  export function subscribe<D extends EventDefinition>(def: D, handler: (event: EventPayload<D>) => Promise<void>) {
    local()?.subscribe(def.type, handler as Handler);
  }

  export async function idle() {
    await local()?.idle();
  }
}
