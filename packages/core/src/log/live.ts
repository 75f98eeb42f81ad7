/**
 * Live tail: one poller per log group (or any key) however many watch it.
 *
 * CloudWatch makes an event readable some time after its timestamp, so each poll reads
 * from the previous poll's time minus an overlap, and events already sent are dropped by
 * event id: no line is lost (a late event still falls in the next window) and none is
 * sent twice. The ids remembered are pruned once they fall before the window.
 *
 * A watcher may give `alive`, checked on every tick before lines are sent (membership:
 * a removed member's stream closes at once); `close` runs when it is dropped. The
 * poller stops when the last watcher leaves.
 */
export interface TailLine {
  id: string;
  timestamp: number;
  message: string;
  stream?: string;
}

export interface TailSource {
  /** Events with timestamps in [start, end], any order. May throw (throttling): the tick is retried. */
  read(window: { start: number; end: number }): Promise<TailLine[]>;
}

export interface Watcher {
  send(lines: TailLine[]): void | Promise<void>;
  /** Checked every tick; false drops the watcher. */
  alive?(): boolean | Promise<boolean>;
  close?(reason: string): void;
}

export interface TailOptions {
  intervalMs?: number;
  /** How far back each poll reaches before the previous one. */
  overlapMs?: number;
  now?: () => number;
  /** The first poll starts this long before the first watcher came. */
  backfillMs?: number;
}

interface Poller {
  source: TailSource;
  watchers: Set<Watcher>;
  seen: Map<string, number>;
  since: number;
  timer?: ReturnType<typeof setTimeout>;
  stopped: boolean;
  backoff: number;
}

/** Sends a watcher may have in flight before it is dropped as too slow. */
const MAX_PENDING = 100;

export class TailHub {
  private readonly pollers = new Map<string, Poller>();
  private readonly interval: number;
  private readonly overlap: number;
  private readonly now: () => number;
  private readonly backfill: number;
  private readonly pending = new WeakMap<Watcher, number>();
  /** Polls made, per key (for tests and the bench). */
  readonly polls = new Map<string, number>();

  constructor(options: TailOptions = {}) {
    this.interval = options.intervalMs ?? 1000;
    this.overlap = options.overlapMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.backfill = options.backfillMs ?? 0;
  }

  /** Pollers running now. */
  get size(): number {
    return this.pollers.size;
  }

  watching(key: string): number {
    return this.pollers.get(key)?.watchers.size ?? 0;
  }

  /** Follow `key`; the source is used only when this starts the key's poller. Returns the unwatch function. */
  watch(key: string, source: TailSource, watcher: Watcher): () => void {
    let p = this.pollers.get(key);
    if (!p) {
      p = { source, watchers: new Set(), seen: new Map(), since: this.now() - this.backfill, stopped: false, backoff: 0 };
      this.pollers.set(key, p);
      const poller = p;
      queueMicrotask(() => void this.tick(key, poller));
    }
    p.watchers.add(watcher);
    const poller = p;
    return () => this.drop(key, poller, watcher, "unwatched");
  }

  private drop(key: string, p: Poller, w: Watcher, reason: string) {
    if (!p.watchers.delete(w)) return;
    try {
      w.close?.(reason);
    } catch {
      // a watcher's close never stops the others
    }
    if (p.watchers.size === 0) {
      p.stopped = true;
      if (p.timer) clearTimeout(p.timer);
      if (this.pollers.get(key) === p) this.pollers.delete(key);
    }
  }

  private async tick(key: string, p: Poller): Promise<void> {
    if (p.stopped) return;
    this.polls.set(key, (this.polls.get(key) ?? 0) + 1);
    const end = this.now();
    const start = p.since - this.overlap;
    let fresh: TailLine[] = [];
    try {
      const lines = await p.source.read({ start, end });
      for (const l of lines) {
        if (p.seen.has(l.id)) continue;
        p.seen.set(l.id, l.timestamp);
        fresh.push(l);
      }
      fresh.sort((a, b) => a.timestamp - b.timestamp);
      p.since = end;
      p.backoff = 0;
      for (const [id, ts] of p.seen) if (ts < start - this.overlap) p.seen.delete(id);
    } catch {
      p.backoff = Math.min(30_000, Math.max(this.interval, p.backoff * 2 || this.interval));
      fresh = [];
    }
    // Watchers are served side by side: a slow client never holds back the others; one
    // that falls MAX_PENDING sends behind is dropped.
    await Promise.all(
      [...p.watchers].map(async (w) => {
        try {
          if (w.alive && !(await w.alive())) {
            this.drop(key, p, w, "forbidden");
            return;
          }
        } catch {
          this.drop(key, p, w, "failed");
          return;
        }
        if (!fresh.length) return;
        const n = this.pending.get(w) ?? 0;
        if (n >= MAX_PENDING) {
          this.drop(key, p, w, "slow");
          return;
        }
        this.pending.set(w, n + 1);
        Promise.resolve()
          .then(() => w.send(fresh))
          .then(
            () => this.pending.set(w, (this.pending.get(w) ?? 1) - 1),
            () => this.drop(key, p, w, "failed"),
          );
      }),
    );
    if (p.stopped) return;
    p.timer = setTimeout(() => void this.tick(key, p), p.backoff || this.interval);
  }

  /** Stop every poller (tests, shutdown). */
  close(): void {
    for (const [key, p] of [...this.pollers]) for (const w of [...p.watchers]) this.drop(key, p, w, "shutdown");
  }
}
