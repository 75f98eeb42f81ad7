/**
 * Reads an exception out of free text: what `console.error(err)`, `logger.exception`,
 * `printStackTrace`, a Go panic or a runtime's own error log print. One function per
 * dialect, chosen by what the text contains rather than by the runtime hint alone, since a
 * Node function can print a Java stack it got from an API and a custom runtime can be
 * anything.
 *
 * Returns undefined when the text holds no error: a stack needs a header, a header alone
 * needs an exception-like name and the caller's permission (`allowHeaderOnly`), which the
 * caller grants only with other evidence (an ERROR level, a runtime label).
 */
import {
  dedupeFrames,
  frameDialect,
  isNodeFrameLine,
  isPythonFrameLine,
  parseDotnetFrame,
  parseGoFrames,
  parseJavaFrame,
  parseNodeFrame,
  parsePythonFrames,
  rubyFrame,
} from "./frames";
import { findHeaderInLine, parseBracketHeader, parseHeaderAt, parseHeaderLine, parseReversedHeader, type Header } from "./header";
import { isErrorishName, splitLines, trimEndNewlines } from "./text";
import type { ErrorCause, Frame, Runtime } from "./types";

export interface ParsedError {
  type: string;
  message: string;
  frames: Frame[];
  causes?: ErrorCause[];
  runtime: Runtime;
  /**
   * The text is a runtime's report of a failed invocation rather than a log call: the Java
   * runtime's `msg: Type` line before the stack, legacy Python's `'msg': Type`, Python `[ERROR]`.
   */
  reported?: boolean;
  /** The runtime said the init phase failed (Ruby's `Init<...>` types). */
  init?: boolean;
}

export interface TextOptions {
  /** Runtime hint for ambiguous frames. */
  runtime?: Runtime;
  /** Accept `Type: message` with no stack when the type reads like an exception. */
  allowHeaderOnly?: boolean;
}

const TRACEBACK = "Traceback (most recent call last):";
/** Headers that are not errors even though they look like one. */
const NOT_ERRORS = new Set(["Trace", "Warning", "DeprecationWarning", "Note", "Info", "Debug", "Usage", "Caused", "Suppressed"]);

export function parseErrorText(text: string, opts: TextOptions = {}): ParsedError | undefined {
  const lines = splitLines(trimEndNewlines(text));
  if (lines.length === 0) return undefined;
  const tb = findTraceback(lines);
  if (tb !== -1) return parsePython(lines, tb);
  const go = findGoPanic(lines);
  if (go !== -1) return parseGo(lines, go);
  const k = findFirstFrame(lines, opts.runtime);
  if (k !== -1) return parseStack(lines, k, opts.runtime);
  const ruby = parseRuby(lines);
  if (ruby) return ruby;
  const inspected = unquoteInspectedStack(lines);
  if (inspected) return parseErrorText(inspected, { ...opts, allowHeaderOnly: false });
  if (opts.allowHeaderOnly) return parseHeaderOnly(lines);
  return undefined;
}

/**
 * An error object printed by util.inspect with its stack as an array (loggers that
 * serialise errors, `stack: [ 'Error: x', '    at f (/var/task/a.js:1:2)' ]`): the quoted
 * entries become the lines they were. Undefined when no entry is a quoted frame.
 */
function unquoteInspectedStack(lines: string[]): string | undefined {
  const out: string[] = [];
  let frames = 0;
  for (const raw of lines) {
    const t = raw.trim();
    const q = t.charCodeAt(0);
    if (q !== 39 && q !== 34) continue;
    let body = t.endsWith(",") ? t.slice(1, -1) : t.slice(1);
    if (body.charCodeAt(body.length - 1) !== q) continue;
    body = body.slice(0, -1);
    if (isNodeFrameLine(body)) frames++;
    out.push(body);
  }
  return frames > 0 ? out.join("\n") : undefined;
}

// ---------------------------------------------------------------- Ruby

/** `Aws::S3::Errors::NoSuchKey`, `NameError`: a Ruby class name. */
function isRubyClassName(s: string): boolean {
  if (s.length === 0 || s.length > 200) return false;
  const c0 = s.charCodeAt(0);
  if (c0 < 65 || c0 > 90) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
    if (!ok) return false;
  }
  return !s.endsWith(":") && !s.includes(":::");
}

/** `message (Class)`: how Ruby prints an exception (Logger, the interpreter's own report). */
function rubyHeader(text: string): Header | undefined {
  if (!text.endsWith(")")) return undefined;
  const open = text.lastIndexOf(" (");
  if (open === -1) return undefined;
  const type = text.slice(open + 2, -1);
  if (!isRubyClassName(type)) return undefined;
  return { type, message: text.slice(0, open) };
}

/**
 * Ruby backtraces: `message (Class)` then `path:12:in 'method'` lines (Logger's format of an
 * exception), or the interpreter's `path:12:in 'method': message (Class)` then
 * `\tfrom path:...` lines. Frames are newest first, as Ruby prints them.
 */
function parseRuby(lines: string[]): ParsedError | undefined {
  let first = -1;
  for (let i = 0; i < lines.length && i < 200; i++) {
    const t = lines[i]!.trim();
    if (t.includes(":in ") && rubyFrame(t.startsWith("from ") ? t.slice(5) : t)) {
      first = i;
      break;
    }
    // The interpreter's first line carries the first frame and the message.
    const sep = t.indexOf("': ");
    if (sep !== -1 && t.includes(":in ")) {
      const f = rubyFrame(t.slice(0, sep + 1));
      const h = f && rubyHeader(t.slice(sep + 3));
      if (f && h) {
        const frames = [f, ...rubyFrames(lines, i + 1)];
        return { type: h.type, message: h.message, frames: dedupeFrames(frames), runtime: "ruby" };
      }
    }
  }
  if (first <= 0) return undefined;
  let header: Header | undefined;
  for (let j = first - 1; j >= 0 && !header; j--) {
    const t = lines[j]!.trim();
    if (t === "") continue;
    header = rubyHeader(t);
    if (!header) break;
  }
  if (!header) return undefined;
  return { type: header.type, message: header.message, frames: dedupeFrames(rubyFrames(lines, first)), runtime: "ruby" };
}

function rubyFrames(lines: string[], start: number): Frame[] {
  const frames: Frame[] = [];
  for (let i = start; i < lines.length; i++) {
    let t = lines[i]!.trim();
    if (t.startsWith("from ")) t = t.slice(5);
    const f = rubyFrame(t);
    if (!f) break;
    frames.push(f);
  }
  return frames;
}

function findTraceback(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) if (lines[i]!.trim() === TRACEBACK) return i;
  return -1;
}

function findGoPanic(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith("panic: ") || l.startsWith("fatal error: ")) return i;
  }
  return -1;
}

function findFirstFrame(lines: string[], runtime?: Runtime): number {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!isNodeFrameLine(l)) continue;
    const dialect = runtime === "java" || runtime === "dotnet" ? runtime : frameDialect(l);
    const f = dialect === "node" ? parseNodeFrame(l) : dialect === "dotnet" ? parseDotnetFrame(l) : parseJavaFrame(l);
    if (f) return i;
  }
  return -1;
}

/** Find the header among the lines before the first frame; returns its line index too. */
function findHeader(lines: string[], end: number): { header: Header; index: number; reported?: boolean } | undefined {
  // The Java runtime's report: `<msg>: <Type>` then the stack trace's own `<Type>: <msg>`.
  if (end >= 2) {
    const r = parseReversedHeader(lines[0]!);
    const h = r && parseHeaderLine(lines[1]!.trim());
    if (r && h && r.type === h.type) return { header: h, index: 1, reported: true };
  }
  for (let j = 0; j < end; j++) {
    const line = lines[j]!.replace(/^[\s\u00a0]+/, "");
    const h = parseHeaderLine(line);
    if (h && !NOT_ERRORS.has(h.type)) {
      // `Failed: Error: boom`: a capitalised word led the line; the error is further in.
      if (!isErrorishName(h.type)) {
        const inner = findHeaderInLine(line);
        if (inner) return { header: inner, index: j };
      }
      return { header: h, index: j };
    }
  }
  for (let j = 0; j < end; j++) {
    const h = findHeaderInLine(lines[j]!);
    if (h) return { header: h, index: j };
  }
  for (let j = 0; j < end; j++) {
    const h = parseBracketHeader(lines[j]!.trim());
    if (h) return { header: h, index: j };
  }
  // The .NET Core managed runtimes reported `<message>: <Type>`, blank lines, then the stack.
  for (let j = 0; j < end; j++) {
    const r = parseReversedHeader(lines[j]!.trim());
    if (r && isErrorishName(r.type)) return { header: r, index: end - 1, reported: true };
  }
  return undefined;
}

/** Lines that open a chained exception rather than continue a message. */
function isChainLine(trimmed: string): boolean {
  return trimmed.startsWith("---> ") || trimmed.startsWith("Caused by: ") || trimmed.startsWith("Suppressed: ");
}

/** The message: the header's rest plus the following lines up to `end`, trailing blanks dropped. */
function gatherMessage(first: string, lines: string[], from: number, end: number): { message: string; next: number } {
  const parts = [first];
  let i = from;
  for (; i < end; i++) {
    if (isChainLine(lines[i]!.trim())) break;
    parts.push(lines[i]!);
  }
  return { message: parts.join("\n").trimEnd(), next: i };
}

function parseStack(lines: string[], k: number, hint?: Runtime): ParsedError | undefined {
  const found = findHeader(lines, k);
  if (!found) return undefined;
  const { header, index } = found;
  const { message, next } = gatherMessage(header.message, lines, index + 1, k);
  const dialect: Runtime = hint === "java" || hint === "dotnet" ? hint : frameDialect(lines[k]!);
  let out: ParsedError;
  if (dialect === "node") out = { type: header.type, message, ...parseNodeStack(lines, k), runtime: "node" };
  else if (dialect === "dotnet") out = { type: header.type, message, ...parseChain(lines, next, "dotnet"), runtime: "dotnet" };
  else out = { type: header.type, message, ...parseChain(lines, next, "java"), runtime: "java" };
  if (found.reported) out.reported = true;
  return out;
}

function parseNodeStack(lines: string[], k: number): { frames: Frame[]; causes?: ErrorCause[] } {
  const frames: Frame[] = [];
  let i = k;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (!isNodeFrameLine(l)) break;
    const f = parseNodeFrame(l);
    if (f) frames.push(f);
  }
  const out: { frames: Frame[]; causes?: ErrorCause[] } = { frames: dedupeFrames(frames) };
  // util.inspect's own-properties block may hold `[cause]: Error: inner` with its own frames.
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (!t.startsWith("[cause]: ")) continue;
    const h = parseHeaderAt(t.slice(9), 0, true);
    if (!h || !isErrorishName(h.type)) break;
    const causeFrames: Frame[] = [];
    for (i = i + 1; i < lines.length && isNodeFrameLine(lines[i]!); i++) {
      const f = parseNodeFrame(lines[i]!);
      if (f) causeFrames.push(f);
    }
    out.causes = [{ type: h.type, message: h.message.replace(/ \{$/, ""), frames: dedupeFrames(causeFrames) }];
    break;
  }
  return out;
}

/**
 * Java (`Caused by:`, `... N more`, `Suppressed:`) and .NET (` ---> inner`, `--- End of
 * inner exception stack trace ---`) chains. For .NET the inner frames come first and the
 * outer frames resume after the end marker.
 */
function parseChain(lines: string[], start: number, dialect: "java" | "dotnet"): { frames: Frame[]; causes?: ErrorCause[] } {
  const top: ErrorCause = { type: "", message: "", frames: [] };
  const chain: ErrorCause[] = [top];
  const stack: ErrorCause[] = [top];
  let current = top;
  let suppressed = false;
  let seenFrame = false;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i]!;
    const t = raw.trim();
    if (t === "") continue;
    if (isNodeFrameLine(raw)) {
      seenFrame = true;
      if (suppressed) continue;
      const f = dialect === "dotnet" ? parseDotnetFrame(raw) : parseJavaFrame(raw);
      if (f) current.frames.push(f);
      continue;
    }
    if (/^\.\.\. \d+ (?:more|common frames omitted)$/.test(t)) continue;
    if (t.startsWith("--- End of inner exception stack trace")) {
      stack.pop();
      current = stack[stack.length - 1] ?? top;
      continue;
    }
    if (t.startsWith("--- End of stack trace from previous location")) continue;
    const causeText = dialect === "java" && raw.startsWith("Caused by: ") ? raw.slice(11) : dialect === "dotnet" && t.startsWith("---> ") ? t.slice(5) : undefined;
    if (causeText !== undefined) {
      const h = parseHeaderAt(causeText.trim(), 0, true);
      if (!h) break;
      const cause: ErrorCause = { type: h.type, message: h.message, frames: [] };
      chain.push(cause);
      if (dialect === "dotnet") stack.push(cause);
      current = cause;
      suppressed = false;
      continue;
    }
    if (t.startsWith("Suppressed: ")) {
      suppressed = true;
      continue;
    }
    if (suppressed) continue;
    // A cause's message may run over several lines until its frames start.
    if (current !== top && current.frames.length === 0) {
      current.message += "\n" + raw;
      continue;
    }
    if (seenFrame) break;
  }
  const causes = chain.slice(1).map((c) => ({ ...c, message: c.message.trimEnd(), frames: dedupeFrames(c.frames) }));
  const out: { frames: Frame[]; causes?: ErrorCause[] } = { frames: dedupeFrames(top.frames) };
  if (causes.length > 0) out.causes = causes;
  return out;
}

/**
 * Drop util.inspect's own-properties block: from the first ` {\n` to the end when the text
 * ends with `}` (what `/ \{\n[\s\S]*\}$/` removed, without its quadratic backtracking).
 */
export function stripInspectProps(message: string): string {
  if (!message.endsWith("}")) return message;
  const i = message.indexOf(" {\n");
  if (i === -1 || message.length - 1 < i + 3) return message;
  return message.slice(0, i);
}

function parseHeaderOnly(lines: string[]): ParsedError | undefined {
  const first = lines[0]!.trim();
  let h = parseHeaderLine(first, false) ?? parseBracketHeader(first);
  if (!h) return undefined;
  if (!isErrorishName(h.type) || NOT_ERRORS.has(h.type)) return undefined;
  const { message } = gatherMessage(h.message, lines, 1, lines.length);
  // util.inspect props after a stack-less error: `[Error: x] { code: 'E' }` or `Error: x {`.
  h = { type: h.type, message: stripInspectProps(message) };
  return { type: h.type, message: h.message, frames: [], runtime: "unknown" };
}

// ---------------------------------------------------------------- Python

const PY_CHAIN = new Set([
  "During handling of the above exception, another exception occurred:",
  "The above exception was the direct cause of the following exception:",
]);

interface PySegment {
  frames: Frame[];
  header?: Header;
}

/** One traceback: frames after `Traceback ...`, then the exception line(s) if printed. */
function readPySegment(lines: string[], tb: number): { seg: PySegment; end: number } {
  let i = tb + 1;
  while (i < lines.length && !isPythonFrameLine(lines[i]!) && lines[i]!.trim() === "") i++;
  const { frames, end } = parsePythonFrames(lines, i);
  i = end;
  const seg: PySegment = { frames };
  // The exception line: `KeyError: 'k'`, `mod.CustomError: msg`, a bare `StopIteration`.
  while (i < lines.length && lines[i]!.trim() === "") i++;
  if (i < lines.length && lines[i]!.trim() !== TRACEBACK && !PY_CHAIN.has(lines[i]!.trim())) {
    const line = lines[i]!.replace(/^[\s\u00a0]+/, "");
    const h = parseHeaderAt(line, 0, true);
    if (h) {
      const parts = [h.message];
      i++;
      while (i < lines.length && lines[i]!.trim() !== TRACEBACK && !PY_CHAIN.has(lines[i]!.trim()) && lines[i]!.trim() !== "") parts.push(lines[i++]!);
      seg.header = { type: h.type, message: parts.join("\n").trimEnd() };
    }
  }
  return { seg, end: i };
}

function parsePython(lines: string[], tb: number): ParsedError | undefined {
  const segments: PySegment[] = [];
  let i = tb;
  while (i < lines.length) {
    const t = lines[i]!.trim();
    if (t === TRACEBACK) {
      const { seg, end } = readPySegment(lines, i);
      segments.push(seg);
      i = Math.max(end, i + 1);
    } else i++;
  }
  const last = segments[segments.length - 1];
  if (!last) return undefined;
  const head = lines.slice(0, tb).find((l) => l.trim() !== "")?.trim() ?? "";
  let header: Header | undefined;
  if (head.startsWith("[ERROR] ")) {
    // The runtime's own framing: `[ERROR] Type: message` (bootstrap.py log_error).
    header = parseHeaderAt(head.slice(8), 0, true) ?? { type: "Error", message: head.slice(8) };
    // Multi-line messages continue until the traceback.
    const rest = lines.slice(lines.findIndex((l) => l.trim() === head) + 1, tb);
    if (rest.length > 0 && header) header = { type: header.type, message: [header.message, ...rest].join("\n").trimEnd() };
  }
  let reported = header !== undefined;
  if (!header && !last.header) {
    header = parseReversedHeader(head);
    reported = header !== undefined;
  }
  header ??= last.header;
  if (!header) return undefined;
  const causes = segments
    .slice(0, -1)
    .reverse()
    .filter((s) => s.header)
    .map((s) => ({ type: s.header!.type, message: s.header!.message, frames: dedupeFrames(s.frames) }));
  const out: ParsedError = { type: header.type, message: header.message, frames: dedupeFrames(last.frames), runtime: "python" };
  if (causes.length > 0) out.causes = causes;
  if (reported) out.reported = true;
  return out;
}

// ---------------------------------------------------------------- Go

function parseGo(lines: string[], p: number): ParsedError {
  const line = lines[p]!;
  let type: string;
  let message: string;
  if (line.startsWith("fatal error: ")) {
    type = "fatal error";
    message = line.slice(13);
  } else {
    message = line.slice(7).replace(/ \[recovered\]$/, "");
    if (message.startsWith("runtime error: ")) {
      type = "runtime.Error";
      message = message.slice(15);
    } else type = "panic";
  }
  // Go prints `panic: x [recovered]` then an indented `panic: y` when a deferred call re-panics.
  let i = p + 1;
  while (i < lines.length && /^\s+panic: /.test(lines[i]!)) i++;
  let frames: Frame[] = [];
  for (; i < lines.length; i++) {
    if (/^goroutine \d+ \[/.test(lines[i]!)) {
      frames = parseGoFrames(lines, i + 1).frames;
      break;
    }
  }
  return { type, message, frames: dedupeFrames(frames), runtime: "go" };
}
