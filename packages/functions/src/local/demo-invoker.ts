/**
 * The local runtime's seam for invoking functions (core's `Invoker.setLocal`): the AWS
 * emulator's Lambda runs no code, so invocations of the demo account's functions go to the
 * demo runtime (@console/testkit/traffic), which runs the function's program, writes its log
 * into the function's log group, and answers here in Lambda's shape: status, function error,
 * response payload and the base64 tail of the log. Every other function goes to Lambda.
 */
import { Invoker, TAIL_BYTES, type LambdaAnswer, type LocalInvoker } from "@console/core/lambda";
import type { SeededFunction } from "@console/testkit/seed";
import { DemoRuntime, DemoUnavailable, type DemoInvocation } from "@console/testkit/traffic";

/** The last 4 KB of the invocation's log, as Lambda's `LogResult`. */
function tail(lines: string[]): string {
  const bytes = Buffer.from(lines.map((l) => (l.endsWith("\n") ? l : `${l}\n`)).join(""), "utf8");
  return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString("base64");
}

/** The answer Lambda gives for this outcome (its error payloads, as the runtimes write them). */
export function lambdaAnswer(r: DemoInvocation): LambdaAnswer {
  const failed = (errorType: string, errorMessage: string): LambdaAnswer => ({
    statusCode: 200,
    functionError: "Unhandled",
    payload: Buffer.from(JSON.stringify({ errorType, errorMessage })),
    logResult: tail(r.events.map((e) => e.message)),
    requestId: r.requestId,
    executedVersion: "$LATEST",
  });
  switch (r.status) {
    case "success":
      return {
        statusCode: 200,
        payload: Buffer.from(JSON.stringify(r.result ?? null)),
        logResult: tail(r.events.map((e) => e.message)),
        requestId: r.requestId,
        executedVersion: "$LATEST",
      };
    case "error":
      return failed(r.error?.errorType ?? "Error", r.error?.errorMessage ?? "");
    case "timeout":
      return failed("Sandbox.Timedout", `RequestId: ${r.requestId} Error: Task timed out after ${(r.timeoutMs / 1000).toFixed(2)} seconds`);
    case "oom":
      return failed("Runtime.OutOfMemory", `RequestId: ${r.requestId} Error: Runtime exited with error: signal: killed`);
    case "crash":
      return r.error ? failed(r.error.errorType, r.error.errorMessage) : failed("Runtime.ExitError", `RequestId: ${r.requestId} Error: Runtime exited with error`);
  }
}

/** Claims the demo runtime's functions (by account and ARN); leaves everything else to Lambda. */
export function demoInvoker(runtime: DemoRuntime): LocalInvoker {
  return (target) => {
    if (target.accountId !== runtime.accountId) return undefined;
    const fn = runtime.find(target.arn);
    if (!fn) return undefined;
    return async (payload) => {
      try {
        return lambdaAnswer(await runtime.invoke(fn, JSON.parse(payload) as unknown));
      } catch (err) {
        if (!(err instanceof DemoUnavailable)) throw err;
        return { statusCode: 200, functionError: "Unhandled", payload: Buffer.from(JSON.stringify({ errorType: "Runtime.Unavailable", errorMessage: err.message })) };
      }
    };
  };
}

/**
 * Runs the demo account's functions here and routes the console's invocations of them to
 * this runtime (what `npm run dev` does with its emulator; browser tests do the same).
 * `stop()` removes the seam.
 */
export function useDemoRuntime(options: { endpoint: string; accountId: string; functions: SeededFunction[]; extraCold?: number }) {
  const runtime = new DemoRuntime(options);
  Invoker.setLocal(demoInvoker(runtime));
  return {
    runtime,
    stop() {
      Invoker.setLocal(undefined);
      runtime.stop();
    },
  };
}
