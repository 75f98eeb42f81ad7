/**
 * Source-mapping and fingerprinting with a memory of recent results. The same bug
 * keeps failing the same way: identical raw frames from one deployment map to the
 * same source and group the same, so the work is done once per distinct stack and
 * reused for every repeat (the error's own message, request id, time and event ids
 * are kept). The key holds everything the result depends on: the function, the
 * error's type, kind and phase, every raw frame (causes included), and the message
 * whenever grouping may read it (no in-app frames, or the workspace has rules).
 */
import { enrich, looksMinified, type DetectedError, type EnrichOptions, type Extracted } from "./extract";

const MAX_ENTRIES = 5000;
/**
 * Minified frames that found no map are remembered this long only: a map uploaded later
 * must take over soon (the mapped fingerprint, the old issue kept through its minified hash).
 */
const UNMAPPED_TTL_MS = 60_000;

interface Memo {
  frames: DetectedError["frames"];
  causes: DetectedError["causes"];
  fingerprint: Extracted["fingerprint"];
  /** Set on results that are waiting for a map. */
  expires?: number;
}

/**
 * `scope` keeps results apart where the same function (same name, same code) reaches more
 * than one tenant: each workspace has its own source maps and rules (the demo account is
 * connected by many workspaces at once), so a result is reused only within its scope.
 */
export type EnricherOptions = EnrichOptions & { scope?: string };

export class Enricher {
  private memo = new Map<string, Memo>();
  /** The frames part of a key, per frames array: repeated bodies share their parsed frames. */
  private framesKeys = new WeakMap<object, { key: string; inApp: boolean; minified: boolean }>();
  hits = 0;
  misses = 0;

  private framesKey(e: DetectedError): { key: string; inApp: boolean; minified: boolean } {
    const known = this.framesKeys.get(e.frames);
    if (known && !e.causes?.length) return known;
    let key = "";
    let inApp = false;
    for (const f of e.frames) {
      key += `\u0001${f.raw}`;
      if (f.inApp) inApp = true;
    }
    const minified = inApp && looksMinified(e.frames);
    for (const c of e.causes ?? []) {
      key += `\u0002${c.type}\u0000${c.message}`;
      for (const f of c.frames) key += `\u0001${f.raw}`;
    }
    const value = { key, inApp, minified };
    if (!e.causes?.length) this.framesKeys.set(e.frames, value);
    return value;
  }

  private rulesKeys = new WeakMap<object, string>();

  /** The rules are part of the key: a new rule must not reuse results computed without it. */
  private rulesKey(opts: EnrichOptions): string {
    if (!opts.rules?.length) return "";
    let key = this.rulesKeys.get(opts.rules);
    if (key === undefined) {
      key = JSON.stringify(opts.rules);
      this.rulesKeys.set(opts.rules, key);
    }
    return key;
  }

  private key(e: DetectedError, opts: EnricherOptions): string {
    const frames = this.framesKey(e);
    const inApp = frames.inApp;
    let key = `${opts.scope ?? ""}\u0000${opts.functionArn ?? ""}\u0000${opts.functionName ?? opts.logGroup ?? ""}\u0000${this.rulesKey(opts)}\u0000${e.type}\u0000${e.kind}\u0000${e.phase}\u0000${e.runtime}${frames.key}`;
    // Grouping reads the message when there is no in-app frame, and for minified frames.
    if (!inApp || frames.minified || opts.rules?.length || e.fingerprint || !e.frames.length) key += `\u0003${e.message}\u0000${e.fingerprint?.join("\u0000") ?? ""}`;
    return key;
  }

  async enrich(errors: readonly DetectedError[], opts: EnricherOptions): Promise<Extracted[]> {
    const out = new Array<Extracted>(errors.length);
    const missing: number[] = [];
    const keys = errors.map((e) => this.key(e, opts));
    const now = Date.now();
    for (const [i, e] of errors.entries()) {
      const hit = this.memo.get(keys[i]!);
      if (hit && hit.expires !== undefined && hit.expires <= now) this.memo.delete(keys[i]!);
      else if (hit) {
        this.hits++;
        this.memo.delete(keys[i]!);
        this.memo.set(keys[i]!, hit);
        out[i] = { error: { ...e, frames: hit.frames, causes: hit.causes }, fingerprint: hit.fingerprint };
      } else missing.push(i);
    }
    if (missing.length) {
      this.misses += missing.length;
      const done = await enrich(
        missing.map((i) => errors[i]!),
        opts,
      );
      for (const [j, i] of missing.entries()) {
        const x = done[j]!;
        out[i] = x;
        const memo: Memo = { frames: x.error.frames, causes: x.error.causes, fingerprint: x.fingerprint };
        if (x.fingerprint.basis === "minified") memo.expires = now + UNMAPPED_TTL_MS;
        this.memo.set(keys[i]!, memo);
        if (this.memo.size > MAX_ENTRIES) this.memo.delete(this.memo.keys().next().value!);
      }
    }
    return out;
  }

  clear() {
    this.memo.clear();
  }
}
