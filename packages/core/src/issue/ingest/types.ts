/** What the steps of ingestion (./route.ts, ./detect.ts, ./group.ts, ./write.ts) pass along. */
import type { Extracted, LogEvent, SubscriptionPayload } from "../extract";
import type { FunctionRef } from "../sourcemaps";

export interface IngestRecord {
  /** Kinesis sequence number: what a partial batch failure names. */
  id: string;
  /** The record's data: gzip bytes, or their base64 (as a Lambda Kinesis event carries it). */
  data: string | Uint8Array;
}

export interface IngestStats {
  records: number;
  control: number;
  malformed: number;
  /** Malformed records by reason (`too_large`, `gzip`, `not_json`, ...). */
  malformedReasons: Record<string, number>;
  unrouted: number;
  events: number;
  errors: number;
  duplicates: number;
  limited: number;
  stored: number;
  newIssues: number;
  regressions: number;
  distinctIssues: number;
  unmappedFunctions: number;
  /** Records given up after their last attempt (./dead-letter.ts). */
  deadLettered: number;
}

export interface IngestResult {
  /** Sequence numbers of records to retry. */
  failed: string[];
  stats: IngestStats;
}

export interface IngestOptions {
  /** Skip source mapping (benchmarks measure it separately). */
  sourcemaps?: boolean;
  /** Now, for the hourly quota and the idempotency keys (tests, benchmarks). */
  now?: Date;
}

export function emptyStats(records: number): IngestStats {
  return {
    records,
    control: 0,
    malformed: 0,
    malformedReasons: {},
    unrouted: 0,
    events: 0,
    errors: 0,
    duplicates: 0,
    limited: 0,
    stored: 0,
    newIssues: 0,
    regressions: 0,
    distinctIssues: 0,
    unmappedFunctions: 0,
    deadLettered: 0,
  };
}

/** The connection a payload's filter names, checked to be live. */
export interface Route {
  workspaceId: string;
  connectionId: string;
  accountId: string;
}

/** A decoded payload, routed. */
export interface Payload {
  record: IngestRecord;
  data: SubscriptionPayload;
  route: Route;
  region: string;
}

export interface FunctionRow extends FunctionRef {
  functionId: string;
  runtime: string | null;
}

/** One detected, enriched error, ready to be grouped and written. */
export interface Found {
  route: Route;
  fn: FunctionRow;
  logStream: string;
  /** Idempotency key: the error's first log event id. */
  key: string;
  extracted: Extracted;
  lines: LogEvent[];
}
