/**
 * The stream detector: reads the events of ONE log stream in order and returns the errors
 * they hold. State is needed because Lambda spreads one failure over several events:
 *
 * - Java/Go/Python processes that print to stdout get one event per line, so a stack
 *   trace arrives as many events: unprefixed text is held as a "block" and joined with
 *   the continuation lines that follow (frames, `Caused by:`, `goroutine`, `File "..."`).
 * - Platform failures are reported more than once: `Task timed out after 3.00 seconds`
 *   and a REPORT with `Status: timeout`; `Runtime exited with error: signal: killed` then
 *   `Runtime.ExitError` in its own event, then a REPORT with `Status: error`. They can come
 *   after END and REPORT. These are held, merged per (request id, class), and released at
 *   the next invocation or at `flush()`, so each failure is reported once.
 * - A runtime exit that follows an error the code raised in the same request (Node exits
 *   with status 129 after an uncaught exception) is a consequence, not a second issue: it
 *   is dropped. Out-of-memory kills and timeouts are always kept.
 * - INIT failures have no request id: they are keyed by the stream's init phase (counted
 *   at each INIT_START). An INIT_REPORT failure followed by the failed invocation it caused
 *   becomes one error.
 *
 * Errors are joined to invocations by the request id the line carries. Lines without one
 * (Go, Java stdout, Node 24's `-`) belong to the invocation open between START and END, as
 * Lambda runs one invocation at a time per stream; never to a neighbour by position.
 *
 * `push` never throws: a line that trips a parser is counted in `stats.failures` and skipped.
 */
import { classify, finishBlock, type Found } from "./classify";
import { parseHeaderAt } from "./header";
import { Bounded } from "./memo";
import { GENERIC_MESSAGES, parsePlatformText, type PlatformLine } from "./platform";
import { parsePrefix, trimEndNewlines } from "./text";
import type { DetectedError, ErrorKind, LogEvent, Runtime, StreamContext } from "./types";

export interface Detector {
  /** Read the next event; returns the errors completed by it (often none). */
  push(event: LogEvent): DetectedError[];
  /** End of the batch: complete held errors and return them. The detector stays usable. */
  flush(): DetectedError[];
  /** The runtime the stream was recognised as. */
  readonly runtime: Runtime;
  readonly stats: { events: number; errors: number; failures: number };
}

type HeldClass = "timeout" | "crash" | "init";

interface Held {
  cls: HeldClass;
  scope: string;
  initSeq: number;
  requestId?: string;
  error: DetectedError;
  generic: boolean;
  explicitType: boolean;
}

/** A platform failure as one line reports it. `generic` messages give way to richer ones. */
interface HoldSpec {
  cls: HeldClass;
  kind: ErrorKind;
  type: string;
  explicitType: boolean;
  message: string;
  generic: boolean;
}

interface Block {
  lines: string[];
  ids: string[];
  timestamp: number;
  chars: number;
  dialect: "python" | "go" | "jvm";
}

interface Signature {
  type: string;
  message: string;
  frame: string;
  kind: ErrorKind;
}

const MAX_SIGNATURES_PER_SCOPE = 64;
const HEAD = 256;

/** Whether two strings agree on their first 256 characters (and, with `sameLength`, their length). */
function sameHead(a: string, b: string, sameLength: boolean): boolean {
  if (a === b) return true;
  if (sameLength && a.length !== b.length) return false;
  if (a.length <= HEAD || b.length <= HEAD) return false;
  return a.slice(0, HEAD) === b.slice(0, HEAD);
}

const MAX_BLOCK_EVENTS = 1000;
const MAX_BLOCK_CHARS = 512 * 1024;
const MAX_MESSAGE_CHARS = 64 * 1024;

const TYPE_RANK: Record<string, number> = { "Runtime.OutOfMemory": 4, "Runtime.ExitError": 2, "Runtime.Unknown": 1 };

export function runtimeFromHint(hint: string | undefined): Runtime {
  if (!hint) return "unknown";
  const h = hint.toLowerCase();
  if (h.startsWith("node")) return "node";
  if (h.startsWith("python")) return "python";
  if (h.startsWith("java")) return "java";
  if (h.startsWith("dotnet")) return "dotnet";
  if (h.startsWith("ruby")) return "ruby";
  if (h.startsWith("go")) return "go";
  if (h.startsWith("provided")) return "provided";
  return "unknown";
}

function clipMessage(m: string): string {
  return m.length > MAX_MESSAGE_CHARS ? m.slice(0, MAX_MESSAGE_CHARS) + "…" : m;
}

export function createDetector(context: StreamContext = {}): Detector {
  return new StreamDetector(context);
}

/** Detect all errors of a finished list of events of one stream. */
export function detect(events: Iterable<LogEvent>, context: StreamContext = {}): DetectedError[] {
  const d = createDetector(context);
  const out: DetectedError[] = [];
  for (const e of events) out.push(...d.push(e));
  out.push(...d.flush());
  return out;
}

/** `[\w.\/*()\[\]{}<>$-]` of a Go symbol line. */
function isGoSymbolChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 47 || c === 42 || c === 40 || c === 41 || c === 91 || c === 93 || c === 123 || c === 125 || c === 60 || c === 62 || c === 36 || c === 45;
}

/**
 * A goroutine frame's function line, `pkg.(*T).Method(0x1, ...)`: symbol characters up to a
 * `(` (not the first character), then anything without a line break, ending with `)`. What
 * the regex `^[\w.\/*()\[\]{}<>$-]+\(.*\)$` said, in one pass (the regex was quadratic).
 */
export function isGoCallLine(m: string): boolean {
  if (m.length < 3 || m.charCodeAt(m.length - 1) !== 41) return false;
  let k = -1;
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 40 && i > 0) {
      k = i;
      break;
    }
    if (!isGoSymbolChar(c)) return false;
  }
  if (k === -1) return false;
  for (let i = k + 1; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

class StreamDetector implements Detector {
  runtime: Runtime;
  readonly stats = { events: 0, errors: 0, failures: 0 };
  private current: string | undefined;
  private startedSinceInit = false;
  private initSeq = 0;
  private readonly requestInit = new Bounded<string, number>(2000);
  private readonly held = new Map<string, Held>();
  private readonly released = new Bounded<string, true>(4000);
  /** Scopes (request or init phase) where the code reported a failure that ends the invocation. */
  private readonly fatalScopes = new Bounded<string, true>(4000);
  /** What each scope (request or init phase) reported so far, to drop the same error logged twice. */
  private readonly signatures = new Bounded<string, Signature[]>(4000);
  /** Init failures by init phase and type/message: a failed init is retried in the first invocation and prints the same error again. */
  private readonly initFailures = new Bounded<string, true>(1000);
  /** Scopes where the code logged an error with a stack: a bare "process exited" there is its consequence. */
  private readonly stackScopes = new Bounded<string, true>(4000);
  /** The last invocation that started: platform lines printed after its END without an id belong to it. */
  private last: string | undefined;
  private block: Block | undefined;
  private seq = 0;
  /** The event being read: its own id (if any), time and place in the stream. */
  private eventId: string | undefined;
  private eventTimestamp: unknown;
  private eventSeq = 0;

  constructor(context: StreamContext) {
    this.runtime = runtimeFromHint(context.runtime);
  }

  push(event: LogEvent): DetectedError[] {
    const out: DetectedError[] = [];
    this.stats.events++;
    // The event's id, made up when it has none (`timestamp-seq`) only if something keeps it.
    this.eventId = typeof event.id === "string" && event.id !== "" ? event.id : undefined;
    this.eventTimestamp = event.timestamp;
    this.eventSeq = this.seq;
    this.seq++;
    const timestamp = typeof event.timestamp === "number" && Number.isFinite(event.timestamp) ? event.timestamp : 0;
    const message = typeof event.message === "string" ? event.message : event.message == null ? "" : String(event.message);
    try {
      if (this.block) {
        if (this.continues(this.block, message)) {
          this.appendBlock(this.block, message, this.currentId());
          if (this.block.lines.length >= MAX_BLOCK_EVENTS || this.block.chars >= MAX_BLOCK_CHARS) this.closeBlock(out);
          return this.count(out);
        }
        this.closeBlock(out);
      }
      const c = classify(message);
      if (c.t === "platform") this.onPlatform(c.line, timestamp, out);
      else if (c.t === "error") this.onCode(c.error, [this.currentId()], timestamp, out);
      else if (c.t === "block") this.openBlock(c.text, this.currentId(), timestamp);
    } catch {
      this.stats.failures++;
      this.block = undefined;
    }
    return this.count(out);
  }

  flush(): DetectedError[] {
    const out: DetectedError[] = [];
    try {
      if (this.block) this.closeBlock(out);
      this.releaseAll(out);
    } catch {
      this.stats.failures++;
      this.held.clear();
      this.block = undefined;
    }
    return this.count(out);
  }

  private currentId(): string {
    return this.eventId ?? `${this.eventTimestamp}-${this.eventSeq}`;
  }

  private count(out: DetectedError[]): DetectedError[] {
    this.stats.errors += out.length;
    return out;
  }

  // ------------------------------------------------------------ scopes

  private initScope(seq = this.initSeq): string {
    return `i:${seq}`;
  }

  /** Request id of a line: its own, else the open invocation. */
  private resolve(requestId: string | undefined): { requestId?: string; phase: "init" | "invoke"; scope: string } {
    const rid = requestId ?? this.current;
    if (rid) return { requestId: rid, phase: "invoke", scope: `r:${rid}` };
    if (!this.startedSinceInit) return { phase: "init", scope: this.initScope() };
    return { phase: "invoke", scope: `s:${this.initSeq}` };
  }

  private learnRuntime(r: Runtime): void {
    if (this.runtime === "unknown" || this.runtime === "provided") {
      if (r !== "unknown") this.runtime = r;
    }
  }

  // ------------------------------------------------------------ code errors

  private onCode(found: Found, ids: string[], timestamp: number, out: DetectedError[]): void {
    if (found.kind === "runtime") {
      out.push(this.toError(found, ids, timestamp, this.resolve(found.requestId)));
      return;
    }
    const where = this.resolve(found.requestId);
    let kind = found.kind;
    if (where.phase === "init" && (kind === "uncaught" || kind === "invoke" || kind === "unhandled-rejection")) kind = "init";
    if (kind === "init") {
      const seq = where.requestId ? (this.requestInit.get(where.requestId) ?? this.initSeq) : this.initSeq;
      const initKey = `${seq}\u0000${found.type}\u0000${found.message.slice(0, 256)}`;
      if (where.phase === "invoke" && this.initFailures.has(initKey)) return;
      this.initFailures.set(initKey, true);
    }
    if (kind === "console" && found.frames.length > 0) this.stackScopes.set(where.scope, true);
    const error = this.toError(found, ids, timestamp, where, kind);
    const fatal = kind !== "console";
    if (fatal) this.fatalScopes.set(where.scope, true);
    if (kind === "init") this.fatalScopes.set(this.initScope(), true);
    // `console.error(err); throw err;` logs the same error twice in one invocation: the same
    // type, message (its length and first 256 characters) and first frame (256 characters).
    let sigs = this.signatures.get(where.scope);
    const frame = error.frames[0]?.raw ?? "";
    for (const s of sigs ?? []) {
      if (s.type === error.type && sameHead(s.message, error.message, true) && sameHead(s.frame, frame, false)) {
        if ((s.kind === "console") !== (kind === "console")) return;
        s.kind = kind;
        out.push(error);
        return;
      }
    }
    if (!sigs) this.signatures.set(where.scope, (sigs = []));
    if (sigs.length >= MAX_SIGNATURES_PER_SCOPE) sigs.shift();
    sigs.push({ type: error.type, message: error.message, frame, kind });
    out.push(error);
  }

  private toError(found: Found, ids: string[], timestamp: number, where: { requestId?: string; phase: "init" | "invoke" }, kind: ErrorKind = found.kind): DetectedError {
    this.learnRuntime(found.runtime);
    const error: DetectedError = {
      type: found.type,
      message: clipMessage(found.message),
      frames: found.frames,
      kind,
      phase: where.phase,
      timestamp,
      eventIds: ids,
      runtime: found.runtime !== "unknown" ? found.runtime : this.runtime,
    };
    if (where.requestId) error.requestId = where.requestId;
    if (found.causes && found.causes.length > 0) {
      error.causes = found.causes;
      // Wrappers without a message of their own (Java's ExceptionInInitializerError, a
      // document whose message is its type): the root cause says what went wrong.
      if (error.message === "" || error.message === error.type) {
        const root = found.causes[found.causes.length - 1]!;
        error.message = clipMessage(root.message && root.message !== root.type ? `${root.type}: ${root.message}` : root.type);
      }
    }
    if (found.fingerprint) error.fingerprint = found.fingerprint;
    return error;
  }

  // ------------------------------------------------------------ platform lines

  private onPlatform(line: PlatformLine, timestamp: number, out: DetectedError[]): void {
    switch (line.t) {
      case "start":
        if (line.requestId) {
          this.releaseStale(line.requestId, out);
          this.current = line.requestId;
          this.last = line.requestId;
          this.requestInit.set(line.requestId, this.initSeq);
        }
        this.startedSinceInit = true;
        return;
      case "end":
        if (line.requestId === undefined || line.requestId === this.current) this.current = undefined;
        this.startedSinceInit = true;
        return;
      case "report": {
        if (line.requestId === undefined || line.requestId === this.current) this.current = undefined;
        this.startedSinceInit = true;
        const status = line.status?.toLowerCase();
        if (status === "timeout") {
          this.hold({ cls: "timeout", kind: "timeout", type: "Timeout", explicitType: false, message: "Status: timeout", generic: true }, line.requestId, this.currentId(), timestamp);
        } else if (status === "error" || status === "failure") {
          const type = line.errorType ?? "Runtime.Unknown";
          const kind: ErrorKind = type === "Runtime.OutOfMemory" ? "oom" : "exit";
          this.hold({ cls: "crash", kind, type, explicitType: line.errorType !== undefined, message: `Status: ${status}`, generic: true }, line.requestId, this.currentId(), timestamp);
        }
        return;
      }
      case "init-start":
        this.releaseAll(out);
        this.last = undefined;
        this.initSeq++;
        this.startedSinceInit = false;
        this.current = undefined;
        if (line.runtimeVersion) this.learnRuntime(runtimeFromHint(line.runtimeVersion));
        return;
      case "init-report": {
        const status = line.status?.toLowerCase();
        if (status !== "error" && status !== "timeout" && status !== "failure") return;
        const label = line.restore ? "RESTORE_REPORT" : "INIT_REPORT";
        const isTimeout = status === "timeout";
        const spec: HoldSpec = {
          cls: "init",
          kind: isTimeout ? "timeout" : "init",
          type: line.errorType ?? (isTimeout ? "Timeout" : "Runtime.InitError"),
          explicitType: line.errorType !== undefined,
          message: `${label} Status: ${status}`,
          generic: true,
        };
        this.holdScoped(spec, { scope: this.initScope(), phase: "init" }, this.currentId(), timestamp);
        return;
      }
      case "timeout":
        this.hold({ cls: "timeout", kind: "timeout", type: "Timeout", explicitType: false, message: line.message, generic: false }, line.requestId, this.currentId(), timestamp);
        return;
      case "exit": {
        const message = line.message ?? "";
        const oom = /signal: killed|Runtime\.OutOfMemory/.test(message) || line.errorType === "Runtime.OutOfMemory";
        const spec: HoldSpec = { cls: "crash", kind: oom ? "oom" : "exit", type: line.errorType ?? "Runtime.ExitError", explicitType: line.errorType !== undefined, message, generic: GENERIC_MESSAGES.has(message) };
        this.hold(spec, line.requestId, this.currentId(), timestamp);
        return;
      }
      case "runtime": {
        const found: Found = { type: "LambdaRuntimeError", message: line.message, frames: [], runtime: this.runtime, kind: "runtime" };
        if (line.requestId) found.requestId = line.requestId;
        this.onCode(found, [this.currentId()], timestamp, out);
        return;
      }
    }
  }

  /** Hold a platform failure of the line's request (or the open invocation). */
  private hold(spec: HoldSpec, requestId: string | undefined, id: string, timestamp: number): void {
    // `Unknown application error occurred` and the like come after the failed invocation's END.
    const rid = requestId ?? (this.current === undefined && this.startedSinceInit && spec.cls === "crash" ? this.last : undefined);
    this.holdScoped(spec, this.resolve(rid), id, timestamp);
  }

  /** Hold a platform failure, merging it with one already held for the same scope and class. */
  private holdScoped(spec: HoldSpec, where: { scope: string; requestId?: string; phase: "init" | "invoke" }, id: string, timestamp: number): void {
    const { cls, kind, type, explicitType, message, generic } = spec;
    const { scope, requestId, phase } = where;
    const key = `${scope}|${cls}`;
    if (this.released.has(key)) return; // already reported in an earlier batch
    const existing = this.held.get(key);
    if (existing) {
      const e = existing.error;
      e.eventIds.push(id);
      if (existing.generic && !generic) {
        e.message = clipMessage(message);
        existing.generic = false;
      }
      if (explicitType && (!existing.explicitType || (TYPE_RANK[type] ?? 0) > (TYPE_RANK[e.type] ?? 0))) {
        e.type = type;
        existing.explicitType = true;
      }
      if (kind === "oom") e.kind = "oom";
      return;
    }
    const error: DetectedError = { type, message: clipMessage(message), frames: [], kind, phase, timestamp, eventIds: [id], runtime: this.runtime };
    if (requestId) error.requestId = requestId;
    const held: Held = { cls, scope, initSeq: this.initSeq, error, generic, explicitType };
    if (requestId) held.requestId = requestId;
    this.held.set(key, held);
  }

  /** A new invocation starts: failures of earlier invocations are complete. */
  private releaseStale(requestId: string, out: DetectedError[]): void {
    const keep = `r:${requestId}`;
    const stale: Held[] = [];
    for (const h of this.held.values()) {
      if (h.cls === "init" && h.initSeq === this.initSeq) continue;
      if (h.scope === keep) continue;
      stale.push(h);
    }
    if (stale.length > 0) this.release(stale, out);
  }

  private releaseAll(out: DetectedError[]): void {
    if (this.held.size > 0) this.release([...this.held.values()], out);
  }

  private release(list: Held[], out: DetectedError[]): void {
    // An INIT_REPORT failure and the invocation it failed are one error: fold the first into the second.
    for (const h of list) {
      if (h.cls !== "init") continue;
      const target = list.find((o) => o !== h && o.cls !== "init" && o.requestId && (this.requestInit.get(o.requestId) ?? this.initSeq) === h.initSeq);
      if (target) {
        target.error.eventIds.unshift(...h.error.eventIds);
        target.error.timestamp = Math.min(target.error.timestamp, h.error.timestamp);
        this.drop(h);
      }
    }
    for (const h of list) {
      if (!this.held.has(`${h.scope}|${h.cls}`)) continue;
      this.drop(h);
      if (this.isConsequence(h)) continue;
      this.released.set(`${h.scope}|${h.cls}`, true);
      out.push(h.error);
    }
  }

  private drop(h: Held): void {
    this.held.delete(`${h.scope}|${h.cls}`);
  }

  /**
   * An exit or init failure that follows a failure the code reported for the same request
   * (or the same init phase): the process exits because of that error, it is not another.
   */
  private isConsequence(h: Held): boolean {
    if (h.error.kind === "oom" || h.error.kind === "timeout") return false;
    if (this.fatalScopes.has(h.scope)) return true;
    // `Process exited before completing request` after the code printed an error with its stack.
    if (!h.explicitType && (h.generic || h.error.message === "Process exited before completing request") && this.stackScopes.has(h.scope)) return true;
    if (h.requestId) {
      const seq = this.requestInit.get(h.requestId);
      if (seq !== undefined && this.fatalScopes.has(this.initScope(seq))) return true;
    }
    return false;
  }

  // ------------------------------------------------------------ multi-event blocks

  private openBlock(text: string, id: string, timestamp: number): void {
    const dialect = /Traceback \(most recent call last\)|^'.*': \w+$/m.test(text) ? "python" : /^(?:panic: |fatal error: |goroutine \d)/m.test(text) ? "go" : "jvm";
    this.block = { lines: [trimEndNewlines(text)], ids: [id], timestamp, chars: text.length, dialect };
  }

  private appendBlock(block: Block, message: string, id: string): void {
    const line = trimEndNewlines(message);
    block.lines.push(line);
    block.ids.push(id);
    block.chars += line.length + 1;
    if (block.dialect === "jvm") {
      if (line.trim() === "Traceback (most recent call last):") block.dialect = "python";
      else if (/^goroutine \d+ \[/.test(line)) block.dialect = "go";
    }
  }

  private closeBlock(out: DetectedError[]): void {
    const block = this.block!;
    this.block = undefined;
    const found = finishBlock(block.lines.join("\n"), this.runtime);
    if (found) this.onCode(found, block.ids, block.timestamp, out);
  }

  /** Whether `message` continues the held block (a frame, a cause, a traceback line...). */
  private continues(block: Block, message: string): boolean {
    const m = trimEndNewlines(message);
    if (m === "") return block.dialect !== "jvm";
    const c = m.charCodeAt(0);
    if (c === 123 /* { */) return false;
    if (parsePrefix(m).style !== "none") return false;
    if (/^[\s\u00a0]+at\s|^at [\w$.<>/]+\(/.test(m)) return true;
    const t = m.trim();
    if (/^(?:Caused by: |Suppressed: |---> |--- End of |\.\.\. \d+ (?:more|common frames omitted))/.test(t)) return true;
    if (t === "Traceback (most recent call last):") return true;
    if (block.dialect === "python") {
      if (/^[\s\u00a0]+File "/.test(m) || /^[\s\u00a0]{2,}\S/.test(m)) return true;
      if (t.startsWith("During handling of the above exception") || t.startsWith("The above exception was the direct cause")) return true;
      const last = block.lines[block.lines.length - 1]!;
      // The exception line after the frames ends a printed traceback.
      return /^[\s\u00a0]+\S/.test(last) && parseHeaderAt(t, 0, true) !== undefined;
    }
    if (block.dialect === "go") {
      if (parsePlatformText(m)) return false;
      return /^(?:goroutine \d+ \[|\t|created by |exit status \d+$|\s+panic: |\[signal )/.test(m) || isGoCallLine(m);
    }
    // `<msg>: <Type>` from the Java runtime, then the stack trace's own header line.
    if (block.lines.length === 1) {
      const first = block.lines[0]!;
      const sep = first.lastIndexOf(": ");
      const type = sep === -1 ? "" : first.slice(sep + 2).trim();
      return type !== "" && (t === type || t.startsWith(`${type}: `));
    }
    return false;
  }
}
