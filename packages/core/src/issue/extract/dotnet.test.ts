/**
 * .NET: Amazon.Lambda.RuntimeSupport logs `ISO\treqid\tfail\t<exception.ToString()>` and
 * records the JSON error document (`errorType`, `errorMessage`, `stackTrace` of `at ...`
 * lines, nested `cause`) (awsdocs csharp-exceptions.md).
 */
import { describe, expect, test } from "vitest";
import { events, node, REQ, start } from "./fixtures/events";
import { detect } from "./index";

describe(".NET", () => {
  test("an unhandled exception in the text format", () => {
    const body = [
      "System.InvalidOperationException: Sequence contains no elements",
      "   at System.Linq.ThrowHelper.ThrowNoElementsException()",
      "   at System.Linq.Enumerable.First[TSource](IEnumerable`1 source)",
      "   at Orders.Function.FunctionHandler(String input, ILambdaContext context) in /src/Orders/Function.cs:line 25",
      "   at lambda_method1(Closure, Stream, ILambdaContext, Stream)",
    ].join("\n");
    const [e] = detect(events(node("fail", body)));
    expect(e).toMatchObject({ type: "System.InvalidOperationException", message: "Sequence contains no elements", requestId: REQ, runtime: "dotnet" });
    expect(e!.frames.map((f) => [f.module, f.function, f.file, f.line, f.inApp])).toEqual([
      ["System.Linq.ThrowHelper", "ThrowNoElementsException", "<unknown>", undefined, false],
      ["System.Linq.Enumerable", "First[TSource]", "<unknown>", undefined, false],
      ["Orders.Function", "FunctionHandler", "/src/Orders/Function.cs", 25, true],
      [undefined, "lambda_method1", "<unknown>", undefined, false],
    ]);
  });

  test("inner exceptions: inner frames first, outer frames after the end marker", () => {
    const body = [
      "System.AggregateException: One or more errors occurred. (timeout)",
      " ---> System.TimeoutException: timeout",
      "   at Orders.Db.Query() in /src/Orders/Db.cs:line 40",
      "   --- End of inner exception stack trace ---",
      "   at System.Threading.Tasks.Task.Wait()",
      "   at Orders.Function.<Handle>d__3.MoveNext() in /src/Orders/Function.cs:line 18",
      "--- End of stack trace from previous location ---",
      "   at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)",
    ].join("\n");
    const [e] = detect(events(node("fail", body)));
    expect(e).toMatchObject({ type: "System.AggregateException", message: "One or more errors occurred. (timeout)" });
    expect(e!.frames.map((f) => f.function)).toEqual(["Wait", "MoveNext", "ThrowForNonSuccess"]);
    expect(e!.frames[1]!.module).toBe("Orders.Function.<Handle>d__3");
    expect(e!.causes).toEqual([{ type: "System.TimeoutException", message: "timeout", frames: [expect.objectContaining({ module: "Orders.Db", function: "Query", line: 40, inApp: true })] }]);
  });

  test("the JSON error document", () => {
    const doc = {
      errorType: "AggregateException",
      errorMessage: "One or more errors occurred. (An unknown web exception occurred!)",
      stackTrace: ["at System.Threading.Tasks.Task.ThrowIfExceptional(Boolean includeTaskCanceledExceptions)", "at lambda_method(Closure , Stream , Stream , ContextInfo )"],
      cause: { errorType: "UnknownWebException", errorMessage: "An unknown web exception occurred!", stackTrace: ["at LambdaDemo107.LambdaEntryPoint.<GetUriResponse>d__1.MoveNext()", "--- End of stack trace from previous location where exception was thrown ---", "at System.Runtime.CompilerServices.TaskAwaiter.ThrowForNonSuccess(Task task)"] },
    };
    const [e] = detect(events(start(), JSON.stringify(doc, null, 2)));
    expect(e).toMatchObject({ type: "AggregateException", kind: "invoke", requestId: REQ });
    expect(e!.frames.every((f) => !f.inApp)).toBe(true);
    expect(e!.causes![0]!.frames.map((f) => f.inApp)).toEqual([true, false]);
  });

  test("`info` with an exception is not an issue", () => {
    expect(detect(events(node("info", "System.Exception: handled\n   at A.B()")))).toEqual([]);
  });
});
