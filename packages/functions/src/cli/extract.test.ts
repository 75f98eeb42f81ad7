/**
 * The `extract` command, run as users run it: a child process reading a file or stdin.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, test } from "vitest";
import { bundleDemo, invoke } from "@console/testkit/programs";

const ROOT = join(import.meta.dirname, "../../../..");
const REQ = "8179a9db-e726-451b-898f-93923b3e7bbd";

function cli(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "packages/functions/src/cli/index.ts", "extract", ...args], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

const outputs = (stdout: string) => stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

const invokeError = (type: string, message: string, frame: string) =>
  `2024-05-01T10:00:00.000Z\t${REQ}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: type, errorMessage: message, stack: [`${type}: ${message}`, `    at ${frame}`] })}`;

const payload = (logStream: string, messages: string[], messageType = "DATA_MESSAGE") => ({
  messageType,
  owner: "123456789012",
  logGroup: "/aws/lambda/orders-api",
  logStream,
  subscriptionFilters: ["console"],
  logEvents: messages.map((message, i) => ({ id: `${logStream}-${i}`, timestamp: 1_714_557_600_000 + i, message })),
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "extract-cli-"));
});

describe("extract", () => {
  test("reads events, payloads and Kinesis data; reports bad lines and goes on", async () => {
    const lines = [
      JSON.stringify({ id: "ev-1", timestamp: 1, message: invokeError("TypeError", "x is undefined", "h (file:///var/task/index.mjs:1:10)"), logGroup: "/aws/lambda/a", logStream: "s1" }),
      "this is not json",
      JSON.stringify(payload("s2", [`START RequestId: ${REQ} Version: $LATEST`, `END RequestId: ${REQ}`, `REPORT RequestId: ${REQ}\tDuration: 3000.00 ms\tStatus: timeout`])),
      JSON.stringify({ hello: "world" }),
      gzipSync(JSON.stringify(payload("s3", [invokeError("RangeError", "bad length", "f (file:///var/task/index.mjs:2:3)")]))).toString("base64"),
      gzipSync(JSON.stringify(payload("s4", ["CWL CONTROL MESSAGE: Checking health of destination"], "CONTROL_MESSAGE"))).toString("base64"),
      "",
      // The late legacy timeout line of s2's request: joined to the REPORT, not a second error.
      JSON.stringify(payload("s2", [`2024-05-01T10:00:03.000Z ${REQ} Task timed out after 3.00 seconds`])),
    ];
    const file = join(dir, "mixed.jsonl");
    writeFileSync(file, lines.join("\n") + "\n");
    const { code, stdout, stderr } = await cli([file]);
    expect(code).toBe(0);
    expect(stderr).toContain("line 2: neither JSON nor base64");
    expect(stderr).toContain("line 4:");
    expect(stderr).not.toContain("line 6:");
    const out = outputs(stdout);
    expect(out.map((o) => [o.type, o.message])).toEqual([
      ["TypeError", "x is undefined"],
      ["RangeError", "bad length"],
      ["Timeout", "Task timed out after 3.00 seconds"],
    ]);
    expect(out[0]).toEqual({
      type: "TypeError",
      message: "x is undefined",
      requestId: REQ,
      frames: [{ file: "/var/task/index.mjs", line: 1, column: 10, function: "h", inApp: true }],
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventIds: ["ev-1"],
    });
    expect(out[2]!.eventIds).toEqual(["s2-2", "s2-0"]);
  }, 30_000);

  test("reads stdin", async () => {
    const { code, stdout } = await cli([], JSON.stringify({ timestamp: 1, message: invokeError("Error", "from stdin", "g (/var/task/a.js:1:1)") }) + "\n");
    expect(code).toBe(0);
    expect(outputs(stdout)[0]).toMatchObject({ type: "Error", message: "from stdin" });
  }, 30_000);

  test("--sourcemaps DIR maps frames of X with DIR/X.map (a real demo trace)", async () => {
    const demo = await bundleDemo();
    writeFileSync(join(dir, "index.mjs.map"), demo.map);
    const r = await invoke("node", "shippingLabel", { customerId: "c2" });
    const file = join(dir, "demo.jsonl");
    writeFileSync(file, JSON.stringify(payload("demo", r.events.map((e) => e.message))) + "\n");
    const { code, stdout } = await cli(["--sourcemaps", dir, file]);
    expect(code).toBe(0);
    const [err] = outputs(stdout) as Array<{ frames: Array<Record<string, unknown>>; requestId: string }>;
    expect(err!.requestId).toBe(r.requestId);
    expect(err!.frames[0]).toMatchObject({ file: "node/handler.ts", function: "formatLabel", inApp: true, source: { line: expect.stringContaining("customer.address!.street") } });
    // Without maps the frame stays in the bundle.
    const plain = outputs((await cli([file])).stdout) as Array<{ frames: Array<Record<string, unknown>> }>;
    expect(plain[0]!.frames[0]).toMatchObject({ file: "/var/task/index.mjs" });
  }, 60_000);

  test("I/O errors exit non-zero; usage errors exit 2", async () => {
    const missing = await cli([join(dir, "does-not-exist.jsonl")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("ENOENT");
    const noMaps = await cli(["--sourcemaps", join(dir, "nope")]);
    expect(noMaps.code).toBe(1);
    expect(noMaps.stderr).toContain("cannot be read (ENOENT)");
    writeFileSync(join(dir, "a-file"), "x");
    const notDir = await cli(["--sourcemaps", join(dir, "a-file")]);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toContain("is not a directory");
    expect((await cli(["--frobnicate"])).code).toBe(2);
  }, 30_000);

  test("writes an error out while its input is still open (following a live stream)", async () => {
    const child = spawn("npx", ["tsx", "packages/functions/src/cli/index.ts", "extract"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    const first = new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes("\n")) resolve(stdout);
      });
      child.on("error", reject);
      child.on("close", () => reject(new Error(`exited before writing anything: ${stdout}`)));
    });
    child.stdin.write(JSON.stringify({ id: "ev-1", timestamp: 1, message: invokeError("TypeError", "x is undefined", "h (file:///var/task/index.mjs:1:10)"), logGroup: "/aws/lambda/a", logStream: "s1" }) + "\n");
    // stdin stays open: the error must not wait for the end of the input.
    const out = outputs(await first);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ type: "TypeError", message: "x is undefined", eventIds: ["ev-1"] });
    const closed = new Promise((resolve) => child.on("close", resolve));
    child.stdin.end();
    expect(await closed).toBe(0);
  });
});
