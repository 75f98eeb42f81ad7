import { describe, expect, it } from "vitest";
import { TailHub, type TailLine, type TailSource } from "./live";

/** A log group in memory: events become readable when `publish` is called, with any timestamp. */
function group() {
  const events: TailLine[] = [];
  let reads = 0;
  const source: TailSource = {
    async read({ start, end }) {
      reads++;
      return events.filter((e) => e.timestamp >= start && e.timestamp <= end);
    },
  };
  return { events, source, reads: () => reads };
}

/** Resolve when `f` holds, checking after each macrotask. */
async function until(f: () => boolean) {
  while (!f()) await new Promise((r) => setTimeout(r, 1));
}

describe("TailHub", () => {
  it("sends each line once, including late ones within the overlap, to every watcher, with one poller", async () => {
    let clock = 1_000_000;
    const hub = new TailHub({ intervalMs: 1, overlapMs: 5_000, now: () => clock });
    const g = group();
    const a: TailLine[] = [];
    const b: TailLine[] = [];
    const stopA = hub.watch("grp", g.source, { send: (l) => void a.push(...l) });
    const stopB = hub.watch("grp", g.source, { send: (l) => void b.push(...l) });
    expect(hub.size).toBe(1);
    let n = 0;
    for (let round = 0; round < 30; round++) {
      clock += 500;
      // one on time, one readable late with a timestamp 3 s in the past
      g.events.push({ id: `e${n++}`, timestamp: clock, message: "now" });
      g.events.push({ id: `e${n++}`, timestamp: clock - 3_000, message: "late" });
      const reads = g.reads();
      await until(() => g.reads() >= reads + 2);
    }
    await until(() => a.length === n && b.length === n);
    expect(new Set(a.map((l) => l.id)).size).toBe(n);
    expect(a.map((l) => l.id).sort()).toEqual(b.map((l) => l.id).sort());
    stopA();
    expect(hub.size).toBe(1);
    stopB();
    expect(hub.size).toBe(0);
    const reads = g.reads();
    await new Promise((r) => setTimeout(r, 20));
    expect(g.reads()).toBeLessThanOrEqual(reads + 1);
  });

  it("closes a watcher at once when it is no longer alive, keeps the others", async () => {
    const hub = new TailHub({ intervalMs: 1 });
    const g = group();
    let member = true;
    const closed: string[] = [];
    hub.watch("grp", g.source, { send() {}, alive: () => member, close: (r) => closed.push(`x:${r}`) });
    const stop = hub.watch("grp", g.source, { send() {}, close: (r) => closed.push(`y:${r}`) });
    await until(() => g.reads() > 1);
    member = false;
    await until(() => closed.length > 0);
    expect(closed).toEqual(["x:forbidden"]);
    expect(hub.watching("grp")).toBe(1);
    stop();
    expect(hub.size).toBe(0);
  });

  it("backs off when the source throws (throttling) and recovers without losing lines", async () => {
    let clock = 5_000;
    const hub = new TailHub({ intervalMs: 1, overlapMs: 10_000, now: () => clock });
    const g = group();
    let fail = 2;
    const src: TailSource = { read: (w) => (fail-- > 0 ? Promise.reject(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" })) : g.source.read(w)) };
    const got: TailLine[] = [];
    g.events.push({ id: "a", timestamp: clock, message: "x" });
    const stop = hub.watch("grp", src, { send: (l) => void got.push(...l) });
    clock += 10;
    await until(() => got.length === 1);
    stop();
  });
});
