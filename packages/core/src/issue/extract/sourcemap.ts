/**
 * Source maps: turn frames of a bundled `/var/task` file back into the original source,
 * with the line's text and its neighbours for display and grouping.
 *
 * Three parts:
 * - a **provider** (interface) says which map serves a bundle file for a function at a
 *   given time (SST keeps one per deployment; the event's timestamp picks the deployment)
 *   and loads it. Providers live outside this module: the SST bootstrap bucket, an upload
 *   API, the function package, a local directory (`dirProvider`, used by the CLI).
 * - a **cache** of parsed maps, keyed by the map's identity, bounded by an estimate of the
 *   memory the parsed maps hold (LRU). Parsing costs 5-200 ms for real bundles, a lookup
 *   about a microsecond, so a map is parsed once per identity, never per event; concurrent
 *   requests for one map share one parse. `stats.parses` counts parses for tests.
 * - `symbolicate`, which maps the frames of an error.
 *
 * Library: @jridgewell/trace-mapping, measured against source-map 0.7 (WASM) and
 * source-map-js on our kind of maps (esbuild bundles, minified) in test/bench/sourcemap.ts.
 *
 * Positions: V8 prints 1-based lines and 1-based columns; maps store 0-based lines and
 * columns. `traceSegment` takes both 0-based, so the stack's line and column are each
 * decremented before the lookup and the original position incremented after it. A column
 * off by one lands on the neighbouring segment, which in minified code is another
 * statement: tests check positions exactly against real bundles.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { AnyMap, decodedMappings, traceSegment, type TraceMap } from "@jridgewell/trace-mapping";
import { basename } from "./text";
import type { DetectedError, ErrorCause, Frame, SourceContext } from "./types";

export interface SourceMapRequest {
  /** The frame's file as logged, `file://` removed: `/var/task/index.mjs`. */
  file: string;
  /** The event's time: a provider picks the map of the deployment live at that time. */
  timestamp: number;
  functionName?: string;
  functionArn?: string;
  logGroup?: string;
  region?: string;
}

/** A map as stored: JSON text, bytes (gzip accepted), or an already parsed object. */
export type RawSourceMap = string | Uint8Array | Record<string, unknown>;

export interface SourceMapHandle {
  /** Identity of the map's content (object key + etag, a debug id...): the cache key. */
  id: string;
  load(): Promise<RawSourceMap>;
}

export interface SourceMapProvider {
  /** Which map serves this file; undefined when there is none. Should be cheap (cache lookups). */
  locate(request: SourceMapRequest): Promise<SourceMapHandle | undefined>;
}

interface ParsedMap {
  id: string;
  map: TraceMap;
  bytes: number;
  lines: Map<number, string[]>;
}

export interface SourceMapCacheStats {
  parses: number;
  hits: number;
  misses: number;
  evictions: number;
  failures: number;
  entries: number;
  bytes: number;
}

export interface SourceMapCacheOptions {
  /** Upper bound of the estimated memory held by parsed maps. Default 256 MiB. */
  maxBytes?: number;
}

/**
 * Memory a parsed map holds once its mappings are decoded (trace-mapping keeps arrays of
 * segments, about 16 bytes per character of `mappings`) plus its sources' text. Calibrated
 * against measured heap growth in test/bench/sourcemap.ts (within 5% on esbuild maps of
 * 1.3 and 7 MB).
 */
export function estimateMapBytes(raw: Record<string, unknown>): number {
  const mappings = typeof raw.mappings === "string" ? raw.mappings.length : 0;
  let content = 0;
  if (Array.isArray(raw.sourcesContent)) for (const s of raw.sourcesContent) if (typeof s === "string") content += s.length;
  return 4096 + mappings * 16 + content * 2;
}

/** Largest source map read, inflated (README, "Source maps"): a larger one counts as broken. */
export const MAX_SOURCE_MAP_BYTES = 50 * 1024 * 1024;

function toObject(raw: RawSourceMap): Record<string, unknown> {
  if (typeof raw === "string") {
    if (raw.length > MAX_SOURCE_MAP_BYTES) throw new Error("source map too large");
    return JSON.parse(raw) as Record<string, unknown>;
  }
  if (raw instanceof Uint8Array) {
    if (raw.length > MAX_SOURCE_MAP_BYTES) throw new Error("source map too large");
    // A gzipped map never inflates past the cap (gunzipSync throws beyond it).
    const bytes = raw.length > 2 && raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw, { maxOutputLength: MAX_SOURCE_MAP_BYTES }) : raw;
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as Record<string, unknown>;
  }
  return raw;
}

export class SourceMapCache {
  readonly stats: SourceMapCacheStats = { parses: 0, hits: 0, misses: 0, evictions: 0, failures: 0, entries: 0, bytes: 0 };
  private readonly maxBytes: number;
  private readonly entries = new Map<string, ParsedMap>();
  private readonly inflight = new Map<string, Promise<ParsedMap | undefined>>();
  /** Ids that failed to load or parse, so a broken map is not fetched for every event. */
  private readonly failed = new Map<string, number>();

  constructor(opts: SourceMapCacheOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  }

  /** The parsed map of `handle`, loading and parsing it on first use. */
  async get(handle: SourceMapHandle): Promise<ParsedMap | undefined> {
    const hit = this.entries.get(handle.id);
    if (hit) {
      this.stats.hits++;
      this.entries.delete(handle.id);
      this.entries.set(handle.id, hit);
      return hit;
    }
    if (this.failed.has(handle.id)) return undefined;
    const pending = this.inflight.get(handle.id);
    if (pending) {
      this.stats.hits++;
      return pending;
    }
    this.stats.misses++;
    const p = this.load(handle).finally(() => this.inflight.delete(handle.id));
    this.inflight.set(handle.id, p);
    return p;
  }

  private async load(handle: SourceMapHandle): Promise<ParsedMap | undefined> {
    try {
      const raw = toObject(await handle.load());
      this.stats.parses++;
      const map = new AnyMap(raw as never);
      const entry: ParsedMap = { id: handle.id, map, bytes: estimateMapBytes(raw), lines: new Map() };
      this.insert(entry);
      return entry;
    } catch {
      this.stats.failures++;
      this.failed.set(handle.id, Date.now());
      if (this.failed.size > 1000) this.failed.delete(this.failed.keys().next().value as string);
      return undefined;
    }
  }

  private insert(entry: ParsedMap): void {
    this.entries.set(entry.id, entry);
    this.stats.bytes += entry.bytes;
    // Evict least recently used maps, but always keep the one just added.
    while (this.stats.bytes > this.maxBytes && this.entries.size > 1) {
      const [oldestId, oldest] = this.entries.entries().next().value as [string, ParsedMap];
      this.entries.delete(oldestId);
      this.stats.bytes -= oldest.bytes;
      this.stats.evictions++;
    }
    this.stats.entries = this.entries.size;
  }

  /** Forget a map (a redeploy replaced it under the same id, a test). */
  delete(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.stats.bytes -= e.bytes;
    this.stats.entries = this.entries.size;
  }
}

// ---------------------------------------------------------------- mapping

/** A source path as people know it: no `webpack://app/`, `./` or `../` prefixes. */
export function cleanSourcePath(source: string): string {
  let s = source;
  const webpack = /^webpack:\/\/[^/]*\//.exec(s);
  if (webpack) s = s.slice(webpack[0].length);
  else if (s.startsWith("file://")) s = s.slice(7);
  else {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s);
    if (scheme) s = s.slice(scheme[0].length);
  }
  while (s.startsWith("./") || s.startsWith("../")) s = s.slice(s.startsWith("./") ? 2 : 3);
  return s.replace(/\/\.\//g, "/");
}

const CONTEXT_LINES = 3;
const MAX_CONTEXT_CHARS = 400;

function clipLine(line: string): string {
  return line.length > MAX_CONTEXT_CHARS ? line.slice(0, MAX_CONTEXT_CHARS) + "…" : line;
}

function sourceLines(parsed: ParsedMap, index: number): string[] | undefined {
  const cached = parsed.lines.get(index);
  if (cached) return cached;
  const content = parsed.map.sourcesContent?.[index];
  if (typeof content !== "string") return undefined;
  const lines = content.split(/\r\n|\r|\n/);
  parsed.lines.set(index, lines);
  return lines;
}

/** Source line `line` (1-based) with up to three lines each side. */
export function contextFor(lines: readonly string[], line: number): SourceContext | undefined {
  const i = line - 1;
  if (i < 0 || i >= lines.length) return undefined;
  const from = Math.max(0, i - CONTEXT_LINES);
  return {
    start: from + 1,
    pre: lines.slice(from, i).map(clipLine),
    line: clipLine(lines[i]!),
    post: lines.slice(i + 1, i + 1 + CONTEXT_LINES).map(clipLine),
  };
}

interface Position {
  source: string;
  index: number;
  line: number;
  column: number;
  name?: string;
}

/** Look up a stack position (1-based line and column) in a parsed map. */
export function lookup(parsed: ParsedMap, line: number, column: number): Position | undefined {
  if (line < 1 || column < 1) return undefined;
  const seg = traceSegment(parsed.map, line - 1, column - 1);
  if (!seg || seg.length < 4) return undefined;
  const index = seg[1]!;
  const source = parsed.map.sources[index];
  if (source == null) return undefined;
  const pos: Position = { source, index, line: seg[2]! + 1, column: seg[3]! + 1 };
  if (seg.length === 5) {
    const name = parsed.map.names[seg[4]!];
    if (name) pos.name = name;
  }
  return pos;
}

/**
 * The original name of the function a caller frame called: the name mapped at the call
 * position (`foo()` calls foo), as Node's own source-map support does. V8 points async
 * frames at the `await` keyword, which has no name: then the awaited call's name is the
 * next named segment of the same original line.
 */
export function calleeName(parsed: ParsedMap, line: number, column: number): string | undefined {
  const pos = lookup(parsed, line, column);
  if (!pos) return undefined;
  if (pos.name) return pos.name;
  const text = sourceLines(parsed, pos.index)?.[pos.line - 1];
  if (!text?.startsWith("await", pos.column - 1)) return undefined;
  const segments = decodedMappings(parsed.map)[line - 1];
  if (!segments) return undefined;
  let i = 0;
  while (i < segments.length && segments[i]![0] < column - 1) i++;
  for (let n = 0; i < segments.length && n < 8; i++, n++) {
    const seg = segments[i]!;
    if (seg.length === 1) continue;
    if (seg[1] !== pos.index || seg[2] !== pos.line - 1) break;
    if (seg.length === 5) return parsed.map.names[seg[4]];
  }
  return undefined;
}

export interface SymbolicateOptions {
  provider: SourceMapProvider;
  cache: SourceMapCache;
  functionName?: string;
  functionArn?: string;
  logGroup?: string;
  region?: string;
  /** Which frames to map. Default: `/var/task` files outside node_modules, with line and column. */
  shouldMap?: (frame: Frame) => boolean;
}

export function defaultShouldMap(frame: Frame): boolean {
  return frame.line !== undefined && frame.column !== undefined && frame.file.startsWith("/var/task/") && !frame.file.includes("/node_modules/");
}

type Resolved = { parsed: ParsedMap } | undefined;

/**
 * Map the frames of `error` (and of its causes). Frames without a map stay as they are.
 * Never throws for a missing or broken map; provider errors count as "no map".
 */
export async function symbolicate(error: DetectedError, opts: SymbolicateOptions): Promise<DetectedError> {
  const should = opts.shouldMap ?? defaultShouldMap;
  const files = new Map<string, Promise<Resolved>>();
  const resolve = (file: string): Promise<Resolved> => {
    let p = files.get(file);
    if (!p) {
      p = (async () => {
        try {
          const handle = await opts.provider.locate({
            file,
            timestamp: error.timestamp,
            functionName: opts.functionName,
            functionArn: opts.functionArn,
            logGroup: opts.logGroup,
            region: opts.region,
          });
          if (!handle) return undefined;
          const parsed = await opts.cache.get(handle);
          return parsed ? { parsed } : undefined;
        } catch {
          return undefined;
        }
      })();
      files.set(file, p);
    }
    return p;
  };
  const mapList = async (frames: Frame[]): Promise<Frame[]> => {
    const maps = await Promise.all(frames.map((f) => (should(f) ? resolve(f.file) : Promise.resolve(undefined))));
    return frames.map((f, i) => {
      const r = maps[i];
      if (!r) return f;
      // The caller's position names the function this frame is in (`foo()` calls foo).
      const caller = frames[i + 1];
      const callerMap = caller ? maps[i + 1] : undefined;
      const callerName = caller?.line !== undefined && caller.column !== undefined && callerMap?.parsed === r.parsed ? calleeName(r.parsed, caller.line, caller.column) : undefined;
      return mapFrame(f, r.parsed, callerName);
    });
  };
  const frames = await mapList(error.frames);
  const out: DetectedError = { ...error, frames };
  if (error.causes) out.causes = await Promise.all(error.causes.map(async (c): Promise<ErrorCause> => ({ ...c, frames: await mapList(c.frames) })));
  return out;
}

function mapFrame(frame: Frame, parsed: ParsedMap, callerName: string | undefined): Frame {
  if (frame.line === undefined || frame.column === undefined) return frame;
  const pos = lookup(parsed, frame.line, frame.column);
  if (!pos) return frame;
  const file = cleanSourcePath(pos.source);
  const generated: NonNullable<Frame["generated"]> = { file: frame.file, line: frame.line, column: frame.column };
  if (frame.function) generated.function = frame.function;
  const mapped: Frame = { file, line: pos.line, column: pos.column, inApp: !/(?:^|\/)node_modules\//.test(file), raw: frame.raw, generated };
  const lines = sourceLines(parsed, pos.index);
  // No caller named it (the outermost frame, called by the runtime): the nearest enclosing
  // declaration in the original source beats the bundle's minified name.
  const fn = callerName ?? (lines ? enclosingFunction(lines, pos.line) : undefined) ?? frame.function;
  if (fn) mapped.function = fn;
  if (frame.module) mapped.module = frame.module;
  const context = lines ? contextFor(lines, pos.line) : undefined;
  if (context) mapped.context = context;
  return mapped;
}

const DECLARATION =
  /(?:\bfunction(?:\s*\*\s*|\s+)([A-Za-z_$][\w$]*)\s*\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)|^\s*(?:(?:public|private|protected|static|async|override)\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]+)?\{\s*$)/;
/** Declarations start near the beginning of a line: longer lines are read up to here. */
const MAX_DECLARATION_LINE = 2000;
const NOT_NAMES = new Set(["if", "for", "while", "switch", "catch", "function", "return", "with"]);

/** The name of the function declared nearest above `line` (1-based) in an original source. */
export function enclosingFunction(lines: readonly string[], line: number): string | undefined {
  for (let i = Math.min(line, lines.length) - 1, n = 0; i >= 0 && n < 80; i--, n++) {
    const text = lines[i]!;
    const m = DECLARATION.exec(text.length > MAX_DECLARATION_LINE ? text.slice(0, MAX_DECLARATION_LINE) : text);
    const name = m && (m[1] ?? m[2] ?? m[3]);
    if (name && !NOT_NAMES.has(name)) return name;
  }
  return undefined;
}

// ---------------------------------------------------------------- providers

/**
 * Maps from a local directory: frame file `.../X` uses `DIR/X.map`. The id includes the
 * file's size and mtime so an edited map is parsed again.
 */
export function dirProvider(dir: string): SourceMapProvider {
  return {
    async locate(request) {
      const path = join(dir, `${basename(request.file)}.map`);
      try {
        const s = await stat(path);
        if (!s.isFile()) return undefined;
        return { id: `${path}:${s.size}:${s.mtimeMs}`, load: () => readFile(path) };
      } catch {
        return undefined;
      }
    },
  };
}

/** Maps held in memory, by frame file or base name: for tests and the local demo. */
export function memoryProvider(maps: Record<string, RawSourceMap>): SourceMapProvider {
  return {
    async locate(request) {
      const key = request.file in maps ? request.file : basename(request.file);
      const raw = maps[key];
      if (raw === undefined) return undefined;
      return { id: `memory:${key}`, load: async () => raw };
    },
  };
}
