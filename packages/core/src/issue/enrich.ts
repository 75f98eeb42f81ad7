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

interface FramesKey {
  key: string;
  inApp: boolean;
  minified: boolean;
  causes: DetectedError["causes"];
  /** Whole keys built on these frames (the newest last), with what they were built from. */
  full: BuiltKey[];
}

interface BuiltKey {
  context: number;
  /** Whether the key holds the message and fingerprint (they are compared only then). */
  withMessage: boolean;
  type: string;
  kind: string;
  phase: string;
  runtime: string;
  /** Set when the key holds the message and fingerprint. */
  message: string | undefined;
  fingerprint: string[] | undefined;
  key: string;
}

function sameFingerprint(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Memo {
  frames: DetectedError["frames"];
  causes: DetectedError["causes"];
  fingerprint: Extracted["fingerprint"];
  /** Set on results that are waiting for a map. */
  expires?: number;
  /** `Enricher.sets` when the entry was last placed at the LRU's end. */
  at: number;
}

/**
 * `scope` keeps results apart where the same function (same name, same code) reaches more
 * than one tenant: each workspace has its own source maps and rules (the demo account is
 * connected by many workspaces at once), so a result is reused only within its scope.
 */
export type EnricherOptions = EnrichOptions & { scope?: string };

/**
 * The error with the remembered frames and causes, built field by field (a DetectedError's
 * fields, as the detector writes them): a spread of objects of many shapes is slow.
 */
function withFrames(e: DetectedError, frames: DetectedError["frames"], causes: DetectedError["causes"]): DetectedError {
  const out: DetectedError = { type: e.type, message: e.message, frames, kind: e.kind, phase: e.phase, timestamp: e.timestamp, eventIds: e.eventIds, runtime: e.runtime };
  if (e.requestId !== undefined) out.requestId = e.requestId;
  if (causes !== undefined) out.causes = causes;
  if (e.fingerprint !== undefined) out.fingerprint = e.fingerprint;
  return out;
}

export class Enricher {
  private memo = new Map<string, Memo>();
  /**
   * The frames part of a key, per frames array and the causes it came with: the detector's
   * memos hand out the same arrays for repeated bodies, so that part is built once. Each also
   * keeps the whole keys built on it: a repeat gets the very same key string back, and the
   * memo's lookup hashes nothing new (a key is about a kilobyte of raw frames; building and
   * hashing it again for every repeat was most of the cost of a hit).
   */
  private framesKeys = new WeakMap<object, FramesKey>();
  /** Context strings (tenant, function, rules) as short ids, for the keys of `FramesKey.full`. */
  private contexts = new Map<string, number>();
  private nextContext = 0;
  /** Entries placed at the LRU's end so far (`Memo.at`: when an entry last was). */
  private sets = 0;
  hits = 0;
  misses = 0;

  /** The frames part of errors with no frames and no causes (timeouts, exits): each brings a new empty array. */
  private readonly noFrames: FramesKey = { key: "", inApp: false, minified: false, causes: undefined, full: [] };

  private framesKey(e: DetectedError): FramesKey {
    if (e.frames.length === 0 && e.causes === undefined) return this.noFrames;
    const known = this.framesKeys.get(e.frames);
    if (known && known.causes === e.causes) return known;
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
    const value: FramesKey = { key, inApp, minified, causes: e.causes, full: [] };
    this.framesKeys.set(e.frames, value);
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

  /** What every key of one call shares (tenant, function, rules), and its short id. */
  private context(opts: EnricherOptions): { text: string; id: number } {
    const text = `${opts.scope ?? ""}\u0000${opts.functionArn ?? ""}\u0000${opts.functionName ?? opts.logGroup ?? ""}\u0000${this.rulesKey(opts)}`;
    let id = this.contexts.get(text);
    if (id === undefined) {
      // Ids are never reused, so a key cached under an id forgotten here can never be found again.
      if (this.contexts.size >= MAX_ENTRIES) this.contexts.clear();
      this.contexts.set(text, (id = this.nextContext++));
    }
    return { text, id };
  }

  private key(e: DetectedError, opts: EnricherOptions, context: { text: string; id: number }): string {
    const frames = this.framesKey(e);
    // Grouping reads the message when there is no in-app frame, and for minified frames.
    const withMessage = !frames.inApp || frames.minified || !!opts.rules?.length || !!e.fingerprint || !e.frames.length;
    const full = frames.full;
    // The keys already built on these frames, compared field by field: repeats share their
    // strings, so this is mostly pointer compares, where a lookup by string would hash them.
    for (let i = full.length - 1; i >= 0; i--) {
      const k = full[i]!;
      if (
        k.context === context.id &&
        k.withMessage === withMessage &&
        k.type === e.type &&
        k.kind === e.kind &&
        k.phase === e.phase &&
        k.runtime === e.runtime &&
        (!withMessage || (k.message === e.message && sameFingerprint(k.fingerprint, e.fingerprint)))
      ) {
        return k.key;
      }
    }
    const head = `${e.type}\u0000${e.kind}\u0000${e.phase}\u0000${e.runtime}`;
    const message = withMessage ? `\u0003${e.message}\u0000${e.fingerprint?.join("\u0000") ?? ""}` : "";
    const key = `${context.text}\u0000${head}${frames.key}${message}`;
    if (full.length >= 64) full.shift();
    full.push({ context: context.id, withMessage, type: e.type, kind: e.kind, phase: e.phase, runtime: e.runtime, message: withMessage ? e.message : undefined, fingerprint: withMessage ? e.fingerprint : undefined, key });
    return key;
  }

  async enrich(errors: readonly DetectedError[], opts: EnricherOptions): Promise<Extracted[]> {
    const out = new Array<Extracted>(errors.length);
    const missing: number[] = [];
    const context = this.context(opts);
    const keys = errors.map((e) => this.key(e, opts, context));
    const now = Date.now();
    for (let i = 0; i < errors.length; i++) {
      const key = keys[i]!;
      const hit = this.memo.get(key);
      if (hit && hit.expires !== undefined && hit.expires <= now) {
        // Expired (a minified stack waiting for its map): computed again.
        this.memo.delete(key);
        missing.push(i);
      } else if (hit) {
        this.hits++;
        // An LRU that moves an entry only once it is in the older half: as good at keeping what
        // repeats, without two more map operations per hit.
        if (this.sets - hit.at > MAX_ENTRIES / 2) {
          this.memo.delete(key);
          this.memo.set(key, hit);
          hit.at = this.sets++;
        }
        out[i] = { error: withFrames(errors[i]!, hit.frames, hit.causes), fingerprint: hit.fingerprint };
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
        const memo: Memo = { frames: x.error.frames, causes: x.error.causes, fingerprint: x.fingerprint, at: this.sets++ };
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
