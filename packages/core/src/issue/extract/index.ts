/**
 * The error-extraction engine of Issues: pure functions from CloudWatch log events to
 * detected, source-mapped, fingerprinted errors. No database, no AWS: the Kinesis
 * consumer, the local runtime and the CLI feed it and store what it returns.
 *
 *   events of one stream ──createDetector/detect──▶ DetectedError[]
 *                         ──symbolicate (maps)───▶ frames mapped to original source
 *                         ──fingerprint──────────▶ { hash, hashes, version }
 *
 * `enrich` runs the last two steps for a batch. See each module for the reasons behind
 * its rules: classify.ts (what is an error), detector.ts (state across events),
 * frames.ts (in-app), sourcemap.ts (maps and cache), fingerprint.ts (grouping).
 */
import { z } from "zod";
import { createDetector as createStreamDetector, detect as detectStream, runtimeFromHint, type Detector } from "./detector";
import { decodeSubscriptionPayload, isDataMessage, PayloadError, subscriptionPayloadOf, SubscriptionPayloadSchema, type SubscriptionPayload } from "./decode";
import { fingerprint, functionNameOf, GROUPING_VERSION, looksMinified, type Fingerprint, type FingerprintOptions } from "./fingerprint";
import { normalizeMessage } from "./normalize";
import { FingerprintRuleSchema, globMatch, parseRules, type FingerprintRule } from "./rules";
import {
  cleanSourcePath,
  dirProvider,
  memoryProvider,
  SourceMapCache,
  symbolicate,
  type RawSourceMap,
  type SourceMapCacheOptions,
  type SourceMapHandle,
  type SourceMapProvider,
  type SourceMapRequest,
  type SymbolicateOptions,
} from "./sourcemap";
import type { DetectedError, LogEvent, StreamContext } from "./types";

export type * from "./types";
export type { Detector, Fingerprint, FingerprintOptions, FingerprintRule, RawSourceMap, SourceMapCacheOptions, SourceMapHandle, SourceMapProvider, SourceMapRequest, SubscriptionPayload, SymbolicateOptions };
export { cleanSourcePath, decodeSubscriptionPayload, subscriptionPayloadOf, dirProvider, fingerprint, FingerprintRuleSchema, globMatch, GROUPING_VERSION, isDataMessage, looksMinified, memoryProvider, normalizeMessage, parseRules, PayloadError, runtimeFromHint, SourceMapCache, SubscriptionPayloadSchema, symbolicate };

export const StreamContextSchema = z.object({
  logGroup: z.string().optional(),
  logStream: z.string().optional(),
  functionName: z.string().optional(),
  functionArn: z.string().optional(),
  region: z.string().optional(),
  runtime: z.string().optional(),
});

/** A detector for one log stream (validates the context once; `push` is the hot path). */
export function createDetector(context: StreamContext = {}): Detector {
  return createStreamDetector(StreamContextSchema.parse(context));
}

/** All errors of a complete list of events of one stream. */
export function detect(events: Iterable<LogEvent>, context: StreamContext = {}): DetectedError[] {
  return detectStream(events, StreamContextSchema.parse(context));
}

export interface EnrichOptions extends StreamContext {
  /** Source maps: a provider and a cache shared by every call (keep one per process). */
  sourcemaps?: { provider: SourceMapProvider; cache: SourceMapCache; shouldMap?: SymbolicateOptions["shouldMap"] };
  rules?: readonly FingerprintRule[];
}

export interface Extracted {
  error: DetectedError;
  fingerprint: Fingerprint;
}

/** Source-map then fingerprint detected errors of one stream. */
export async function enrich(errors: readonly DetectedError[], opts: EnrichOptions = {}): Promise<Extracted[]> {
  const fp: FingerprintOptions = { functionName: functionNameOf(opts), functionArn: opts.functionArn, logGroup: opts.logGroup, rules: opts.rules };
  return Promise.all(
    errors.map(async (e) => {
      const error = opts.sourcemaps
        ? await symbolicate(e, {
            provider: opts.sourcemaps.provider,
            cache: opts.sourcemaps.cache,
            shouldMap: opts.sourcemaps.shouldMap,
            functionName: fp.functionName,
            functionArn: opts.functionArn,
            logGroup: opts.logGroup,
            region: opts.region,
          })
        : e;
      return { error, fingerprint: fingerprint(error, fp) };
    }),
  );
}

/** The engine as one namespace: `Extract.createDetector(...)`, `Extract.fingerprint(...)`. */
export const Extract = {
  createDetector,
  detect,
  enrich,
  symbolicate,
  fingerprint,
  normalizeMessage,
  parseRules,
  globMatch,
  decodeSubscriptionPayload,
  isDataMessage,
  cleanSourcePath,
  dirProvider,
  memoryProvider,
  SourceMapCache,
  GROUPING_VERSION,
} as const;
