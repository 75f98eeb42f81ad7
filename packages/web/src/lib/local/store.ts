/**
 * The invocations `sst dev` streamed, merged by invocation id as updates arrive.
 *
 * v3 re-sends the whole invocation on every change and replays every buffered one to each
 * new socket; the console's first client (sst/console `providers/invocation.tsx`) also
 * expected partial updates. So an update only ever adds to what is known: fields it carries
 * replace, logs and errors are merged and de-duplicated (logs by id, or by time and text
 * when they have none; errors by id, or by type, message and stack, since v3 leaves error
 * ids empty), logs are kept in time order. A change makes a new invocation object (the
 * screen tells what changed by reference); what did not change keeps its object. v2's separate bus events build the same
 * invocations; v2 replays its whole buffer on reconnect, so its log lines get ids from
 * their position in the invocation's stream of that connection, which the replay repeats.
 */
import type { LocalMessage, WireError, WireInvocation } from "./protocol";

export interface LocalLog {
  id: string;
  timestamp: number;
  message: string;
}

export interface LocalError {
  key: string;
  error: string;
  message: string;
  stack: string[];
  failed: boolean;
}

export interface LocalInvocation {
  id: string;
  /** v3: the function's URN (empty until the first deploy of `sst dev` completes); v2: the function id. */
  source: string;
  cold: boolean;
  input?: unknown;
  output?: unknown;
  hasOutput: boolean;
  start: number;
  end?: number;
  /** Milliseconds: the report's duration, else end - start. */
  duration?: number;
  /** Init duration from the report, when the server gives one. */
  init?: number;
  errors: LocalError[];
  logs: LocalLog[];
  /** Order of arrival (ties of `start`). */
  seq: number;
}

/** At most this many invocations are kept (the oldest go first), and this many lines each. */
export const MAX_INVOCATIONS = 500;
export const MAX_LOGS = 1000;

const errorKey = (e: { id?: string; error?: string; message?: string; stack?: { raw?: string }[] }) =>
  e.id ? `id:${e.id}` : `${e.error ?? ""}\n${e.message ?? ""}\n${(e.stack ?? []).map((f) => f.raw ?? "").join("\n")}`;

export class InvocationStore {
  private byId = new Map<string, LocalInvocation>();
  private seq = 0;
  /** v2: lines seen per request on the current connection. */
  private v2Lines = new Map<string, number>();

  list(): LocalInvocation[] {
    return [...this.byId.values()].sort((a, b) => b.start - a.start || b.seq - a.seq);
  }

  get(id: string): LocalInvocation | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every source seen. */
  sources(): string[] {
    return [...new Set([...this.byId.values()].map((i) => i.source))];
  }

  /** A new connection (v2 replays its buffer from the start). */
  connected(): void {
    this.v2Lines.clear();
  }

  /** Drops the invocations of these sources (or all). */
  clear(sources: string[] | "all"): void {
    if (sources === "all") {
      this.byId.clear();
      return;
    }
    const set = new Set(sources);
    for (const [id, inv] of this.byId) if (set.has(inv.source)) this.byId.delete(id);
  }

  /** Applies one message; returns whether anything changed. */
  apply(msg: LocalMessage, now = Date.now()): boolean {
    switch (msg.type) {
      case "invocation": {
        let changed = false;
        for (const inv of msg.invocations) changed = this.merge(inv, now) || changed;
        return changed;
      }
      case "function.invoked": {
        if (this.byId.has(msg.requestID)) return false; // a replay
        return this.merge({ id: msg.requestID, source: msg.functionID, input: msg.event, hasOutput: false, start: now }, now);
      }
      case "worker.stdout": {
        const inv = this.v2Target(msg.functionID, msg.requestID);
        if (!inv) return false;
        const n = (this.v2Lines.get(inv.id) ?? 0) + 1;
        this.v2Lines.set(inv.id, n);
        return this.merge({ id: inv.id, hasOutput: false, logs: [{ id: `${inv.id}#${n}`, timestamp: now, message: msg.message }] }, now);
      }
      case "function.success": {
        const inv = this.v2Target(msg.functionID, msg.requestID);
        if (!inv) return false;
        return this.merge({ id: inv.id, hasOutput: true, output: msg.body, end: inv.end ?? now }, now);
      }
      case "function.error": {
        const inv = this.v2Target(msg.functionID, msg.requestID);
        if (!inv) return false;
        const error: WireError = { error: msg.errorType, message: msg.errorMessage, stack: msg.trace.map((raw) => ({ raw })), failed: true };
        return this.merge({ id: inv.id, hasOutput: false, errors: [error], end: inv.end ?? now }, now);
      }
      default:
        return false;
    }
  }

  private v2Target(functionID: string, requestID: string | undefined): LocalInvocation | undefined {
    if (requestID) return this.byId.get(requestID);
    // Older v2 events name no request: the newest invocation of that function (as sst/console did).
    return this.list().find((i) => i.source === functionID);
  }

  private merge(update: WireInvocation, now: number): boolean {
    const existing = this.byId.get(update.id);
    const before = existing ? JSON.stringify(existing) : "";
    // A changed invocation is a new object (the UI tells changes by reference); an unchanged one stays.
    const inv: LocalInvocation = existing
      ? { ...existing, errors: [...existing.errors], logs: [...existing.logs] }
      : { id: update.id, source: "", cold: false, hasOutput: false, start: update.start ?? now, errors: [], logs: [], seq: this.seq++ };
    if (update.source) inv.source = update.source;
    if (update.cold) inv.cold = true;
    if (update.start) inv.start = update.start;
    if (update.end) inv.end = update.end;
    if (update.input !== undefined) inv.input = update.input;
    if (update.hasOutput) {
      inv.output = update.output;
      inv.hasOutput = true;
    }
    if (update.report?.duration !== undefined && (update.report.duration > 0 || update.end)) inv.duration = update.report.duration;
    if (update.report?.init) inv.init = update.report.init;
    if (inv.duration === undefined && inv.end !== undefined) inv.duration = Math.max(0, inv.end - inv.start);
    if (update.errors?.length) {
      const seen = new Set(inv.errors.map((e) => e.key));
      for (const e of update.errors) {
        const key = errorKey(e);
        if (seen.has(key)) continue;
        seen.add(key);
        inv.errors.push({
          key,
          error: e.error || "Error",
          message: e.message ?? "",
          stack: (e.stack ?? []).map((f) => f.raw ?? "").filter(Boolean),
          failed: e.failed ?? false,
        });
      }
    }
    if (update.logs?.length) {
      const seen = new Set(inv.logs.map((l) => l.id));
      let added = false;
      for (const l of update.logs) {
        const timestamp = l.timestamp ?? now;
        const message = l.message ?? "";
        const id = l.id || `${timestamp}|${message}`;
        if (seen.has(id)) continue;
        seen.add(id);
        inv.logs.push({ id, timestamp, message });
        added = true;
      }
      if (added) {
        // Stable: lines of the same millisecond keep their order of arrival.
        inv.logs.sort((a, b) => a.timestamp - b.timestamp);
        if (inv.logs.length > MAX_LOGS) inv.logs.splice(0, inv.logs.length - MAX_LOGS);
      }
    }
    if (existing && JSON.stringify(inv) === before) return false;
    this.byId.set(inv.id, inv);
    if (!existing) this.trim();
    return true;
  }

  private trim() {
    if (this.byId.size <= MAX_INVOCATIONS) return;
    const oldest = [...this.byId.values()].sort((a, b) => a.start - b.start || a.seq - b.seq);
    for (const inv of oldest.slice(0, this.byId.size - MAX_INVOCATIONS)) this.byId.delete(inv.id);
  }
}
