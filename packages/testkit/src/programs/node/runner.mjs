// A minimal stand-in for the Lambda Node.js runtime interface client, run in a child
// process for one invocation: it patches console and writes log lines the way the real
// client does (text `ISO\treqid\tLEVEL\tmessage`, or the JSON format), reports handler
// failures with the `Invoke Error`, `Uncaught Exception` and `Unhandled Promise Rejection`
// labels, and exits with the runtime's codes (129, 128). Lines go to fd 3 as JSON records;
// the parent adds what the Lambda platform writes (START, END, REPORT, timeouts, exits).
// Formats follow aws-lambda-nodejs-runtime-interface-client (LogPatch.js, Errors.js).
import { writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
import util from "node:util";

const [bundlePath, handlerName, requestId, format, eventJson, deadlineMs] = process.argv.slice(2);
const OUT = 3;
let current = "undefined";

function emit(record) {
  writeSync(OUT, JSON.stringify(record) + "\n");
}

function jsonReplacer(_key, value) {
  if (value instanceof Error) {
    return Object.assign(
      { errorType: value?.constructor?.name ?? "UnknownError", errorMessage: value.message, stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack },
      value,
    );
  }
  return value;
}

function formatJson(level, args) {
  const result = { timestamp: new Date().toISOString(), level, requestId: current };
  if (args.length === 1) {
    result.message = args[0];
    try {
      return JSON.stringify(result, jsonReplacer);
    } catch {
      result.message = util.format(result.message);
      return JSON.stringify(result);
    }
  }
  result.message = util.format(...args);
  for (const param of args) {
    if (param instanceof Error) {
      result.errorType = param?.constructor?.name ?? "UnknownError";
      result.errorMessage = param.message;
      result.stackTrace = typeof param.stack === "string" ? param.stack.split("\n") : [];
      break;
    }
  }
  return JSON.stringify(result);
}

function log(level, args) {
  const message = format === "json" ? formatJson(level, args) : `${new Date().toISOString()}\t${current}\t${level}\t${util.format(...args)}`;
  emit({ t: "log", ts: Date.now(), message });
}

console.trace = (...a) => log("TRACE", a);
console.debug = (...a) => log("DEBUG", a);
console.info = (...a) => log("INFO", a);
console.log = console.info;
console.warn = (...a) => log("WARN", a);
console.error = (...a) => log("ERROR", a);

function withEnumerableProperties(error) {
  if (!(error instanceof Error)) return error;
  const ret = Object.assign({ errorType: error.name, errorMessage: error.message, code: error.code }, error);
  if (typeof error.stack === "string") ret.stack = error.stack.split("\n");
  return ret;
}

const intoError = (err) => (err instanceof Error ? err : new Error(String(err)));
const toFormatted = (error) => "\t" + JSON.stringify(error, (_k, v) => withEnumerableProperties(v));

function logError(label, err) {
  if (format === "json") console.error(intoError(err));
  else console.error(label, toFormatted(intoError(err)));
}

class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
UnhandledPromiseRejection.prototype.name = "Runtime.UnhandledPromiseRejection";

const rapid = (e) => ({ errorType: e?.name ?? typeof e, errorMessage: e?.message ?? String(e) });
const done = (record) => emit({ t: "done", maxRssKb: process.resourceUsage().maxRSS, ...record });

process.on("uncaughtException", (error) => {
  logError("Uncaught Exception", error);
  done({ error: rapid(error), crashed: true });
  process.exit(129);
});

process.on("unhandledRejection", (reason, promise) => {
  const error = new UnhandledPromiseRejection(reason, promise);
  logError("Unhandled Promise Rejection", error);
  done({ error: rapid(error), crashed: true });
  process.exit(128);
});

let mod;
try {
  mod = await import(pathToFileURL(bundlePath).href);
} catch (err) {
  const error = new Error(String(err));
  error.name = "Runtime.ImportModuleError";
  logError("Uncaught Exception", error);
  done({ error: rapid(error), crashed: true });
  process.exit(129);
}

emit({ t: "init-done", ts: Date.now() });
current = requestId;
const handler = mod[handlerName];
const deadline = Date.now() + Number(deadlineMs);
const context = {
  awsRequestId: requestId,
  functionName: "demo",
  functionVersion: "$LATEST",
  memoryLimitInMB: "128",
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  callbackWaitsForEmptyEventLoop: true,
};

try {
  if (typeof handler !== "function") {
    const error = new Error(`index.${handlerName} is undefined or not exported`);
    error.name = "Runtime.HandlerNotFound";
    throw error;
  }
  const result = await handler(JSON.parse(eventJson), context);
  done({ result: result ?? null });
} catch (err) {
  logError("Invoke Error", err);
  done({ error: rapid(intoError(err)) });
}
process.exit(0);
