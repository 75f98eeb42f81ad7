/**
 * Stack frame parsing for every runtime Lambda offers, and the rules that decide whether a
 * frame is the user's code ("in app") or the platform's.
 *
 * In-app matters twice: the issue page highlights those frames, and grouping hashes only
 * them, so a library frame shared by unrelated bugs never merges them. The rules follow
 * research §2.3: not node_modules, /var/runtime, node:internal, internal/, /opt (layers),
 * <anonymous>; for Python not /var/lang/lib nor site-packages; for Go not the standard
 * library nor the aws-lambda-go runtime; for Java and .NET not the platform namespaces.
 *
 * Parsers are hand-written with indexOf/lastIndexOf rather than one clever regex each:
 * frame lines come from untrusted logs and can be very long, and these never backtrack.
 */
import type { Frame, Runtime } from "./types";

/** Longest line we try to read as a frame; longer ones are kept raw. */
const MAX_FRAME_LINE = 4000;

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 9) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function stripFileScheme(file: string): string {
  if (file.startsWith("file://")) return file.slice(7);
  return file;
}

// ---------------------------------------------------------------- Node.js

/** `    at fn (file:1:2)`, `at file:1:2`, `at async fn (...)`, `at new Promise (<anonymous>)`. */
export function isNodeFrameLine(line: string): boolean {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9 || line.charCodeAt(i) === 0xa0)) i++;
  return line.startsWith("at ", i);
}

/** Split `file:line:col` / `file:line` / `file`. */
function splitLocation(loc: string): { file: string; line?: number; column?: number } {
  const c2 = loc.lastIndexOf(":");
  if (c2 > 0) {
    const tail = loc.slice(c2 + 1);
    if (isDigits(tail)) {
      const c1 = loc.lastIndexOf(":", c2 - 1);
      if (c1 > 0) {
        const mid = loc.slice(c1 + 1, c2);
        if (isDigits(mid)) return { file: loc.slice(0, c1), line: Number(mid), column: Number(tail) };
      }
      return { file: loc.slice(0, c2), line: Number(tail) };
    }
  }
  return { file: loc };
}

/** Drop V8 decorations that are not part of the function's identity. */
function cleanNodeFunction(fn: string): string | undefined {
  let f = fn.trim();
  if (f.startsWith("async ")) f = f.slice(6);
  const alias = f.indexOf(" [as ");
  if (alias !== -1 && f.endsWith("]")) f = f.slice(0, alias);
  if (f === "" || f === "<anonymous>" || f === "Object.<anonymous>") return f === "" ? undefined : f;
  return f;
}

export function parseNodeFrame(raw: string): Frame | undefined {
  if (raw.length > MAX_FRAME_LINE) return undefined;
  let line = raw.trim();
  if (!line.startsWith("at ")) return undefined;
  // util.inspect puts the own-properties block after the last frame: `... (file:1:2) {`.
  if (line.endsWith(" {")) line = line.slice(0, -2);
  line = line.slice(3).trim();
  let fn: string | undefined;
  let loc: string;
  if (line.endsWith(")")) {
    const open = line.indexOf(" (");
    if (open === -1) {
      // `at (file:1:2)` never happens; a lone `(...)` is a location.
      loc = line.startsWith("(") ? line.slice(1, -1) : line;
    } else {
      fn = line.slice(0, open);
      loc = line.slice(open + 2, -1);
    }
  } else {
    loc = line;
    if (loc.startsWith("async ")) loc = loc.slice(6);
  }
  if (loc.startsWith("eval at ")) {
    // `eval at fn (file:1:2), <anonymous>:1:1`: code from eval; never the user's file.
    return { file: "<eval>", function: fn ? cleanNodeFunction(fn) : undefined, inApp: false, raw: raw.trim() };
  }
  const { file, line: ln, column } = splitLocation(loc);
  const frame: Frame = { file: stripFileScheme(file), inApp: false, raw: raw.trim() };
  if (ln !== undefined) frame.line = ln;
  if (column !== undefined) frame.column = column;
  const f = fn ? cleanNodeFunction(fn) : undefined;
  if (f) frame.function = f;
  frame.inApp = isNodeInApp(frame.file);
  return frame;
}

export function isNodeInApp(file: string): boolean {
  if (file === "" || file === "<anonymous>" || file === "native" || file === "<eval>") return false;
  if (file.startsWith("node:") || file.startsWith("internal/") || file.startsWith("index ")) return false;
  if (file.includes("/node_modules/") || file.startsWith("node_modules/")) return false;
  if (file.startsWith("/var/runtime/") || file.startsWith("/opt/")) return false;
  // A bare `events.js`: a Node core module of old runtimes.
  if (!file.includes("/") && !file.includes("\\")) return false;
  return true;
}

// ---------------------------------------------------------------- Java

const JAVA_PLATFORM = [
  "java.", "javax.", "jdk.", "sun.", "com.sun.", "jakarta.", "kotlin.", "kotlinx.", "scala.", "groovy.",
  "lambdainternal.", "com.amazonaws.services.lambda.runtime.", "com.amazonaws.serverless.",
  "software.amazon.awssdk.", "software.amazon.lambda.powertools.", "com.amazonaws.http.", "com.amazonaws.",
  "org.springframework.", "org.apache.", "com.fasterxml.", "io.micronaut.", "io.quarkus.", "io.netty.",
  "reactor.", "org.slf4j.", "ch.qos.", "org.hibernate.", "com.google.", "okhttp3.", "okio.", "feign.",
  "org.glassfish.", "org.eclipse.", "com.zaxxer.", "org.jboss.", "io.vertx.", "io.smallrye.", "org.postgresql.",
  "com.mysql.", "org.mariadb.", "net.bytebuddy.", "org.aspectj.",
];

function startsWithAny(s: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (s.startsWith(p)) return true;
  return false;
}

function isWordOrDollar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isHexChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * `$$Lambda<[\w$]*>/0x<hex>` becomes `$$Lambda` (case-insensitive), as the global regex
 * `/\$\$Lambda[\w$]*\/0x[0-9a-f]+/gi` did, in one pass: the regex restarted at every
 * `$$Lambda` of a run and rescanned it (quadratic). All occurrences inside one run of
 * `[\w$]` end where the run ends, so a failed one skips the run.
 */
export function collapseLambdaAddresses(s: string): string {
  const re = /\$\$lambda/gi;
  let out = "";
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    let j = m.index + 8;
    while (j < s.length && isWordOrDollar(s.charCodeAt(j))) j++;
    if (s.startsWith("/0", j) && (s[j + 2] === "x" || s[j + 2] === "X") && j + 3 < s.length && isHexChar(s.charCodeAt(j + 3))) {
      let k = j + 4;
      while (k < s.length && isHexChar(s.charCodeAt(k))) k++;
      out += s.slice(last, m.index) + "$$Lambda";
      last = k;
      re.lastIndex = k;
    } else re.lastIndex = j;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Remove names the JVM or frameworks generate, so they do not change the fingerprint between runs. */
export function cleanJvmName(name: string): string {
  return collapseLambdaAddresses(name.replace(/\$\$(?:Lambda|EnhancerByCGLIB|FastClassByCGLIB|EnhancerBySpringCGLIB|SpringCGLIB)\$\$?[\w$/]*/g, "$$$$$1"))
    .replace(/lambda\$([\w]+)\$\d+/g, "lambda$$$1$$")
    .replace(/\$\d+(?=$|\.)/g, "$$")
    .replace(/\bjavassist_[\w$]+/g, "javassist");
}

/** `pkg.Cls.method(File.java:12)` (a Java stackTrace entry or a frame without its `at `). */
export function parseJavaFrameBody(body: string, raw: string): Frame | undefined {
  const open = body.indexOf("(");
  const close = body.lastIndexOf(")");
  if (open <= 0 || close < open) return undefined;
  let qualified = body.slice(0, open).trim();
  // `java.base/java.lang.Thread.run`, `app//com.x.Y.z`: the module layer is not part of the name.
  const slash = qualified.lastIndexOf("/");
  if (slash !== -1) qualified = qualified.slice(slash + 1);
  if (qualified.includes(" ")) return undefined;
  const inside = body.slice(open + 1, close);
  const dot = qualified.lastIndexOf(".");
  const cls = dot === -1 ? "" : qualified.slice(0, dot);
  const method = dot === -1 ? qualified : qualified.slice(dot + 1);
  const colon = inside.lastIndexOf(":");
  let file = inside;
  let line: number | undefined;
  if (colon !== -1 && isDigits(inside.slice(colon + 1))) {
    file = inside.slice(0, colon);
    line = Number(inside.slice(colon + 1));
  }
  if (file === "Native Method" || file === "Unknown Source") file = `<${file.toLowerCase()}>`;
  const frame: Frame = { file, function: method, inApp: false, raw };
  if (cls) frame.module = cls;
  if (line !== undefined) frame.line = line;
  frame.inApp = isJavaInApp(cls || qualified);
  return frame;
}

export function isJavaInApp(cls: string): boolean {
  return !startsWithAny(cls, JAVA_PLATFORM);
}

export function parseJavaFrame(raw: string): Frame | undefined {
  if (raw.length > MAX_FRAME_LINE) return undefined;
  const line = raw.trim();
  if (!line.startsWith("at ")) return undefined;
  let body = line.slice(3).trim();
  // Logback/Spring append the jar: `(X.java:48) ~[core-1.3.jar:na]`.
  const close = body.lastIndexOf(")");
  if (close !== -1 && close < body.length - 1) body = body.slice(0, close + 1);
  return parseJavaFrameBody(body, line);
}

// ---------------------------------------------------------------- .NET

const DOTNET_PLATFORM = ["System.", "Microsoft.", "Amazon.Lambda.", "Amazon.Runtime.", "AWSSDK.", "Newtonsoft.", "lambda_method", "Npgsql.", "MySqlConnector.", "Polly."];

/** `at Ns.Cls.Method(String x) in /src/File.cs:line 42`; without ` in ...` when no PDB. */
export function parseDotnetFrame(raw: string): Frame | undefined {
  if (raw.length > MAX_FRAME_LINE) return undefined;
  const line = raw.trim();
  if (!line.startsWith("at ")) return undefined;
  let body = line.slice(3).trim();
  let file = "";
  let ln: number | undefined;
  const inIdx = body.lastIndexOf(" in ");
  if (inIdx !== -1 && body.lastIndexOf(":line ") > inIdx) {
    const loc = body.slice(inIdx + 4);
    const li = loc.lastIndexOf(":line ");
    file = loc.slice(0, li);
    const n = loc.slice(li + 6).trim();
    if (isDigits(n)) ln = Number(n);
    body = body.slice(0, inIdx);
  }
  const open = body.indexOf("(");
  const qualified = (open === -1 ? body : body.slice(0, open)).trim();
  const dot = qualified.lastIndexOf(".");
  const cls = dot === -1 ? "" : qualified.slice(0, dot);
  const method = dot === -1 ? qualified : qualified.slice(dot + 1);
  const frame: Frame = { file: file || "<unknown>", function: method, inApp: false, raw: line };
  if (cls) frame.module = cls;
  if (ln !== undefined) frame.line = ln;
  frame.inApp = !startsWithAny(cls || qualified, DOTNET_PLATFORM);
  return frame;
}

/** Compiler-generated .NET names: `<Handler>d__4.MoveNext`, `lambda_method12`, `<>c__DisplayClass0_0`. */
export function cleanDotnetName(name: string): string {
  return name
    .replace(/d__\d+/g, "d__")
    .replace(/lambda_method\d+/g, "lambda_method")
    .replace(/<>c__DisplayClass\d+_\d+/g, "<>c__DisplayClass")
    .replace(/b__\d+_\d+/g, "b__");
}

/** A .NET frame has `) in path:line N`, or a parameter list with types and names. */
export function looksDotnetFrame(line: string): boolean {
  if (line.includes(":line ")) return true;
  const t = line.trimEnd();
  if (t.endsWith("()")) return true;
  const open = t.indexOf("(");
  if (open !== -1 && t.endsWith(")")) {
    const inside = t.slice(open + 1, -1);
    // Java: `File.java:12`, `Native Method`, `Unknown Source`. .NET: `String input, ILambdaContext context`.
    if (inside.includes(", ") || (inside.includes(" ") && inside !== "Native Method" && inside !== "Unknown Source")) return true;
  }
  return false;
}

/** A Node frame ends with `:line:col)` or names a V8 pseudo-location. */
export function looksNodeFrame(line: string): boolean {
  let t = line.trimEnd();
  if (t.endsWith(" {")) t = t.slice(0, -2);
  if (t.endsWith(")")) t = t.slice(0, -1);
  if (t.endsWith("<anonymous>") || t.endsWith("(native") || /\(index \d+$/.test(t)) return true;
  const c2 = t.lastIndexOf(":");
  if (c2 === -1 || !isDigits(t.slice(c2 + 1))) return false;
  const c1 = t.lastIndexOf(":", c2 - 1);
  return c1 !== -1 && isDigits(t.slice(c1 + 1, c2));
}

// ---------------------------------------------------------------- Python

const PY_THIRD_PARTY = new Set([
  "boto3", "botocore", "s3transfer", "urllib3", "requests", "certifi", "charset_normalizer", "idna", "six",
  "dateutil", "jmespath", "aws_lambda_powertools", "aws_xray_sdk", "wrapt", "pydantic", "pydantic_core",
  "typing_extensions", "sqlalchemy", "psycopg2", "pymysql", "pymongo", "redis", "yaml", "jwt", "httpx",
  "httpcore", "anyio", "sniffio", "h11", "starlette", "fastapi", "mangum", "flask", "werkzeug", "jinja2",
  "markupsafe", "click", "attr", "attrs", "numpy", "pandas", "pytz", "tzdata", "cryptography", "cffi",
  "google", "grpc", "opentelemetry", "sentry_sdk", "structlog", "orjson", "ujson", "simplejson", "aiohttp",
  "multidict", "yarl", "aiobotocore", "chalice", "zappa", "serverless_wsgi", "awslambdaric",
]);

const PY_FRAME = /^[\s\u00a0]*File "([^"]*)", line (\d{1,9})(?:, in (.*))?$/;

export function isPythonFrameLine(line: string): boolean {
  return PY_FRAME.test(line);
}

export function isPythonInApp(file: string): boolean {
  if (file.startsWith("/var/lang/") || file.startsWith("/var/runtime/") || file.startsWith("/opt/")) return false;
  if (file.includes("/site-packages/") || file.includes("/dist-packages/")) return false;
  if (file.startsWith("<")) return false; // <frozen importlib._bootstrap>, <string>
  if (file.startsWith("/var/task/")) {
    const rest = file.slice("/var/task/".length);
    const slash = rest.indexOf("/");
    if (slash !== -1 && PY_THIRD_PARTY.has(rest.slice(0, slash))) return false;
  }
  return true;
}

/** Module name from a /var/task path: `/var/task/app/handlers/x.py` -> `app.handlers.x`. */
function pythonModule(file: string): string | undefined {
  if (!file.startsWith("/var/task/") || !file.endsWith(".py")) return undefined;
  return file.slice("/var/task/".length, -3).replace(/\//g, ".").replace(/\.__init__$/, "");
}

/**
 * Frames of a Python traceback starting at `start` (a `File "..."` line). Python prints the
 * oldest call first; the result is newest first like every other runtime here. Returns
 * the index of the first line after the frames.
 */
export function parsePythonFrames(lines: string[], start: number): { frames: Frame[]; end: number } {
  const frames: Frame[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i]!;
    const m = line.length <= MAX_FRAME_LINE ? PY_FRAME.exec(line) : null;
    if (!m) break;
    const file = m[1]!;
    const frame: Frame = { file, line: Number(m[2]), inApp: isPythonInApp(file), raw: line.replace(/^[\s\u00a0]+/, "") };
    if (m[3]) frame.function = m[3].trim();
    const mod = pythonModule(file);
    if (mod) frame.module = mod;
    i++;
    // The source line follows, indented deeper; it may be missing (no source on disk).
    const next = lines[i];
    if (next !== undefined && /^[\s\u00a0]{2,}\S/.test(next) && !PY_FRAME.test(next)) {
      const text = next.replace(/^[\s\u00a0]+/, "");
      // Python 3.11+ adds caret lines (`    ~~~~^^^`) under the source line.
      frame.context = { start: frame.line!, pre: [], line: text, post: [] };
      i++;
      // One leading blank then blanks and carets only (anchored, one pass: no overlapping runs).
      while (i < lines.length && /^\s[~^\s]*$/.test(lines[i]!) && /[~^]/.test(lines[i]!)) i++;
    }
    frames.push(frame);
  }
  frames.reverse();
  return { frames, end: i };
}

/** Python stackTrace entries of JSON logs: formatted strings, or legacy `[file, line, fn, code]` arrays. */
export function pythonFramesFromJson(stack: unknown[]): Frame[] {
  const lines: string[] = [];
  const frames: Frame[] = [];
  for (const entry of stack) {
    if (typeof entry === "string") {
      for (const l of entry.split("\n")) if (l.length > 0) lines.push(l);
    } else if (Array.isArray(entry) && typeof entry[0] === "string") {
      const file = entry[0];
      const frame: Frame = { file, inApp: isPythonInApp(file), raw: `File "${file}", line ${String(entry[1])}, in ${String(entry[2])}` };
      if (typeof entry[1] === "number") frame.line = entry[1];
      if (typeof entry[2] === "string") frame.function = entry[2];
      if (typeof entry[3] === "string" && frame.line) frame.context = { start: frame.line, pre: [], line: entry[3].trim(), post: [] };
      frames.push(frame);
    }
  }
  if (frames.length > 0) return frames.reverse();
  const start = lines.findIndex((l) => PY_FRAME.test(l));
  return start === -1 ? [] : parsePythonFrames(lines, start).frames;
}

// ---------------------------------------------------------------- Go

const GO_STDLIB = new Set([
  "runtime", "reflect", "sync", "net", "encoding", "fmt", "os", "io", "internal", "syscall", "context", "strings",
  "strconv", "bytes", "bufio", "time", "errors", "log", "math", "sort", "crypto", "compress", "database", "testing",
  "unicode", "text", "html", "mime", "path", "regexp", "container", "hash", "archive", "debug", "embed", "expvar",
  "flag", "go", "image", "index", "plugin", "unsafe", "iter", "maps", "slices", "cmp", "structs", "weak", "unique",
  "vendor",
]);

const GO_PLATFORM_MODULES = ["github.com/aws/aws-lambda-go", "github.com/aws/aws-sdk-go", "golang.org/x/", "google.golang.org/"];

/** Split a Go symbol `github.com/a/b/pkg.(*T).Method` into package and function. */
export function splitGoSymbol(symbol: string): { module: string; fn: string } {
  const slash = symbol.lastIndexOf("/");
  const dot = symbol.indexOf(".", slash + 1);
  if (dot === -1) return { module: "", fn: symbol };
  return { module: symbol.slice(0, dot), fn: symbol.slice(dot + 1) };
}

export function isGoInApp(module: string, file: string): boolean {
  // The module cache (`/root/go/pkg/mod/...` or, with -trimpath, `github.com/x/y@v1.2.3/...`) holds dependencies.
  if (file.includes("/pkg/mod/") || /@v\d/.test(file)) return false;
  if (file.includes("/usr/local/go/src/") || file.includes("/libexec/src/") || file.includes("/goroot/src/")) return false;
  if (startsWithAny(module, GO_PLATFORM_MODULES)) return false;
  const first = module.split("/")[0] ?? "";
  if (first === "") return true;
  if (first.includes(".")) return true;
  return !GO_STDLIB.has(first);
}

/** Frames of a Go goroutine dump: `pkg.fn(args)` then `\t/path/file.go:12 +0x1d`. */
export function parseGoFrames(lines: string[], start: number): { frames: Frame[]; end: number } {
  const frames: Frame[] = [];
  let i = start;
  while (i < lines.length) {
    let head = lines[i]!;
    if (head.length > MAX_FRAME_LINE) break;
    if (head.startsWith("created by ")) head = head.slice("created by ".length).replace(/ in goroutine \d+$/, "");
    const next = lines[i + 1];
    if (next === undefined || !(next.startsWith("\t") || next.startsWith("    "))) break;
    const loc = next.trim();
    const plus = loc.lastIndexOf(" +0x");
    const where = plus === -1 ? loc : loc.slice(0, plus);
    const { file, line } = splitLocation(where);
    if (line === undefined) break;
    const open = head.lastIndexOf("(");
    const symbol = (head.endsWith(")") && open > 0 ? head.slice(0, open) : head).trim();
    const { module, fn } = splitGoSymbol(symbol);
    const frame: Frame = { file, line, function: fn, inApp: isGoInApp(module, file), raw: `${head.trim()} ${loc}` };
    if (module) frame.module = module;
    frames.push(frame);
    i += 2;
  }
  return { frames, end: i };
}

/** aws-lambda-go's `stackTrace: [{path, line, label}]`. */
export function goFramesFromJson(stack: unknown[]): Frame[] {
  const frames: Frame[] = [];
  for (const entry of stack) {
    if (!entry || typeof entry !== "object") continue;
    const e = entry as { path?: unknown; line?: unknown; label?: unknown };
    const file = typeof e.path === "string" ? e.path : "";
    const label = typeof e.label === "string" ? e.label : undefined;
    // The path of the module cache form `github.com/x/y@v1.2.3/pkg/file.go` names the module.
    const pkgDir = file.includes("/") ? file.slice(0, file.lastIndexOf("/")).replace(/@v[^/]+/, "") : "";
    const frame: Frame = { file, inApp: isGoInApp(pkgDir, file), raw: `${file}:${String(e.line)} ${label ?? ""}`.trim() };
    if (typeof e.line === "number") frame.line = e.line;
    if (label) frame.function = label;
    if (pkgDir) frame.module = pkgDir;
    frames.push(frame);
  }
  return frames;
}

// ---------------------------------------------------------------- Ruby

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * A Ruby frame `path:12:in 'method'` (or with a backtick): what `/^(.+?):(\d+):in [`'](.*)'$/`
 * read, in one pass (the lazy regex rescanned the tail at every `:N:in`: quadratic).
 */
export function parseRubyFrame(t: string): { file: string; line: number; fn: string } | undefined {
  if (t.length < 8 || t.charCodeAt(t.length - 1) !== 39) return undefined;
  for (let i = 0; i < t.length; i++) if (isLineBreak(t.charCodeAt(i))) return undefined;
  for (let p = t.indexOf(":", 1); p !== -1; p = t.indexOf(":", p + 1)) {
    let q = p + 1;
    while (q < t.length && t.charCodeAt(q) >= 48 && t.charCodeAt(q) <= 57) q++;
    const quote = t[q + 4];
    if (q > p + 1 && t.startsWith(":in ", q) && (quote === "`" || quote === "'") && q + 5 <= t.length - 1) {
      return { file: t.slice(0, p), line: Number(t.slice(p + 1, q)), fn: t.slice(q + 5, -1) };
    }
  }
  return undefined;
}

/**
 * Ruby's in-app rule: the function's own code under /var/task (or any path outside the
 * runtime and gem directories when the code was not deployed there), never bundled gems.
 */
export function isRubyInApp(file: string): boolean {
  if (file.startsWith("/var/runtime/") || file.startsWith("/var/lang/") || file.startsWith("/opt/")) return false;
  if (file.includes("/vendor/") || file.includes("/gems/") || file.includes("/site_ruby/") || file.includes("/rubygems/")) return false;
  if (file.startsWith("<internal:")) return false;
  return file.includes("/");
}

/** A Ruby backtrace line as a frame. */
export function rubyFrame(line: string): Frame | undefined {
  const t = line.trim();
  const r = parseRubyFrame(t);
  if (!r) return undefined;
  return { file: r.file, line: r.line, function: r.fn, inApp: isRubyInApp(r.file), raw: t };
}

// ---------------------------------------------------------------- shared

/**
 * Read frames from `stack` lines (Node's `stack` array, Java/.NET text). Lines that are not
 * frames are skipped; the dialect is decided per line so mixed inputs still parse.
 */
export function parseFrameLines(lines: readonly string[], runtime: Runtime): Frame[] {
  const frames: Frame[] = [];
  for (const line of lines) {
    const f = parseFrameLine(line, runtime);
    if (f) frames.push(f);
  }
  return frames;
}

export function parseFrameLine(line: string, runtime: Runtime): Frame | undefined {
  if (!isNodeFrameLine(line)) return undefined;
  if (runtime === "node" || looksNodeFrame(line)) return parseNodeFrame(line);
  if (runtime === "dotnet" || looksDotnetFrame(line)) return parseDotnetFrame(line);
  return parseJavaFrame(line);
}

/** Guess the runtime of a frame line. */
export function frameDialect(line: string): Runtime {
  if (looksNodeFrame(line)) return "node";
  if (looksDotnetFrame(line)) return "dotnet";
  return "java";
}

/** Drop consecutive identical frames (recursion), as Sentry does before grouping. */
export function dedupeFrames(frames: Frame[]): Frame[] {
  if (frames.length < 2) return frames;
  const out: Frame[] = [frames[0]!];
  for (let i = 1; i < frames.length; i++) {
    const a = out[out.length - 1]!;
    const b = frames[i]!;
    if (a.file === b.file && a.line === b.line && a.column === b.column && a.function === b.function && a.module === b.module) continue;
    out.push(b);
  }
  return out;
}
