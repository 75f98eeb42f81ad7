/**
 * Ruby grouping: the runtime's error documents and Logger lines of the same bug group
 * together across invocations, deploys that move lines, and messages naming objects; vendored
 * gems and the runtime client are not the function's code; different bugs stay apart.
 */
import { describe, expect, it } from "vitest";
import { detect, enrich, type Extracted } from "./index";

const RID = "21bafabc-c617-42e6-9ec4-357d988e5505";
const GEM = "/var/task/vendor/bundle/ruby/3.2.0/gems/rack-3.0.8/lib/rack/builder.rb:277:in `call'";
const RIC = "/var/runtime/lib/aws_lambda_ric/lambda_handler.rb:28:in `call_handler'";

/** What the Ruby runtime prints for an error the handler raised: a label, then the document. */
async function raised(message: string, stackTrace: string[], type = "Function<NoMethodError>", label = "Error raised from handler method"): Promise<Extracted> {
  const doc = JSON.stringify({ errorMessage: message, errorType: type, stackTrace }, null, 2);
  const errors = detect(
    [
      { timestamp: 1, message: `START RequestId: ${RID} Version: $LATEST` },
      { timestamp: 2, message: label },
      { timestamp: 3, message: doc },
      { timestamp: 4, message: `END RequestId: ${RID}` },
    ],
    { runtime: "ruby3.2" },
  );
  expect(errors).toHaveLength(1);
  const [x] = await enrich(errors, { functionName: "shop-production-Orders" });
  return x!;
}

describe("Ruby grouping", () => {
  it("marks the function's own files in-app, not vendored gems nor the runtime client", async () => {
    const x = await raised("undefined method `upcase' for nil:NilClass", ["/var/task/handler.rb:4:in `shout'", GEM, RIC]);
    expect(x.error.runtime).toBe("ruby");
    expect(x.error.frames.map((f) => [f.function, f.inApp])).toEqual([
      ["shout", true],
      ["call", false],
      ["call_handler", false],
    ]);
    expect(x.fingerprint.basis).toBe("stack");
  });

  it("groups the same bug across invocations, moved lines and object ids in the message", async () => {
    const a = await raised("undefined method `upcase' for nil:NilClass", ["/var/task/handler.rb:4:in `shout'", GEM, RIC]);
    const b = await raised("undefined method `upcase' for #<Order:0x000055d5c0a1b2c8>", ["/var/task/handler.rb:9:in `shout'", GEM, RIC], "Function<NoMethodError>", "Critical exception from handler");
    expect(b.fingerprint.hash).toBe(a.fingerprint.hash);
  });

  it("keeps different bugs apart: another type, or another method of the function", async () => {
    const a = await raised("undefined method `upcase' for nil:NilClass", ["/var/task/handler.rb:4:in `shout'", RIC]);
    const otherType = await raised("no implicit conversion of String into Integer", ["/var/task/handler.rb:4:in `shout'", RIC], "Function<TypeError>");
    const otherMethod = await raised("undefined method `upcase' for nil:NilClass", ["/var/task/handler.rb:12:in `whisper'", RIC]);
    expect(otherType.fingerprint.hash).not.toBe(a.fingerprint.hash);
    expect(otherMethod.fingerprint.hash).not.toBe(a.fingerprint.hash);
  });

  it("a Logger line with the exception and the runtime's document of the same bug group together", async () => {
    const doc = await raised("undefined method `fetch' for nil", ["/var/task/app/orders.rb:14:in `load_order'", "/var/task/lambda_function.rb:6:in `lambda_handler'", RIC]);
    const logged = detect(
      [{ timestamp: 5, message: `E, [2024-11-20T10:00:00.123456 #8] ERROR ${RID} -- : undefined method \`fetch' for nil (NoMethodError)\n/var/task/app/orders.rb:14:in \`load_order'\n/var/task/lambda_function.rb:6:in \`lambda_handler'` }],
      { runtime: "ruby3.2" },
    );
    expect(logged).toHaveLength(1);
    const [x] = await enrich(logged, { functionName: "shop-production-Orders" });
    expect(x!.error.type).toBe("NoMethodError");
    expect(x!.fingerprint.hash).toBe(doc.fingerprint.hash);
  });
});
