/**
 * Past and live logs of a function through the API, against the emulator's CloudWatch Logs:
 * invocations rebuilt newest first, jump to a time range, search, paging with the cursor;
 * live tail over SSE with lines put while watching (none lost, none twice), a removed
 * member's stream closing; role and tenant checks.
 */
import { randomUUID } from "node:crypto";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../../packages/functions/src/api";
import { liveTail } from "../../packages/functions/src/api/routes/log";
import { acceptInvitations, call, createWorkspace, randomEmail, randomIp, signIn } from "../setup/api";
import { connectAccount, customerClient, motoUrl, randomAccountId } from "../setup/aws";
import { seedDemoAccount } from "@console/testkit/seed";

const app = createApi();

interface World {
  owner: { token: string };
  member: { token: string; email: string };
  ws: { id: string; slug: string };
  fnId: string;
  put(stream: string, events: { timestamp: number; message: string }[]): Promise<void>;
}

let world: World;
const now = Date.now();
const stream = `2026/12/05/[$LATEST]${randomUUID().replace(/-/g, "")}`;

function invocation(rid: string, at: number, body: string[], cold = false) {
  return [
    { timestamp: at, message: `START RequestId: ${rid} Version: $LATEST` },
    ...body.map((b, i) => ({ timestamp: at + 1 + i, message: `${new Date(at + 1 + i).toISOString()}\t${rid}\tINFO\t${b}` })),
    { timestamp: at + 50, message: `END RequestId: ${rid}` },
    { timestamp: at + 50, message: `REPORT RequestId: ${rid}\tDuration: 48.20 ms\tBilled Duration: 49 ms\tMemory Size: 1024 MB\tMax Memory Used: 88 MB\t${cold ? "Init Duration: 210.50 ms\t" : ""}` },
  ];
}

const R = { old: randomUUID(), a: randomUUID(), b: randomUUID(), c: randomUUID() };

beforeAll(async () => {
  const owner = await signIn(randomEmail("logs-owner"));
  const ws = await createWorkspace(owner.token, "Logs Co");
  const email = randomEmail("logs-member");
  await call("POST", `/api/workspaces/${ws.id}/members`, { token: owner.token, body: { email } });
  const member = await signIn(email);
  await acceptInvitations(member.token);
  const seed = await seedDemoAccount({ endpoint: motoUrl(), accountId: randomAccountId() });
  await connectAccount(owner.token, ws.slug, seed.accountId);
  const stages = await call("GET", `/api/workspaces/${ws.id}/stages`, { token: owner.token });
  const target = seed.functions.find((f) => !f.live && f.sst === "v3")!;
  const stage = stages.body.find((s: { app: string; name: string }) => s.app === target.app && s.name === target.stage);
  const detail = await call("GET", `/api/workspaces/${ws.id}/stages/${stage.id}`, { token: owner.token });
  const fn = detail.body.functions.find((f: { name: string }) => f.name === target.name) ?? detail.body.functions[0];
  const logs = customerClient(CloudWatchLogsClient, seed.accountId, fn.region);
  await logs.send(new CreateLogGroupCommand({ logGroupName: fn.logGroup })).catch(() => undefined);
  await logs.send(new CreateLogStreamCommand({ logGroupName: fn.logGroup, logStreamName: stream }));
  const put = async (s: string, events: { timestamp: number; message: string }[]) => {
    await logs.send(new PutLogEventsCommand({ logGroupName: fn.logGroup, logStreamName: s, logEvents: events }));
  };
  await put(stream, [
    ...invocation(R.old, now - 3 * 3600_000, ["old work"], true),
    ...invocation(R.a, now - 10 * 60_000, ["first"], true),
    ...invocation(R.b, now - 5 * 60_000, ["needle in b"]),
    ...Array.from({ length: 55 }, (_, i) => invocation(randomUUID(), now - 120_000 + i * 100, ["bulk"])).flat(),
    ...invocation(R.c, now - 60_000, ["third"]),
  ].sort((x, y) => x.timestamp - y.timestamp));
  world = { owner, member: { ...member, email }, ws, fnId: fn.id, put };
});

interface Inv {
  requestId: string | null;
  lines: { message: string }[];
}
const ours = (invs: Inv[]): Inv[] => invs.filter((i) => (Object.values(R) as string[]).includes(i.requestId as string));

describe("past logs", () => {
  it("rebuilds recent invocations newest first with durations and cold starts", async () => {
    const res = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs`, { token: world.member.token });
    expect(res.status).toBe(200);
    const got = ours(res.body.invocations);
    expect(got.map((i) => i.requestId)).toEqual([R.c, R.b, R.a]);
    expect(got[2]).toMatchObject({ status: "success", duration: 48.2, billedDuration: 49, memorySize: 1024, maxMemoryUsed: 88, initDuration: 210.5 });
    expect(got[0]).toMatchObject({ initDuration: null });
    expect(res.body.next).toEqual(expect.any(String));
  });

  it("jumps to a time range", async () => {
    const res = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs?start=${now - 20 * 60_000}&end=${now - 4 * 60_000}`, { token: world.owner.token });
    expect(ours(res.body.invocations).map((i) => i.requestId)).toEqual([R.b, R.a]);
  });

  it("searches with a filter pattern (its rules are tested in core log/search.test.ts)", async () => {
    const res = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs?q=needle`, { token: world.owner.token });
    expect(res.status).toBe(200);
    const got = ours(res.body.invocations);
    expect(got.map((i) => i.requestId)).toEqual([R.b]);
    expect(got[0]!.lines.every((l: { message: string }) => l.message.includes("needle"))).toBe(true);
  });

  it("pages backwards with the cursor to older invocations", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    for (let page = 0; page < 10 && cursor !== null; page++) {
      const res: { status: number; body: { invocations: Inv[]; next: string | null } } = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs${cursor ? `?cursor=${cursor}` : ""}`, { token: world.owner.token });
      expect(res.status).toBe(200);
      for (const i of ours(res.body.invocations)) seen.push(i.requestId as string);
      if (seen.includes(R.old)) break;
      cursor = res.body.next;
    }
    expect(seen).toEqual([R.c, R.b, R.a, R.old]);
  });

  it("rejects a bad cursor or time as a 400 and an unknown function as a 404", async () => {
    expect((await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs?start=abc`, { token: world.owner.token })).status).toBe(400);
    const nf = await call("GET", `/api/workspaces/${world.ws.id}/functions/nope/logs`, { token: world.owner.token });
    expect(nf.status).toBe(404);
  });
});

/** An SSE client on the app: events as they come. */
async function open(token: string) {
  const res = await app.request(`/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs/live`, { headers: { authorization: `Bearer ${token}` } }, { incoming: { socket: { remoteAddress: randomIp() } } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  return {
    async next(): Promise<{ event: string; data: any } | undefined> {
      for (;;) {
        const i = buf.indexOf("\n\n");
        if (i !== -1) {
          const raw = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(raw)?.[1] ?? "message";
          const data = /^data: (.*)$/m.exec(raw)?.[1];
          return { event, data: data ? JSON.parse(data) : undefined };
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buf += dec.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe("live logs", () => {
  it("delivers lines put while watching, each once, to two watchers sharing one poller; stops when both leave", async () => {
    const a = await open(world.owner.token);
    const b = await open(world.member.token);
    expect((await a.next())?.event).toBe("ready");
    expect((await b.next())?.event).toBe("ready");
    const rids = [randomUUID(), randomUUID(), randomUUID()];
    const expected = new Set<string>();
    /** Reads events until every message of `want` arrived; counts how often each arrived. */
    const collect = async (c: Awaited<ReturnType<typeof open>>, want: Set<string>, counts = new Map<string, number>()) => {
      while ([...want].some((m) => !counts.has(m))) {
        const ev = await c.next();
        if (!ev) break;
        if (ev.event !== "invocations") continue;
        for (const inv of ev.data.invocations) for (const l of inv.lines) if (expected.has(l.message)) counts.set(l.message, (counts.get(l.message) ?? 0) + 1);
      }
      return counts;
    };
    // Put one invocation, then two more after the first arrived.
    const put = async (rid: string) => {
      const evs = invocation(rid, Date.now(), [`live ${rid}`]);
      const set = new Set(evs.map((e) => e.message));
      for (const m of set) expected.add(m);
      await world.put(stream, evs);
      return set;
    };
    const first = await put(rids[0]!);
    const countsA = await collect(a, first);
    const second = new Set([...(await put(rids[1]!)), ...(await put(rids[2]!))]);
    await collect(a, second, countsA);
    const countsB = await collect(b, expected);
    expect(countsA.size).toBe(12);
    expect(countsB.size).toBe(12);
    // None twice: one more poll after everything arrived brings nothing again.
    const polls = liveTail.polls.get([...liveTail.polls.keys()].at(-1)!)!;
    while ((liveTail.polls.get([...liveTail.polls.keys()].at(-1)!) ?? 0) < polls + 2) await new Promise((r) => setTimeout(r, 50));
    expect([...countsA.values()].every((n) => n === 1)).toBe(true);
    expect([...countsB.values()].every((n) => n === 1)).toBe(true);
    expect(liveTail.size).toBe(1);
    await a.cancel();
    await b.cancel();
    // The poller stops once nobody watches (abort handlers run on cancel).
    for (let i = 0; i < 100 && liveTail.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(liveTail.size).toBe(0);
  });

  it("closes a removed member's stream at once", async () => {
    const email = randomEmail("logs-leaver");
    await call("POST", `/api/workspaces/${world.ws.id}/members`, { token: world.owner.token, body: { email } });
    const leaver = await signIn(email);
    await acceptInvitations(leaver.token);
    const s = await open(leaver.token);
    expect((await s.next())?.event).toBe("ready");
    const members = await call("GET", `/api/workspaces/${world.ws.id}/members`, { token: world.owner.token });
    const id = members.body.find((m: { email: string }) => m.email === email).id;
    expect((await call("DELETE", `/api/workspaces/${world.ws.id}/members/${id}`, { token: world.owner.token })).status).toBe(200);
    let ev = await s.next();
    while (ev && ev.event === "invocations") ev = await s.next();
    expect(ev?.event).toBe("close");
    expect(ev?.data.reason).toBe("forbidden");
    expect(await s.next()).toBeUndefined();
  });

  it("a non-member cannot open a stream (404)", async () => {
    const stranger = await signIn(randomEmail("logs-stranger"));
    const res = await call("GET", `/api/workspaces/${world.ws.id}/functions/${world.fnId}/logs/live`, { token: stranger.token });
    expect(res.status).toBe(404);
  });
});
