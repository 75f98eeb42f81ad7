/**
 * Events are never lost (issue 7, item 5): events are written to the outbox in the
 * transaction that caused them; when the transport fails they stay unsent, and the
 * sweeper delivers them once it works again, each once, in order.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { inArray } from "drizzle-orm";
import { Bus, defineEvent, eventOutboxTable, LocalTransport, type BusTransport, type EventEnvelope } from "../../packages/core/src/event";
import { Database } from "../../packages/core/src/db";
import { Actor } from "../../packages/core/src/actor";
import { createId } from "../../packages/core/src/id";
import { setupLocalRuntime } from "../../packages/functions/src/local/runtime";

const Ping = defineEvent("test.ping", z.object({ n: z.number() }));

class FlakyTransport implements BusTransport {
  down = true;
  delivered: EventEnvelope[] = [];
  async publish(events: EventEnvelope[]) {
    if (this.down) throw Object.assign(new Error("PutEvents failed"), { name: "InternalException" });
    this.delivered.push(...events);
  }
}

afterEach(async () => {
  await setupLocalRuntime();
  Bus.setTransport(new LocalTransport());
});

describe("the outbox", () => {
  it("keeps events whose publish failed and delivers them, once and in order, when the transport recovers", async () => {
    const transport = new FlakyTransport();
    Bus.setTransport(transport);
    const workspace = { id: createId(), slug: "" };
    await Actor.system("test", workspace, async () => {
      await Database.transaction(async () => {
        await Bus.publish(Ping, { n: 1 });
        await Bus.publish(Ping, { n: 2 });
      });
      await Bus.publish(Ping, { n: 3 });
    });
    expect(transport.delivered).toEqual([]);
    const rows = await Database.use((db) => db.select().from(eventOutboxTable).where(inArray(eventOutboxTable.workspaceId, [workspace.id])));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.timeSent === null && r.attempts === 1)).toBe(true);

    // Still down: the sweeper keeps them.
    const later = new Date(Date.now() + 3600_000);
    expect((await Bus.sweep(later)).sent).toBe(0);
    transport.down = false;
    await Bus.sweep(later);
    const mine = transport.delivered.filter((e) => e.metadata.workspaceId === workspace.id);
    expect(mine.map((e) => (e.properties as { n: number }).n)).toEqual([1, 2, 3]);
    // Sent: a later sweep sends nothing again.
    await Bus.sweep(new Date(Date.now() + 7200_000));
    expect(transport.delivered.filter((e) => e.metadata.workspaceId === workspace.id)).toHaveLength(3);
  });

  it("writes nothing when the transaction rolls back", async () => {
    const transport = new FlakyTransport();
    transport.down = false;
    Bus.setTransport(transport);
    const workspace = { id: createId(), slug: "" };
    await expect(
      Actor.system("test", workspace, () =>
        Database.transaction(async () => {
          await Bus.publish(Ping, { n: 1 });
          throw new Error("rolled back");
        }),
      ),
    ).rejects.toThrow("rolled back");
    const rows = await Database.use((db) => db.select().from(eventOutboxTable).where(inArray(eventOutboxTable.workspaceId, [workspace.id])));
    expect(rows).toHaveLength(0);
    expect(transport.delivered).toHaveLength(0);
  });
});
