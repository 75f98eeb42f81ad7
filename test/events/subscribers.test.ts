/**
 * The event subscribers: one list (packages/functions/src/subscribers/list.ts) that
 * the code and infra/bus.ts both derive from, and the Lambda entry's origin check:
 * only events of source "console", put by the console's own account, of the type the
 * subscriber listens to, run; anything else is refused and changes nothing.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { Database } from "../../packages/core/src/db";
import { createId } from "../../packages/core/src/id";
import { resetEnv } from "../../packages/core/src/env";
import { awsAccountTable } from "../../packages/core/src/account/account.sql";
import type { EventEnvelope } from "../../packages/core/src/event";
import { SUBSCRIBERS, lambdaHandler, subscribers } from "../../packages/functions/src/subscribers";
import type { EventBridgeEvent } from "../../packages/functions/src/subscribers/types";

const CONSOLE_ACCOUNT = "111111111111";
const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${CONSOLE_ACCOUNT}:function:console-Disconnect` };

async function pendingConnection() {
  const workspaceId = createId();
  const id = createId();
  await Database.use((db) => db.insert(awsAccountTable).values({ workspaceId, id, externalIdSealed: "v1.a.b.c", method: "stack", status: "disconnecting" }));
  return { workspaceId, id };
}

async function exists(c: { workspaceId: string; id: string }) {
  const rows = await Database.use((db) =>
    db.select({ id: awsAccountTable.id }).from(awsAccountTable).where(and(eq(awsAccountTable.workspaceId, c.workspaceId), eq(awsAccountTable.id, c.id))),
  );
  return rows.length === 1;
}

function bridgeEvent(c: { workspaceId?: string; id: string }, over: Partial<EventBridgeEvent> = {}, type = "account.disconnect_requested"): EventBridgeEvent<EventEnvelope> {
  const detail: EventEnvelope = {
    id: createId(),
    type,
    properties: { connectionId: c.id },
    metadata: { time: new Date().toISOString(), workspaceId: c.workspaceId, actor: { type: "system" } as EventEnvelope["metadata"]["actor"] },
  };
  return { id: createId(), account: CONSOLE_ACCOUNT, source: "console", region: "us-east-1", time: new Date().toISOString(), "detail-type": type, detail, ...over } as EventBridgeEvent<EventEnvelope>;
}

describe("the subscriber list", () => {
  it("gives every entry a function listening to the listed event type, and nothing else", () => {
    expect(Object.keys(subscribers).sort()).toEqual(SUBSCRIBERS.map((s) => s.name).sort());
    for (const entry of SUBSCRIBERS) expect(subscribers[entry.name].event.type, entry.name).toBe(entry.event);
    expect(new Set(SUBSCRIBERS.map((s) => s.name)).size).toBe(SUBSCRIBERS.length);
  });

  it("is what infra/bus.ts makes its functions and rules from", () => {
    const infra = readFileSync(new URL("../../infra/bus.ts", import.meta.url), "utf8");
    expect(infra).toContain('from "../packages/functions/src/subscribers/list"');
    // No subscriber or event type is spelled out a second time there.
    for (const entry of SUBSCRIBERS) {
      expect(infra).not.toContain(`"${entry.event}"`);
      expect(infra).not.toContain(`"${entry.name}"`);
    }
  });
});

describe("the subscriber Lambda entry", () => {
  const disconnect = lambdaHandler("Disconnect");

  it("refuses events that are not the console's own, and changes nothing", async () => {
    const c = await pendingConnection();
    expect(await disconnect(bridgeEvent(c, { source: "aws.s3" }), context)).toBe("refused");
    expect(await disconnect(bridgeEvent(c, { account: "222222222222" }), context)).toBe("refused");
    expect(await disconnect(bridgeEvent(c, {}, "account.scan_requested"), context)).toBe("refused");
    expect(await disconnect({ ...bridgeEvent(c), detail: undefined } as unknown as EventBridgeEvent<EventEnvelope>, context)).toBe("refused");
    expect(await exists(c)).toBe(true);
  });

  it("runs the console's own event inside the event's workspace", async () => {
    const c = await pendingConnection();
    const other = await pendingConnection();
    // The same connection id in another workspace is not touched.
    await Database.use((db) => db.insert(awsAccountTable).values({ workspaceId: other.workspaceId, id: c.id, externalIdSealed: "v1.a.b.c", method: "stack", status: "connecting" }));
    expect(await disconnect(bridgeEvent(c), context)).toBe("done");
    expect(await exists(c)).toBe(false);
    expect(await exists({ workspaceId: other.workspaceId, id: c.id })).toBe(true);
  });

  it("runs a relayed copy of an event again without harm (the outbox delivers at least once)", async () => {
    const c = await pendingConnection();
    const event = bridgeEvent(c);
    expect(await disconnect(event, context)).toBe("done");
    expect(await disconnect(event, context)).toBe("done");
    expect(await exists(c)).toBe(false);
  });

  it("fails (so Lambda retries) an event without a workspace", async () => {
    const c = await pendingConnection();
    await expect(disconnect(bridgeEvent({ id: c.id }), context)).rejects.toThrow(/has no workspace/);
    expect(await exists(c)).toBe(true);
  });

  describe("as deployed (lambda.ts, told its subscriber by SUBSCRIBER)", () => {
    const saved = process.env.SUBSCRIBER;
    beforeAll(() => {
      process.env.SUBSCRIBER = "Disconnect";
      resetEnv();
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.SUBSCRIBER;
      else process.env.SUBSCRIBER = saved;
      resetEnv();
    });

    it("checks the origin and runs the named subscriber", async () => {
      const { handler } = await import("../../packages/functions/src/subscribers/lambda");
      const c = await pendingConnection();
      expect(await handler(bridgeEvent(c, { account: "222222222222" }), context)).toBe("refused");
      expect(await exists(c)).toBe(true);
      expect(await handler(bridgeEvent(c), context)).toBe("done");
      expect(await exists(c)).toBe(false);
    });
  });
});
