import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { Actor } from "@console/core/actor";
import { Log, rebuildInvocations, TailHub } from "@console/core/log";
import { Workspace } from "@console/core/workspace";
import type { AppEnv } from "../context";
import { id, optional, param, query } from "../validate";

/** One poller per log group for the whole process, however many people watch it. */
export const liveTail = new TailHub({ intervalMs: Number(process.env.CONSOLE_LIVE_INTERVAL_MS ?? 1000), overlapMs: 10_000, backfillMs: 5_000 });

const fnParam = param(z.object({ function: id }));
const time = z.coerce.number().int().nonnegative();

/** Past and live logs of one function (under /workspaces/:workspace). */
export const logRoutes = new Hono<AppEnv>()
  .get(
    "/functions/:function/logs",
    fnParam,
    query(z.object({ start: optional(time), end: optional(time), q: optional(z.string().max(1024)), cursor: optional(z.string().max(512)) })),
    async (c) => c.json(await Log.past(c.req.valid("param").function, c.req.valid("query"))),
  )
  .get("/functions/:function/logs/live", fnParam, async (c) => {
    const { key, source } = await Log.tailSource(c.req.valid("param").function);
    const actor = Actor.use();
    const workspace = c.req.param("workspace")!;
    // Membership is checked on every tick: a removed member's stream closes at once.
    const alive = () => Actor.provide(actor, () => Workspace.resolve(workspace).then(() => true, () => false));
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ event: "ready", data: JSON.stringify({ time: Date.now() }) });
      await new Promise<void>((resolve) => {
        const stop = liveTail.watch(key, source, {
          alive,
          send: async (lines) => {
            await stream.writeSSE({ event: "invocations", data: JSON.stringify({ invocations: rebuildInvocations(lines) }) });
          },
          close: (reason) => {
            void stream.writeSSE({ event: "close", data: JSON.stringify({ reason }) }).finally(resolve);
          },
        });
        stream.onAbort(() => {
          stop();
          resolve();
        });
      });
    });
  });
