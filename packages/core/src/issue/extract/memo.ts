/**
 * The detector's bounded memories: `SpanMemo`, keyed by spans of a log line (the parsers'
 * memory of repeated bodies), and `Bounded`, a size-capped map.
 *
 * A bounded memo keyed by spans of a log line, for the parsers' memory of repeated bodies.
 *
 * A repeat of a bug is the same kilobyte of text in a new string (the line around it holds a
 * new request id and time). A Map keyed by that text hashes every character of every repeat
 * (about 1.2 µs for 800 characters in V8) and, when the key is built by concatenation,
 * copies it first. This memo hashes a sample of the characters instead (at most about 64)
 * and confirms a hit by comparing the spans with the stored text, which the engine does with
 * a block compare: about a tenth of the cost. Different texts that sample alike share a
 * bucket and are told apart by that comparison, so a lookup is never wrong; a bucket holds a
 * few entries at most, so no input can make lookups slow. Old entries leave by generation
 * (see `SpanMemo`), never one by one from the front of a map: that walks over the holes
 * earlier deletions left, again for every eviction.
 */

const FNV_PRIME = 0x01000193;
/** Entries per bucket: texts that sample alike beyond this push out the oldest. */
const BUCKET_MAX = 4;

interface Entry<V> {
  tag: number;
  parts: string[];
  value: V;
}

/** Sampled hash of `text[from, to)`, mixed into `h`: every character of short spans, about 32 of long ones, and the last 8. */
function mix(h: number, text: string, from: number, to: number): number {
  const n = to - from;
  h = Math.imul(h ^ n, FNV_PRIME);
  if (n <= 64) {
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
    return h;
  }
  const step = n >> 5;
  for (let i = from; i < to; i += step) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  for (let i = to - 8; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Values by (tag, spans of a text). `spans` is flat: `[from0, to0, from1, to1, ...]`; the key
 * is the tag and the text of every span, in order (so what lies between spans, a request id
 * or a time, is not part of it).
 */
export class SpanMemo<V> {
  /**
   * Two generations of buckets: entries go to the young one; when it holds half the bound it
   * becomes the old one and the previous old one is dropped whole. A hit in the old one
   * moves to the young one, so what keeps repeating stays.
   */
  private young = new Map<number, Entry<V>[]>();
  private youngEntries = 0;
  private old = new Map<number, Entry<V>[]>();
  private oldEntries = 0;
  private readonly half: number;

  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }

  get size(): number {
    return this.youngEntries + this.oldEntries;
  }

  private hash(tag: number, text: string, spans: readonly number[]): number {
    let h = Math.imul(0x811c9dc5 ^ tag, FNV_PRIME);
    for (let s = 0; s < spans.length; s += 2) h = mix(h, text, spans[s]!, spans[s + 1]!);
    return h;
  }

  private static same<V>(e: Entry<V>, tag: number, text: string, spans: readonly number[]): boolean {
    if (e.tag !== tag || e.parts.length * 2 !== spans.length) return false;
    for (let s = 0, p = 0; s < spans.length; s += 2, p++) {
      const part = e.parts[p]!;
      const from = spans[s]!;
      const to = spans[s + 1]!;
      if (part.length !== to - from) return false;
      // A slice is a view (no copy) and `===` of two flat strings is a block compare.
      if ((from === 0 && to === text.length ? text : text.slice(from, to)) !== part) return false;
    }
    return true;
  }

  private static find<V>(bucket: Entry<V>[] | undefined, tag: number, text: string, spans: readonly number[]): number {
    if (!bucket) return -1;
    for (let i = 0; i < bucket.length; i++) if (SpanMemo.same(bucket[i]!, tag, text, spans)) return i;
    return -1;
  }

  /** The remembered value; `undefined` when there is none (a remembered `null` is returned as such). */
  get(tag: number, text: string, spans: readonly number[]): V | undefined {
    const h = this.hash(tag, text, spans);
    const young = this.young.get(h);
    const i = SpanMemo.find(young, tag, text, spans);
    if (i !== -1) return young![i]!.value;
    const old = this.old.get(h);
    const j = SpanMemo.find(old, tag, text, spans);
    if (j === -1) return undefined;
    const [entry] = old!.splice(j, 1);
    this.oldEntries--;
    this.add(h, entry!);
    return entry!.value;
  }

  set(tag: number, text: string, spans: readonly number[], value: V): void {
    const h = this.hash(tag, text, spans);
    const young = this.young.get(h);
    const i = SpanMemo.find(young, tag, text, spans);
    if (i !== -1) {
      young![i]!.value = value;
      return;
    }
    const old = this.old.get(h);
    const j = SpanMemo.find(old, tag, text, spans);
    if (j !== -1) {
      old!.splice(j, 1);
      this.oldEntries--;
    }
    const parts: string[] = [];
    // Stored as copies of their own: a slice would keep the whole line alive.
    for (let s = 0; s < spans.length; s += 2) parts.push(flat(text.slice(spans[s]!, spans[s + 1]!)));
    this.add(h, { tag, parts, value });
  }

  private add(h: number, entry: Entry<V>): void {
    if (this.youngEntries >= this.half) {
      this.old = this.young;
      this.oldEntries = this.youngEntries;
      this.young = new Map();
      this.youngEntries = 0;
    }
    let bucket = this.young.get(h);
    if (!bucket) this.young.set(h, (bucket = []));
    if (bucket.length >= BUCKET_MAX) {
      bucket.shift();
      this.youngEntries--;
    }
    bucket.push(entry);
    this.youngEntries++;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
    this.youngEntries = 0;
    this.oldEntries = 0;
  }
}

/** A copy of `s` that does not point into the larger line it was sliced from. */
function flat(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * Map with a size cap, in two generations: entries are written to the young one; when it
 * holds half the cap it becomes the old one and the previous old one is dropped whole. What
 * is read or written again lives on (it is copied to the young generation). Evicting one
 * oldest entry per write instead (`keys().next()` then `delete`) leaves holes at the front
 * of the map that every later eviction walks over again: quadratic for a stream's worth of
 * request ids.
 */
export class Bounded<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;
  constructor(max: number) {
    this.half = Math.max(1, Math.floor(max / 2));
  }
  get(k: K): V | undefined {
    const v = this.young.get(k);
    if (v !== undefined || this.young.has(k)) return v;
    if (!this.old.has(k)) return undefined;
    const kept = this.old.get(k) as V;
    this.set(k, kept);
    return kept;
  }
  has(k: K): boolean {
    return this.young.has(k) || this.old.has(k);
  }
  set(k: K, v: V): void {
    if (!this.young.has(k) && this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(k, v);
    this.old.delete(k);
  }
}
