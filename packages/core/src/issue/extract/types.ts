/**
 * Shared shapes of the extraction engine. Everything here is plain data (no classes) so
 * that results can be serialised, stored and compared in tests as they are.
 */

/** One CloudWatch Logs event, as delivered by a subscription or `FilterLogEvents`. */
export interface LogEvent {
  id?: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** The raw message. In JSON log format it is a JSON document, still as text. */
  message: string;
}

/** The language runtime an error came from, as far as the log text tells. */
export type Runtime = "node" | "python" | "java" | "dotnet" | "go" | "ruby" | "provided" | "unknown";

/**
 * How the error reached the log:
 * - `invoke`: the runtime reported the handler's failure (`Invoke Error`, Python `[ERROR]`, Go payload...)
 * - `uncaught`, `unhandled-rejection`: Node process-level handlers during an invocation
 * - `console`: the function logged an error itself (`console.error(err)`, `logger.exception`, printed stacks)
 * - `timeout`, `oom`, `exit`: the platform ended the invocation
 * - `init`: the init phase failed (INIT_REPORT, `Runtime.ImportModuleError`, a throw at module top level)
 * - `runtime`: the runtime itself failed (`LAMBDA_RUNTIME Failed to post ...`)
 */
export type ErrorKind =
  | "invoke"
  | "uncaught"
  | "unhandled-rejection"
  | "console"
  | "timeout"
  | "oom"
  | "exit"
  | "init"
  | "runtime";

/** The source line of a frame with up to three lines on each side. */
export interface SourceContext {
  /** 1-based line number of `pre[0]` (or of `line` when `pre` is empty). */
  start: number;
  pre: string[];
  line: string;
  post: string[];
}

export interface Frame {
  /** Path as logged (a `file://` scheme removed), or the original source path once mapped. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based, as V8 prints it. */
  column?: number;
  function?: string;
  /** Java/.NET class, Go package: what identifies code better than a file name. */
  module?: string;
  inApp: boolean;
  /** The frame exactly as it appeared in the log (one line; Python frames without their source line). */
  raw: string;
  /** The source line of the frame, when the runtime prints it (Python) or a source map has it. */
  context?: SourceContext;
  /** The bundle position the frame had before source mapping. Present only on mapped frames. */
  generated?: { file: string; line?: number; column?: number; function?: string };
}

/** An exception of a chain (`Caused by:`, .NET inner exceptions, a rejection's reason). */
export interface ErrorCause {
  type: string;
  message: string;
  frames: Frame[];
}

export interface DetectedError {
  type: string;
  message: string;
  /** Newest call first: `frames[0]` is where the error was thrown, whatever order the runtime prints. */
  frames: Frame[];
  /** Chained exceptions, outermost first after this one. */
  causes?: ErrorCause[];
  kind: ErrorKind;
  /** `init` for errors of the init phase (they have no request id), `invoke` otherwise. */
  phase: "init" | "invoke";
  requestId?: string;
  /** Timestamp of the first event of the error. */
  timestamp: number;
  /** Ids of every log event the error was built from, in stream order. */
  eventIds: string[];
  runtime: Runtime;
  /** An explicit fingerprint from a JSON log line (`errorFingerprint`). */
  fingerprint?: string[];
}

/** What the caller knows about the stream being read. All optional. */
export interface StreamContext {
  logGroup?: string;
  logStream?: string;
  functionName?: string;
  functionArn?: string;
  region?: string;
  /** A runtime hint such as `nodejs20.x`, `python3.12`, `java21`, `provided.al2023`. */
  runtime?: string;
}
