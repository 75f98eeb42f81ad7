/**
 * Grouping: which errors are the same issue. Deterministic and versioned; the algorithm is
 * research §2.3, i.e. Sentry's "newstyle" grouping adapted to what Lambda logs carry.
 *
 * 1. Errors with a stack: the **app hash** covers the error type and, for each in-app frame
 *    (nearest the throw first, at most 30), its module (or lowercased file base name), its
 *    function (last segment, anonymous names dropped) and its source line with whitespace
 *    collapsed (dropped above 120 characters). When a frame was source-mapped and has a
 *    source line, the function is left out: names recovered from maps are unreliable, the
 *    line text is not. Line and column numbers never count, so the same bug stays one issue
 *    when a deploy moves it. The **system hash** does the same over all frames; it keeps
 *    matching an old issue if in-app marking changes later. Chained exceptions (`Caused
 *    by`, inner exceptions, a rejection's reason) all contribute.
 * 2. When no frame is in-app (only framework or runtime frames) the stack says nothing
 *    about which bug this is; shared framework frames would merge unrelated errors. The
 *    hash is then the type plus the normalised message (normalize.ts), as with no stack.
 * 3. Platform failures have fixed keys per function: timeouts, out-of-memory kills, runtime
 *    exits (with their exit status or signal), and init failures (type, function, phase).
 * 4. A user's fingerprint rule (rules.ts), else an `errorFingerprint` a JSON log supplied,
 *    replaces the default hash, or refines it through `{{ default }}`.
 *
 * 5. Minified JavaScript without a source map (version 2): the frames are a bundle's mangled
 *    names (`by`, `Iy`) on very long lines, which every deploy renames, so a stack hash would
 *    open a new issue per deploy. Such errors group by type, normalised message and function
 *    (basis `minified`) until a map arrives. Once frames are mapped, the mapped stack hash is
 *    primary and the minified hash of the bundle positions they came from follows it, so the
 *    issue opened before the map keeps its occurrences.
 *
 * `hashes` lists every hash of the event, the primary first: the issue store looks each up
 * and attaches the others to the issue it finds, so a later change of one variant does
 * not split the issue. GROUPING_VERSION changes whenever any of this changes; the hashes of
 * the previous version follow the current ones, so issues grouped before an upgrade are
 * still found.
 */
import { createHash } from "node:crypto";
import { cleanDotnetName, cleanJvmName } from "./frames";
import { normalizeMessage } from "./normalize";
import { findRule, type FingerprintRule } from "./rules";
import { basename, collapseWhitespace } from "./text";
import type { DetectedError, ErrorCause, Frame, Runtime } from "./types";

export const GROUPING_VERSION = 2;

const MAX_FRAMES = 30;
const MAX_CONTEXT_LINE = 120;

export type FingerprintBasis = "rule" | "custom" | "stack" | "message" | "fixed" | "minified";

export interface Fingerprint {
  /** The primary hash: a new issue is keyed by it. */
  hash: string;
  /** Every hash of the event, primary first (app and system hashes for stacks). */
  hashes: string[];
  version: number;
  basis: FingerprintBasis;
  /** What the primary hash was computed from, for the "why grouped" view and for tests. */
  components: string[];
}

export interface FingerprintOptions {
  functionName?: string;
  functionArn?: string;
  logGroup?: string;
  rules?: readonly FingerprintRule[];
}

/** The function's name from any of the identifiers callers have. */
export function functionNameOf(opts: FingerprintOptions): string | undefined {
  if (opts.functionName) return opts.functionName;
  if (opts.functionArn) {
    const parts = opts.functionArn.split(":");
    const i = parts.indexOf("function");
    if (i !== -1 && parts[i + 1]) return parts[i + 1];
  }
  if (opts.logGroup?.startsWith("/aws/lambda/")) return opts.logGroup.slice("/aws/lambda/".length);
  return opts.logGroup;
}

function sha(parts: readonly string[], version = GROUPING_VERSION): string {
  return createHash("sha256").update(JSON.stringify([version, ...parts])).digest("hex").slice(0, 32);
}

// ---------------------------------------------------------------- minified bundles

/** A column this far into a line is a minifier's one-line bundle. */
const LONG_COLUMN = 1000;
/** On the first lines of a file, a column this far is one too. */
const EARLY_LINE_COLUMN = 250;
const MANGLED_MAX = 2;

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** `a.min.js`, `chunk-3f9a1c2b.mjs`, `main.0a1b2c3d4e.js`, `bundle.js`: a bundler's output name. */
export function isBundleFile(file: string): boolean {
  const base = basename(file).toLowerCase();
  const dot = base.lastIndexOf(".");
  const ext = dot === -1 ? "" : base.slice(dot);
  if (ext !== ".js" && ext !== ".mjs" && ext !== ".cjs") return false;
  const stem = base.slice(0, dot);
  if (stem.endsWith(".min") || stem.endsWith(".bundle") || stem === "bundle" || stem.startsWith("chunk-") || stem.startsWith("chunk.")) return true;
  // A content hash before the extension: 8+ hex digits after `.` or `-`.
  let i = stem.length;
  while (i > 0) {
    const c = stem.charCodeAt(i - 1);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) break;
    i--;
  }
  return stem.length - i >= 8 && i > 0 && (stem[i - 1] === "." || stem[i - 1] === "-");
}

/** A minifier's name: one or two identifier characters (`by`, `Iy`, `s`), as the last segment. */
export function isMangledName(fn: string | undefined): boolean {
  if (!fn) return false;
  let f = fn.startsWith("new ") ? fn.slice(4) : fn;
  if (f.startsWith("async ")) f = f.slice(6);
  const dot = f.lastIndexOf(".");
  if (dot !== -1) f = f.slice(dot + 1);
  if (f.length === 0 || f.length > MANGLED_MAX) return false;
  for (let i = 0; i < f.length; i++) if (!isIdentChar(f.charCodeAt(i))) return false;
  return true;
}

type FrameView = Pick<Frame, "file" | "line" | "column" | "function" | "generated" | "inApp">;

function isJsFile(file: string): boolean {
  return file.endsWith(".js") || file.endsWith(".mjs") || file.endsWith(".cjs");
}

/** An unmapped JavaScript frame of the function's own bundle. */
function isBundleFrame(frame: FrameView): boolean {
  if (frame.generated) return false;
  if (frame.column === undefined && !isJsFile(frame.file)) return false;
  return !frame.file.includes("node_modules/");
}

/**
 * A JavaScript frame that is minified on its own evidence: a bundler's file name or a very
 * long line. Source-mapped frames never are.
 */
export function isMinifiedFrame(frame: FrameView): boolean {
  if (!isBundleFrame(frame)) return false;
  const col = frame.column ?? 0;
  if (col >= LONG_COLUMN) return true;
  if (frame.line !== undefined && frame.line <= 3 && col >= EARLY_LINE_COLUMN) return true;
  return isBundleFile(frame.file);
}

/**
 * Whether in-app frames read as minified code: one minified on its own evidence, or mangled
 * names (`wy`, `hx`) for at least half of the named ones (one short name among real ones
 * is just a short name).
 */
export function looksMinified(frames: readonly FrameView[]): boolean {
  let named = 0;
  let mangled = 0;
  for (const f of frames) {
    if (!f.inApp || !isBundleFrame(f)) continue;
    if (isMinifiedFrame(f)) return true;
    if (!f.function) continue;
    named++;
    if (isMangledName(f.function)) mangled++;
  }
  return mangled > 0 && mangled * 2 >= named;
}

/** Whether the error's own code is minified and unmapped. */
export function isMinified(error: DetectedError): boolean {
  if (error.runtime !== "node" && error.runtime !== "unknown") return false;
  return chainOf(error).some((e) => looksMinified(e.frames));
}

/** Whether the frames were mapped from minified bundle positions. */
function mappedFromMinified(error: DetectedError): boolean {
  if (error.runtime !== "node" && error.runtime !== "unknown") return false;
  return chainOf(error).some((e) => {
    const generated = e.frames.filter((f) => f.generated !== undefined);
    // In-app as the bundle frame was before mapping: the function's own bundle, not a dependency.
    return generated.length > 0 && looksMinified(generated.map((f) => ({ file: f.generated!.file, line: f.generated!.line, column: f.generated!.column, function: f.generated!.function, inApp: true })));
  });
}

function minifiedComponents(error: DetectedError, fn: string): string[] {
  return ["minified", `type:${error.type}`, `message:${normalizeMessage(error.message)}`, `function:${fn}`];
}

function isJs(runtime: Runtime, frame: Frame): boolean {
  return runtime === "node" || frame.column !== undefined || /\.(?:m|c)?[jt]sx?$/.test(frame.file);
}

/** Function name as it takes part in grouping. */
function functionKey(frame: Frame, runtime: Runtime): string | undefined {
  let fn = frame.function;
  if (!fn) return undefined;
  if (runtime === "java") return cleanJvmName(fn);
  if (runtime === "dotnet") return cleanDotnetName(fn);
  if (runtime === "go" || runtime === "python" || runtime === "ruby") return fn;
  if (!isJs(runtime, frame)) return fn;
  if (fn.startsWith("new ")) fn = fn.slice(4);
  const dot = fn.lastIndexOf(".");
  if (dot !== -1) fn = fn.slice(dot + 1);
  if (fn === "" || fn === "?" || fn === "<anonymous>" || fn === "Anonymous function" || fn === "<computed>") return undefined;
  return fn;
}

function moduleKey(frame: Frame, runtime: Runtime): string {
  if (frame.module) return runtime === "java" ? cleanJvmName(frame.module) : runtime === "dotnet" ? cleanDotnetName(frame.module) : frame.module;
  return basename(frame.file).toLowerCase();
}

/** Frames that say nothing about the code: eval, native, unknown locations. */
function isNoise(frame: Frame): boolean {
  return frame.file === "<eval>" || frame.file === "native" || frame.file === "<native method>" || (frame.file === "<anonymous>" && !frame.function);
}

function contextLineKey(frame: Frame, runtime: Runtime): string | undefined {
  const line = frame.context?.line;
  if (line === undefined) return undefined;
  if (!(isJs(runtime, frame) || runtime === "python" || runtime === "ruby")) return undefined;
  const collapsed = collapseWhitespace(line);
  if (collapsed === "" || collapsed.length > MAX_CONTEXT_LINE) return undefined;
  return collapsed;
}

export function frameKey(frame: Frame, runtime: Runtime): string {
  const ctx = contextLineKey(frame, runtime);
  const mapped = frame.generated !== undefined;
  const fn = mapped && ctx !== undefined ? undefined : functionKey(frame, runtime);
  return `${moduleKey(frame, runtime)}|${fn ?? ""}|${ctx ?? ""}`;
}

function frameKeys(frames: readonly Frame[], runtime: Runtime, inAppOnly: boolean): string[] {
  const keys: string[] = [];
  for (const f of frames) {
    if (keys.length >= MAX_FRAMES) break;
    if (isNoise(f) || (inAppOnly && !f.inApp)) continue;
    keys.push(frameKey(f, runtime));
  }
  return keys;
}

function chainOf(error: DetectedError): ErrorCause[] {
  return [{ type: error.type, message: error.message, frames: error.frames }, ...(error.causes ?? [])];
}

function stackComponents(error: DetectedError, inAppOnly: boolean): string[] {
  const out: string[] = [];
  for (const e of chainOf(error)) {
    out.push(`type:${e.type}`);
    for (const k of frameKeys(e.frames, error.runtime, inAppOnly)) out.push(`frame:${k}`);
  }
  return out;
}

function hasInApp(error: DetectedError): boolean {
  return chainOf(error).some((e) => e.frames.some((f) => f.inApp && !isNoise(f)));
}

function messageComponents(error: DetectedError): string[] {
  return chainOf(error).flatMap((e) => [`type:${e.type}`, `message:${normalizeMessage(e.message)}`]);
}

/** `exit status 137`, `signal: killed`: what distinguishes one runtime exit from another. */
function exitDetail(message: string): string {
  const m = /signal: \w+|exit status \d+|without providing a reason|resulted in a panic/.exec(message);
  return m ? m[0] : normalizeMessage(message);
}

function fixedComponents(error: DetectedError, fn: string): string[] | undefined {
  switch (error.kind) {
    case "timeout":
      return ["fixed:timeout", `function:${fn}`, `phase:${error.phase}`];
    case "oom":
      return ["fixed:oom", `function:${fn}`];
    case "exit":
      return ["fixed:exit", `type:${error.type}`, `function:${fn}`, `detail:${exitDetail(error.message)}`];
    case "runtime":
      return ["fixed:runtime", `type:${error.type}`, `function:${fn}`, `message:${error.message.split("\n")[0]!.slice(0, 200)}`];
    case "init":
      // An init failure with the user's frames groups by its stack like any error.
      return hasInApp(error) ? undefined : ["fixed:init", `type:${error.type}`, `function:${fn}`, `phase:${error.phase}`];
  }
  return undefined;
}

/** The default grouping, without rules or supplied fingerprints. */
function defaultFingerprint(error: DetectedError, fn: string, version = GROUPING_VERSION): Omit<Fingerprint, "version"> {
  const fixed = fixedComponents(error, fn);
  if (fixed) return { hash: sha(fixed, version), hashes: [sha(fixed, version)], basis: "fixed", components: fixed };
  if (hasInApp(error)) {
    if (version >= 2 && isMinified(error)) {
      const min = minifiedComponents(error, fn);
      return { hash: sha(min, version), hashes: [sha(min, version)], basis: "minified", components: min };
    }
    const app = stackComponents(error, true);
    const system = stackComponents(error, false);
    const appHash = sha(app, version);
    const systemHash = sha(system, version);
    const hashes = appHash === systemHash ? [appHash] : [appHash, systemHash];
    // Mapped now, minified before the map arrived: the issue opened then is still this one.
    if (version >= 2 && mappedFromMinified(error)) hashes.push(sha(minifiedComponents(error, fn), version));
    return { hash: appHash, hashes, basis: "stack", components: app };
  }
  const msg = messageComponents(error);
  return { hash: sha(msg, version), hashes: [sha(msg, version)], basis: "message", components: msg };
}

/** Append the hashes of the previous grouping version that the current ones do not repeat. */
function withLegacy(current: string[], legacy: readonly string[]): string[] {
  const out = [...current];
  for (const h of legacy) if (!out.includes(h)) out.push(h);
  return out;
}

function resolveTemplate(values: readonly string[], error: DetectedError, fn: string, defaultHash: string): { parts: string[]; refines: boolean } {
  let refines = false;
  const parts = values.map((v) => {
    const t = v.trim();
    if (t === "{{ default }}" || t === "{{default}}") {
      refines = true;
      return `default:${defaultHash}`;
    }
    return v
      .replace(/\{\{\s*type\s*\}\}/g, error.type)
      .replace(/\{\{\s*message\s*\}\}/g, normalizeMessage(error.message))
      .replace(/\{\{\s*function\s*\}\}/g, fn);
  });
  return { parts, refines };
}

/**
 * The fingerprint of a detected error. `functionName`/`functionArn`/`logGroup` identify
 * the function for fixed keys and rules; `rules` are the workspace's fingerprint rules.
 */
export function fingerprint(error: DetectedError, opts: FingerprintOptions = {}): Fingerprint {
  const fn = functionNameOf(opts) ?? "";
  const base = defaultFingerprint(error, fn);
  const legacy = defaultFingerprint(error, fn, 1);
  const rule = opts.rules && opts.rules.length > 0 ? findRule(opts.rules, { error, functionName: fn || undefined }) : undefined;
  const supplied = rule?.fingerprint ?? error.fingerprint;
  if (supplied && supplied.length > 0) {
    const { parts } = resolveTemplate(supplied, error, fn, base.hash);
    const components = ["fingerprint", ...parts];
    const hash = sha(components);
    const old = sha(["fingerprint", ...resolveTemplate(supplied, error, fn, legacy.hash).parts], 1);
    return { hash, hashes: withLegacy([hash], [old]), version: GROUPING_VERSION, basis: rule ? "rule" : "custom", components };
  }
  return { ...base, hashes: withLegacy(base.hashes, legacy.hashes), version: GROUPING_VERSION };
}
