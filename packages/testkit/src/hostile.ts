/**
 * Hostile log events for the issue parsers: single events up to CloudWatch's 256 KB made
 * of repeated characters and fragments that make a backtracking regular expression (or a
 * careless scan) super-linear. Shared by the fuzz test
 * (packages/core/src/issue/extract/hostile.test.ts) and `npm run bench -- hostile`.
 *
 * Each input comes with its **plain twin**: the same event shape and size with the hostile
 * run replaced by ordinary prose, so "time of the hostile event / time of the plain one"
 * says how much worse than linear a parser is (1 means no worse than a normal event).
 */
import type { LogEvent } from "@console/core/issue/extract";

/** CloudWatch Logs' limit for one event (256 KiB minus the 26 bytes it reserves per event). */
export const MAX_EVENT_BYTES = 256 * 1024 - 26;

const PROSE = "the quick brown fox jumps over the lazy dog while the order service retries payment ";

/** `fragment` repeated until the result is `size` characters long (the last repeat cut). */
export function fill(fragment: string, size: number): string {
  if (size <= 0) return "";
  return fragment.repeat(Math.ceil(size / fragment.length)).slice(0, size);
}

/** Ordinary text of `size` characters. */
export function prose(size: number): string {
  return fill(PROSE, size);
}

const RID = "8f3c2a4e-1b6d-4c7a-9e2f-3a5b6c7d8e9f";
const ISO = "2024-05-01T12:00:00.000Z";

export interface HostileInput {
  /** Short name: a column of the benchmark's table. */
  name: string;
  /** What it attacks (file and construct). */
  target: string;
  /** The runtime hint of the stream (as Lambda names it). */
  runtime?: string;
  /**
   * Events of one stream. The hostile event is the last and is about `size` characters
   * long; with `plain` the hostile run is replaced by prose of the same length.
   */
  events(size: number, plain: boolean): LogEvent[];
  /** Source maps by bundle file name, for inputs aimed at source mapping. */
  maps?(size: number, plain: boolean): Record<string, string>;
}

function ev(messages: string[]): LogEvent[] {
  return messages.map((message, i) => ({ id: `ev-${i}`, timestamp: 1_714_564_800_000 + i, message }));
}

/** `head` + hostile run (or prose) + `tail`, `size` characters in all. */
function wrap(head: string, fragment: string, tail: string, size: number, plain: boolean): string {
  const n = Math.max(0, size - head.length - tail.length);
  return head + (plain ? prose(n) : fill(fragment, n)) + tail;
}

/** A JSON string's inside for `s` (quotes and backslashes escaped). */
function jsonInside(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/**
 * The inputs measured before and after the parsers were made linear (issue 7, item 2),
 * each aimed at one construct that was quadratic on them.
 */
export const HOSTILE_INPUTS: HostileInput[] = [
  {
    name: "runtime-exited",
    target: "platform.ts: trailing-space trim of a `Runtime exited` line",
    runtime: "nodejs22.x",
    events: (size, plain) => ev([wrap(`RequestId: ${RID} Error: Runtime exited`, " ", "x", size, plain)]),
  },
  {
    name: "go-continuation",
    target: "detector.ts: Go continuation-line regex (`pkg.fn(args)`)",
    runtime: "provided.al2023",
    events: (size, plain) => ev(["panic: boom", "", "goroutine 1 [running]:", wrap("", "a(", "", size, plain)]),
  },
  {
    name: "python-caret",
    target: "frames.ts: Python 3.11 caret-line regex under a source line",
    runtime: "python3.12",
    events: (size, plain) => {
      const head = 'Traceback (most recent call last):\n  File "/var/task/app.py", line 3, in handler\n    handler()\n';
      return ev([wrap(head, " ", "!\nKeyError: 'x'", size, plain)]);
    },
  },
  {
    name: "header-brace",
    target: "parse-text.ts: util.inspect props block ` {...}` after a stack-less header",
    runtime: "nodejs22.x",
    events: (size, plain) => ev([wrap(`${ISO}\t${RID}\tERROR\tError: boom`, " {\n", "", size, plain)]),
  },
  {
    name: "declaration-scan",
    target: "sourcemap.ts: DECLARATION regex over a source line of a map",
    runtime: "nodejs22.x",
    events: () => {
      const payload = { errorType: "Error", errorMessage: "boom", stack: ["Error: boom", "    at handler (/var/task/index.mjs:1:1)"] };
      return ev([`${ISO}\t${RID}\tERROR\tInvoke Error \t${JSON.stringify(payload)}`]);
    },
    maps: (size, plain) => ({
      "index.mjs": JSON.stringify({ version: 3, sources: ["src/handler.ts"], names: [], mappings: "AAAA", sourcesContent: [wrap("", "const e=(", "", size, plain)] }),
    }),
  },
  {
    name: "jvm-name",
    target: "frames.ts: JVM generated-name cleanup (`$$Lambda...`) in grouping",
    runtime: "java21",
    events: (size, plain) => {
      const head = '{"errorType":"java.lang.RuntimeException","errorMessage":"boom","stackTrace":["com.example.Handler.';
      return ev([wrap(head, "$$Lambdaa", '(Handler.java:12)"]}', size, plain)]);
    },
  },
  {
    name: "ruby-frame",
    target: "parse-json.ts: Ruby frame regex on a JSON stackTrace entry",
    runtime: "ruby3.3",
    events: (size, plain) => ev([wrap('{"errorType":"RuntimeError","errorMessage":"boom","stackTrace":["x', ":1:in `", '"]}', size, plain)]),
  },
  {
    name: "salvage-frames",
    target: "parse-json.ts: frame scan of a cut error document (salvage)",
    runtime: "nodejs22.x",
    events: (size, plain) => ev([wrap('{"errorType":"Error","errorMessage":"boom","stackTrace":["', jsonInside(' at "'), "", size, plain)]),
  },
];

/**
 * Repeated characters and fragments for the fuzz test: each is sent alone, after a runtime
 * prefix, inside JSON log documents, and as continuation lines of Python, Go and Java stacks.
 */
export const HOSTILE_FRAGMENTS: string[] = [
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u00a0",
  "a",
  "0",
  "$",
  "^",
  "~",
  "^~ ",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "'",
  '"',
  "\\",
  ":",
  "/",
  "@",
  ".",
  "<",
  "{{",
  "{\n",
  " {\n",
  "a(",
  "((",
  "at ",
  "    at ",
  "    at a (",
  "at a (/var/task/x.js:1:1)\n",
  "Error: ",
  "Error",
  "Exception: ",
  "Caused by: ",
  "---> ",
  "Traceback (most recent call last):\n",
  '  File "',
  '  File "/var/task/a.py", line 1, in h\n',
  "\tgoroutine ",
  "goroutine 1 [",
  "  ",
  "panic: ",
  "$$Lambda",
  "$$Lambdaa",
  "lambda$",
  "d__1",
  "x:1:in `",
  ":1:1",
  ":line ",
  " in ",
  "Runtime exited ",
  "Runtime.",
  "RequestId: ",
  "Status: ",
  "const e=(",
  "function ",
  "=> ",
  "\"errorType\":\"",
  "errorType",
  "1.2.3.4 ",
  "a@b.",
  "http://",
  "0x",
  "a-",
  "12:",
  "-1.",
];
