/**
 * Lines Lambda itself writes, not the function: invocation markers (START/END/REPORT),
 * init markers (INIT_START/INIT_REPORT, SnapStart RESTORE_*), and the platform's failure
 * lines (timeouts, runtime exits, Runtime API failures), in the text format and in the
 * JSON format (`{"type":"platform.report","record":{...}}`).
 *
 * Sources: research §3.1 (awsdocs nodejs-logging.md, DataBiosphere/azul#8140 for
 * `Status: timeout`, cargo-lambda#572 and aws-lambda-web-adapter#318 for INIT_REPORT,
 * DataBiosphere/azul#3485 for `signal: killed`, aws-lambda-go#559 for the panic exit).
 */
import { normaliseRequestId } from "./text";

export type PlatformLine =
  | { t: "start"; requestId?: string }
  | { t: "end"; requestId?: string }
  | { t: "report"; requestId?: string; status?: string; errorType?: string }
  | { t: "init-start"; runtimeVersion?: string }
  | { t: "init-report"; phase?: string; status?: string; errorType?: string; restore?: boolean }
  | { t: "timeout"; requestId?: string; message: string }
  | { t: "exit"; requestId?: string; message?: string; errorType?: string }
  | { t: "runtime"; requestId?: string; message: string };

const STATUS = /\bStatus:\s*([A-Za-z]+)/;
const ERROR_TYPE = /\bError Type:\s*([\w.]+)/;
const PHASE = /\bPhase:\s*([A-Za-z]+)/;
const RUNTIME_TYPE_TAIL = /(?:^|[\s])(Runtime\.[A-Za-z]+|Extension\.[A-Za-z]+)$/;

function field(re: RegExp, text: string): string | undefined {
  const m = re.exec(text);
  return m ? m[1] : undefined;
}

/** The request id after `RequestId: ` up to a separator. */
function requestIdAfter(text: string, label: string): string | undefined {
  const i = text.indexOf(label);
  if (i === -1) return undefined;
  let j = i + label.length;
  while (j < text.length && (text[j] === " " || text[j] === "\t")) j++;
  let k = j;
  while (k < text.length && text[k] !== " " && text[k] !== "\t" && text[k] !== "\n" && text[k] !== "\r") k++;
  return normaliseRequestId(text.slice(j, k));
}

/** Messages that carry no information beyond the error type: a richer line replaces them. */
export const GENERIC_MESSAGES = new Set([
  "Unknown application error occurred",
  "Status: error",
  "Status: timeout",
  "Status: failure",
  "INIT_REPORT Status: error",
  "INIT_REPORT Status: timeout",
  "RESTORE_REPORT Status: error",
  "",
]);

const EXIT_STARTS = [
  "Runtime exited",
  "Unknown application error occurred",
  "Process exited before completing request",
  "calling the handler function resulted in a panic",
];

/**
 * `RequestId: <id> Error: Runtime exited with error: signal: killed\nRuntime.ExitError`,
 * `Error Runtime exited ...`, `Unknown application error occurred Runtime.Unknown`, or a
 * lone `Runtime.ExitError` line (the type printed as its own event).
 */
function parseExit(text: string): PlatformLine | undefined {
  let rest = text;
  let requestId: string | undefined;
  if (rest.startsWith("RequestId: ")) {
    requestId = requestIdAfter(rest, "RequestId:");
    const sp = rest.indexOf(" ", 11);
    rest = sp === -1 ? "" : rest.slice(sp + 1);
  }
  if (rest.startsWith("Error: ")) rest = rest.slice(7);
  else if (rest.startsWith("Error ")) rest = rest.slice(6);
  rest = rest.trim();
  const known = rest.startsWith("Task timed out after") || rest.startsWith("Runtime.") || EXIT_STARTS.some((s) => rest.startsWith(s));
  if (!known && !requestId) return undefined;
  let errorType: string | undefined;
  const tail = RUNTIME_TYPE_TAIL.exec(rest.length > 300 ? rest.slice(-300) : rest);
  if (tail) {
    errorType = tail[1];
    rest = rest.slice(0, rest.length - tail[1]!.length).trim();
  }
  if (rest === "" && errorType) return { t: "exit", requestId, errorType };
  if (rest.startsWith("Task timed out after")) return { t: "timeout", requestId, message: rest.split("\n")[0]! };
  for (const s of EXIT_STARTS) {
    if (rest.startsWith(s)) {
      // `rest` is already trimmed at both ends (a `\s+$` regex here was quadratic on long runs of spaces).
      const out: PlatformLine = { t: "exit", requestId, message: rest };
      if (errorType) out.errorType = errorType;
      return out;
    }
  }
  // `RequestId: x Error: <something> Runtime.Xxx`: the platform reporting a failure it named.
  if (requestId && errorType) return { t: "exit", requestId, message: rest, errorType };
  return undefined;
}

/**
 * Recognise a text line written by the platform. `text` is the whole message with trailing
 * newlines removed. Returns undefined for everything else.
 */
export function parsePlatformText(text: string): PlatformLine | undefined {
  const c = text.charCodeAt(0);
  switch (c) {
    case 83: // S
      if (text.startsWith("START RequestId:")) return { t: "start", requestId: requestIdAfter(text, "RequestId:") };
      break;
    case 69: // E
      if (text.startsWith("END RequestId:")) return { t: "end", requestId: requestIdAfter(text, "RequestId:") };
      if (text.startsWith("EXTENSION") && text.includes("Error Type:")) {
        return { t: "init-report", phase: "init", status: "error", errorType: field(ERROR_TYPE, text) ?? "Extension.Error" };
      }
      if (text.startsWith("Error")) return parseExit(text);
      break;
    case 82: // R
      if (text.startsWith("REPORT RequestId:")) {
        const head = text.length > 2000 ? text.slice(0, 2000) : text;
        return { t: "report", requestId: requestIdAfter(text, "RequestId:"), status: field(STATUS, head), errorType: field(ERROR_TYPE, head) };
      }
      if (text.startsWith("RESTORE_REPORT")) {
        return { t: "init-report", phase: "restore", status: field(STATUS, text), errorType: field(ERROR_TYPE, text), restore: true };
      }
      if (text.startsWith("RequestId: ") || text.startsWith("Runtime.")) return parseExit(text);
      break;
    case 73: // I
      if (text.startsWith("INIT_START")) return { t: "init-start", runtimeVersion: /Runtime Version:\s*(\S+)/.exec(text)?.[1] };
      if (text.startsWith("INIT_REPORT")) {
        return { t: "init-report", phase: field(PHASE, text), status: field(STATUS, text), errorType: field(ERROR_TYPE, text) };
      }
      break;
    case 84: // T
      if (text.startsWith("Task timed out after")) return { t: "timeout", message: text.split("\n")[0]!.trim() };
      break;
    case 85: // U
    case 80: // P
    case 99: // c
      if (EXIT_STARTS.some((s) => text.startsWith(s))) return parseExit(text);
      break;
  }
  const lr = text.indexOf("LAMBDA_RUNTIME ");
  if (lr !== -1 && lr < 64 && text.startsWith("Failed", lr + 15)) {
    return { t: "runtime", message: text.slice(lr + 15).split("\n")[0]!.trim() };
  }
  return undefined;
}

/** A platform record of the JSON log format. */
export function parsePlatformJson(o: Record<string, unknown>): PlatformLine | undefined {
  const type = o.type;
  if (typeof type !== "string" || !type.startsWith("platform.")) return undefined;
  const record = (o.record && typeof o.record === "object" ? o.record : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const requestId = normaliseRequestId(str(record.requestId));
  switch (type) {
    case "platform.start":
      return { t: "start", requestId };
    case "platform.end":
      return { t: "end", requestId };
    case "platform.report":
    case "platform.runtimeDone":
      return { t: "report", requestId, status: str(record.status), errorType: str(record.errorType) };
    case "platform.initStart":
      return { t: "init-start", runtimeVersion: str(record.runtimeVersion) };
    case "platform.initReport":
    case "platform.initRuntimeDone":
      return { t: "init-report", phase: str(record.phase), status: str(record.status), errorType: str(record.errorType) };
    case "platform.restoreReport":
    case "platform.restoreRuntimeDone":
      return { t: "init-report", phase: "restore", status: str(record.status), errorType: str(record.errorType), restore: true };
  }
  return undefined;
}

/** Runtime errors of the init phase, whatever the runtime that names them. */
export const INIT_ERROR_TYPES = new Set([
  "Runtime.ImportModuleError",
  "Runtime.HandlerNotFound",
  "Runtime.MalformedHandlerName",
  "Runtime.UserCodeSyntaxError",
  "Runtime.BuiltInModuleConflict",
  "Runtime.InvalidEntrypoint",
  "Runtime.InvalidWorkingDirectory",
  "Runtime.MalformedStreamingHandler",
  "Runtime.InitError",
]);
