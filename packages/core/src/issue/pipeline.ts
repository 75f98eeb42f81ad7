/**
 * The Issues pipeline, one module for every caller: the Kinesis consumer (./ingest) and the
 * `extract` CLI (functions/src/cli/extract.ts) run the same stages with the same work cache,
 * and differ only in where events come from and where errors go.
 *
 *   record or line ──decode──▶ log events of one stream
 *                  ──detect──▶ DetectedError[] (one detector per stream, ./extract/detector.ts)
 *                  ──enrich──▶ source-mapped and fingerprinted (./enrich.ts: each distinct stack
 *                              once, its repeats reuse the result; maps parsed once per process)
 *
 * The work cache is the pipeline's: the Enricher's memory of stacks, the parsed source maps,
 * and (module-wide, in ./extract/classify.ts) the parsed bodies of repeated log lines.
 */
import { Enricher, type EnricherOptions } from "./enrich";
import {
  createDetector,
  decodeSubscriptionPayload,
  isDataMessage,
  SourceMapCache,
  subscriptionPayloadOf,
  type DetectedError,
  type Detector,
  type Extracted,
  type LogEvent,
  type SourceMapProvider,
  type StreamContext,
  type SubscriptionPayload,
  type SymbolicateOptions,
} from "./extract";

export interface PipelineOptions {
  /** Memory for parsed source maps (default: the cache's own default). */
  sourceMapBytes?: number;
}

/** How the errors of one stream are enriched, besides the stream's own context. */
export interface StreamOptions {
  /** Keeps results apart per tenant (the consumer's workspace): see EnricherOptions. */
  scope?: string;
  rules?: EnricherOptions["rules"];
  /** Where source maps come from; none: frames stay as logged. */
  sourcemaps?: { provider: SourceMapProvider; shouldMap?: SymbolicateOptions["shouldMap"] };
}

/** One log stream going through the pipeline: its detector (state across events) and enrich options. */
export interface PipelineStream {
  readonly context: StreamContext;
  readonly detector: Detector;
  readonly enrich: EnricherOptions;
}

/**
 * Decode: a Kinesis record's data, or an input line holding a subscription payload (gzip,
 * its base64, or JSON). Null for a control message (no log events); throws PayloadError for
 * anything that is not a payload.
 */
export function decodeRecord(data: string | Uint8Array): SubscriptionPayload | null {
  const payload = decodeSubscriptionPayload(data);
  return isDataMessage(payload) ? payload : null;
}

/** The same, for a payload the caller has already parsed from JSON (no second parse). */
export function decodeParsed(json: unknown): SubscriptionPayload | null {
  const payload = subscriptionPayloadOf(json);
  return isDataMessage(payload) ? payload : null;
}

export class Pipeline {
  readonly enricher = new Enricher();
  readonly sourceMaps: SourceMapCache;

  constructor(options: PipelineOptions = {}) {
    this.sourceMaps = new SourceMapCache(options.sourceMapBytes ? { maxBytes: options.sourceMapBytes } : {});
  }

  /** The first stage (./pipeline.ts decodeRecord). */
  decode(data: string | Uint8Array): SubscriptionPayload | null {
    return decodeRecord(data);
  }

  /** A stream's state, to be kept for as long as its events keep coming. */
  stream(context: StreamContext, options: StreamOptions = {}): PipelineStream {
    const enrich: EnricherOptions = { ...context };
    if (options.scope !== undefined) enrich.scope = options.scope;
    if (options.rules) enrich.rules = options.rules;
    if (options.sourcemaps) enrich.sourcemaps = { provider: options.sourcemaps.provider, cache: this.sourceMaps, shouldMap: options.sourcemaps.shouldMap };
    return { context, detector: createDetector(context), enrich };
  }

  /** Detect: the errors completed by these events of the stream (often none); `end` flushes what is held. */
  detect(stream: PipelineStream, events: Iterable<LogEvent>, end = false): DetectedError[] {
    const out: DetectedError[] = [];
    for (const event of events) {
      const found = stream.detector.push(event);
      for (let i = 0; i < found.length; i++) out.push(found[i]!);
    }
    if (end) for (const e of stream.detector.flush()) out.push(e);
    return out;
  }

  /** Enrich: source-map and fingerprint errors of the stream (repeats of a known stack reuse its result). */
  enrich(stream: PipelineStream, errors: readonly DetectedError[]): Promise<Extracted[]> {
    return errors.length ? this.enricher.enrich(errors, stream.enrich) : Promise.resolve([]);
  }

  /** Detect and enrich in one call. */
  async run(stream: PipelineStream, events: Iterable<LogEvent>, end = false): Promise<Extracted[]> {
    return this.enrich(stream, this.detect(stream, events, end));
  }

  stats() {
    return { sourceMaps: { ...this.sourceMaps.stats }, enrich: { hits: this.enricher.hits, misses: this.enricher.misses } };
  }

  /** Forgets remembered results (tests; the source maps stay parsed). */
  clear() {
    this.enricher.clear();
  }
}
