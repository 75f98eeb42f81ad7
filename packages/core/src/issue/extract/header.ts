/**
 * The first line of an exception: `Type: message`. Runtimes and loggers vary it:
 * - Node's util.inspect adds the name when it differs from the constructor's:
 *   `HttpError [BadRequestError]: msg`, `TypeError [ERR_INVALID_ARG_TYPE]: msg`. The type
 *   is the word before the brackets (SST's parser took `[BadRequestError]`, a known bug).
 * - Java prints `pkg.Type: msg`, or just `pkg.Type` when the message is null.
 * - The message can be empty (`Error` for `new Error()`).
 */
import { isClassLikeName, isErrorishName, isTypeName } from "./text";

export interface Header {
  type: string;
  /** The rest of the header line (the message may continue on the following lines). */
  message: string;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** Read `Type`, `a.b.Type`, `Outer$Inner`, `Ns.Outer+Inner` from `start`; returns the end index. */
function readTypeName(line: string, start: number): number {
  let i = start;
  if (i >= line.length || !isIdentStart(line.charCodeAt(i))) return start;
  while (i < line.length && i - start < 200) {
    const c = line.charCodeAt(i);
    if (isIdentPart(c)) {
      i++;
      continue;
    }
    if ((c === 46 || c === 43) && i + 1 < line.length && isIdentStart(line.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    break;
  }
  return i;
}

/**
 * Parse a header at `start` of `line`. Accepts `Type: msg`, `Type [Name]: msg`, `Type:` and
 * a bare `Type` (only when `allowBare`).
 */
export function parseHeaderAt(line: string, start = 0, allowBare = true): Header | undefined {
  const end = readTypeName(line, start);
  if (end === start) return undefined;
  const type = line.slice(start, end);
  if (!isTypeName(type)) return undefined;
  let i = end;
  // ` [Name]` after the type: kept out of the type.
  if (line.startsWith(" [", i)) {
    // Look no further than the 200 characters a name may take (an unbounded indexOf here
    // rescanned the whole line at every `Type [` of it).
    const limit = Math.min(line.length, i + 201);
    let close = -1;
    for (let k = i + 2; k < limit; k++) {
      if (line.charCodeAt(k) === 93) {
        close = k;
        break;
      }
    }
    if (close === -1) return undefined;
    i = close + 1;
  }
  if (i === line.length) return allowBare ? { type, message: "" } : undefined;
  if (line.charCodeAt(i) !== 58 /* : */) return undefined;
  i++;
  if (i === line.length) return { type, message: "" };
  const c = line.charCodeAt(i);
  if (c !== 32 && c !== 9) return undefined; // `http://x`, `C:\`, `a:b` are not headers
  return { type, message: line.slice(i + 1) };
}

/** A header starting the line whose type can be an exception class. */
export function parseHeaderLine(line: string, allowBare = true): Header | undefined {
  const h = parseHeaderAt(line, 0, allowBare);
  if (!h) return undefined;
  if (!isClassLikeName(h.type)) return undefined;
  // A bare word alone on a line is a header only when it reads like an exception class.
  if (h.message === "" && !line.includes(":") && !isErrorishName(h.type) && !h.type.includes(".")) return undefined;
  return h;
}

const MID_LINE_SCAN_LIMIT = 2000;

/**
 * A header in the middle of a line, after a logged prefix:
 * `console.error("payment failed", err)` prints `payment failed Error: card declined`.
 * Only exception-like names count here (`...Error`, `...Exception`), to avoid reading
 * `failed: ` or `Status: ` as types.
 */
export function findHeaderInLine(line: string): Header | undefined {
  const limit = Math.min(line.length, MID_LINE_SCAN_LIMIT);
  for (let i = 1; i < limit; i++) {
    const prev = line.charCodeAt(i - 1);
    if (prev !== 32 && prev !== 9 && prev !== 40 /* ( */) continue;
    if (!isIdentStart(line.charCodeAt(i))) continue;
    const h = parseHeaderAt(line, i, false);
    if (h && isErrorishName(h.type)) return h;
  }
  return undefined;
}

/** util.inspect of an error without a usable stack: `[TypeError: msg]`, maybe followed by `{ props }`. */
export function parseBracketHeader(line: string): Header | undefined {
  if (!line.startsWith("[")) return undefined;
  const close = line.lastIndexOf("]");
  if (close === -1) return undefined;
  const h = parseHeaderAt(line.slice(1, close), 0, true);
  if (!h || !isErrorishName(h.type)) return undefined;
  return h;
}

/**
 * Legacy Python (2.7, 3.6) and the Java runtime's first line: `<message>: <Type>`.
 * `'Details': KeyError`, `/ by zero: java.lang.ArithmeticException`.
 */
export function parseReversedHeader(line: string): Header | undefined {
  const sep = line.lastIndexOf(": ");
  if (sep <= 0) return undefined;
  const type = line.slice(sep + 2).trim();
  if (!isTypeName(type) || !isClassLikeName(type)) return undefined;
  return { type, message: line.slice(0, sep) };
}
