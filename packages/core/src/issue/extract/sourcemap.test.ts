/**
 * Source maps against real esbuild bundles: positions must be exact (a column off by one
 * is another statement in minified code), checked three ways: against the original source
 * text, against Node's own --enable-source-maps output, and segment by segment.
 */
import { gzipSync } from "node:zlib";
import { eachMapping, TraceMap } from "@jridgewell/trace-mapping";
import { beforeAll, describe, expect, test } from "vitest";
import { bundleAndRun, type Bundle } from "./fixtures/bundle";
import { events, invokeError, REQ, start } from "./fixtures/events";
import { cleanSourcePath, detect, fingerprint, memoryProvider, normalizeMessage, SourceMapCache, symbolicate, type SourceMapProvider } from "./index";
import { lookup } from "./sourcemap";
import type { DetectedError } from "./types";

const USERS = `export interface User {
  name: string;
  profile?: { email: string };
}

export function loadUser(id: string): User {
  return { name: id };
}

export function emailOf(user: User) {
  return user.profile!.email.toLowerCase();
}
`;

const PAYMENTS = `export class PaymentError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "PaymentError";
  }
}

export function charge(amount: number) {
  if (amount > 100) throw new PaymentError(\`card declined for \${amount}\`, "declined");
  return amount;
}

export async function capture(id: string) {
  await Promise.resolve();
  throw new PaymentError(\`capture failed for \${id}\`, "gateway");
}
`;

const INDEX = `import { emailOf, loadUser } from "./users";
import { capture, charge } from "./payments";
import { parseAmount } from "fakelib";

export async function typeError(event: { id: string }) {
  const user = loadUser(event.id);
  return emailOf(user);
}

export const customError = async (event: { amount: number }) => {
  return { ok: charge(event.amount) };
};

export function libraryError() {
  return parseAmount("x");
}

export async function asyncError(event: { id: string }) {
  const receipt = await capture(event.id);
  return receipt;
}
`;

const LIB = `export function parseAmount(s) {
  const n = Number(s);
  if (Number.isNaN(n)) throw new RangeError("not a number: " + s);
  return n;
}
`;

const FILES = {
  "src/index.ts": INDEX,
  "src/users.ts": USERS,
  "src/payments.ts": PAYMENTS,
  "node_modules/fakelib/package.json": JSON.stringify({ name: "fakelib", type: "module", main: "index.js" }),
  "node_modules/fakelib/index.js": LIB,
};

const CALLS = ["typeError", "customError", "libraryError", "asyncError"];

/** 1-based line and column of `needle` in `text`, on the line containing `lineMarker`. */
function pos(text: string, lineMarker: string, needle: string): { line: number; column: number } {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.includes(lineMarker));
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}

function errorOf(stack: string): DetectedError {
  const [header, ...frames] = stack.split("\n");
  const [type, ...msg] = header!.split(": ");
  const [e] = detect(events(start(), invokeError({ errorType: type, errorMessage: msg.join(": "), stack: [header, ...frames] })));
  return e!;
}

/** Frames Node printed with --enable-source-maps: [basename, line, column]. */
function oracle(stack: string): Array<[string, number, number]> {
  return stack
    .split("\n")
    .map((l) => /\(?([^()\s]+):(\d+):(\d+)\)?$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null && !m[1]!.includes("run.mjs"))
    .map((m) => [m[1]!.split("/").pop()!, Number(m[2]), Number(m[3])]);
}

let esm: Bundle;
let cjs: Bundle;

beforeAll(async () => {
  [esm, cjs] = await Promise.all([bundleAndRun(FILES, CALLS), bundleAndRun(FILES, CALLS, { format: "cjs" })]);
}, 60_000);

async function mapped(b: Bundle, i: number, cache = new SourceMapCache()): Promise<DetectedError> {
  const name = b === cjs ? "index.js" : "index.mjs";
  return symbolicate(errorOf(b.stacks[i]!), { provider: memoryProvider({ [name]: b.map }), cache });
}

describe.each([
  ["esm", () => esm],
  ["cjs", () => cjs],
])("real %s bundle", (_name, get) => {
  test("the bundle is minified and the stacks point into it", () => {
    const b = get();
    expect(b.code.split("\n").length).toBeLessThanOrEqual(3);
    for (const s of b.stacks) expect(s).toContain("/var/task/index.");
  });

  test("TypeError on undefined: exact original line, column and function", async () => {
    const e = await mapped(get(), 0);
    const at = pos(USERS, "user.profile!.email", "email");
    expect(e.frames[0]).toMatchObject({ file: "src/users.ts", line: at.line, column: at.column, function: "emailOf", inApp: true });
    expect(e.frames[0]!.context).toEqual({ start: at.line - 3, pre: USERS.split("\n").slice(at.line - 4, at.line - 1), line: "  return user.profile!.email.toLowerCase();", post: ["}", ""] });
    expect(e.frames[0]!.generated).toMatchObject({ file: expect.stringMatching(/^\/var\/task\/index\.m?js$/), line: 1 });
    const call = pos(INDEX, "return emailOf(user)", "emailOf");
    expect(e.frames[1]).toMatchObject({ file: "src/index.ts", line: call.line, column: call.column, inApp: true });
  });

  test("a thrown custom error: the `new` expression", async () => {
    const e = await mapped(get(), 1);
    const at = pos(PAYMENTS, "throw new PaymentError", "new PaymentError");
    expect(e.type).toBe("PaymentError");
    expect(e.frames[0]).toMatchObject({ file: "src/payments.ts", line: at.line, column: at.column, function: "charge" });
  });

  test("a library in node_modules maps to its source and is not in-app", async () => {
    const e = await mapped(get(), 2);
    const at = pos(LIB, "throw new RangeError", "new RangeError");
    expect(e.frames[0]).toMatchObject({ file: "node_modules/fakelib/index.js", line: at.line, column: at.column, inApp: false });
    expect(e.frames[1]).toMatchObject({ file: "src/index.ts", inApp: true });
  });

  test("an async caller points at its `await`; the awaited function's name is recovered", async () => {
    const e = await mapped(get(), 3);
    expect(e.frames[0]).toMatchObject({ file: "src/payments.ts", ...pos(PAYMENTS, "capture failed", "new PaymentError"), function: "capture" });
    expect(e.frames[1]).toMatchObject({ file: "src/index.ts", ...pos(INDEX, "await capture(", "await") });
  });

  test("agrees with Node's own --enable-source-maps on every frame", async () => {
    const b = get();
    for (let i = 0; i < CALLS.length; i++) {
      const ours = (await mapped(b, i)).frames.filter((f) => f.generated).map((f) => [f.file.split("/").pop(), f.line, f.column]);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual(oracle(b.nodeMapped[i]!).slice(0, ours.length));
    }
  });
});

test("every segment of a real map round-trips with 1-based stack columns", () => {
  const tm = new TraceMap(esm.map);
  const parsed = { id: "x", map: tm, bytes: 0, lines: new Map() };
  let checked = 0;
  eachMapping(tm, (m) => {
    if (m.source === null) return;
    const got = lookup(parsed, m.generatedLine, m.generatedColumn + 1);
    expect(got).toMatchObject({ line: m.originalLine, column: m.originalColumn + 1 });
    checked++;
  });
  expect(checked).toBeGreaterThan(50);
});

describe("grouping across builds", () => {
  let v2: Bundle;
  beforeAll(async () => {
    // A later deploy: new code above the bug shifts its line, its column in the bundle and the minified names.
    const users2 = USERS.replace("export function emailOf", "export function nameOf(user: User) {\n  return user.name.trim();\n}\n\nexport function emailOf");
    const index2 = `import { nameOf } from "./users";\nexport function hello(u: { name: string }) {\n  return "hi " + nameOf(u);\n}\n${INDEX}`;
    v2 = await bundleAndRun({ ...FILES, "src/users.ts": users2, "src/index.ts": index2 }, CALLS);
  }, 60_000);

  test("the same bug, moved by a deploy: same hash once mapped", async () => {
    const a = await mapped(esm, 0);
    const b = await mapped(v2, 0);
    expect(b.frames[0]!.line).not.toBe(a.frames[0]!.line);
    expect(fingerprint(a, { functionName: "f" }).hash).toBe(fingerprint(b, { functionName: "f" }).hash);
  });

  test("two deploys without maps: other minified names and columns, one issue (type, message, function)", () => {
    const a = errorOf(esm.stacks[0]!);
    const b = errorOf(v2.stacks[0]!);
    expect(a.frames[0]!.column).not.toBe(b.frames[0]!.column);
    const names = (e: DetectedError) => e.frames.filter((f) => f.inApp).map((f) => f.function);
    expect(names(a)).not.toEqual(names(b));
    const fa = fingerprint(a, { functionName: "f" });
    const fb = fingerprint(b, { functionName: "f" });
    expect(fa.basis).toBe("minified");
    expect(fa.components).toEqual(["minified", "type:TypeError", `message:${normalizeMessage(a.message)}`, "function:f"]);
    expect(fa.hash).toBe(fb.hash);
    // Another function with the same bug is another issue.
    expect(fingerprint(a, { functionName: "g" }).hash).not.toBe(fa.hash);
    // Version 1 keyed these by minified names: its hashes follow, so older issues are still found.
    expect(fa.hashes).toHaveLength(2);
    expect(fa.hashes[1]).not.toBe(fingerprint(b, { functionName: "f" }).hashes[1]);
  });

  test("when the map arrives the mapped stack hash leads, and the minified hash keeps the issue", async () => {
    const raw = errorOf(esm.stacks[0]!);
    const m = await mapped(esm, 0);
    const before = fingerprint(raw, { functionName: "f" });
    const after = fingerprint(m, { functionName: "f" });
    expect(after.basis).toBe("stack");
    expect(after.hash).not.toBe(before.hash);
    expect(after.components.some((c) => c.includes("return user.profile!.email.toLowerCase();"))).toBe(true);
    expect(after.hashes).toContain(before.hash);
    // The next deploy, mapped too: the same primary hash, and still the same minified one.
    const next = fingerprint(await mapped(v2, 0), { functionName: "f" });
    expect(next.hash).toBe(after.hash);
    expect(next.hashes).toContain(before.hash);
  });

  test("a bundle that is not minified keeps grouping by its stack", () => {
    const e: DetectedError = { type: "NoSuchBucket", message: "x", frames: [{ file: "/var/task/packages/functions/src/events/app-stage-updated.mjs", line: 51859, column: 21, function: "de_NoSuchBucketRes", inApp: true, raw: "" }], kind: "invoke", phase: "invoke", timestamp: 0, eventIds: ["1"], runtime: "node" };
    expect(fingerprint(e).basis).toBe("stack");
  });

  test("two different bugs in the same bundle are different issues", async () => {
    expect(fingerprint(await mapped(esm, 0)).hash).not.toBe(fingerprint(await mapped(esm, 1)).hash);
  });
});

describe("cache", () => {
  function counting(raw: string | Uint8Array | Record<string, unknown>, id = "m1"): SourceMapProvider & { loads: number } {
    const p = {
      loads: 0,
      async locate() {
        return {
          id,
          load: async () => {
            p.loads++;
            return raw;
          },
        };
      },
    };
    return p;
  }

  test("a map is parsed once for many events, and once for concurrent requests", async () => {
    const cache = new SourceMapCache();
    const provider = counting(esm.map);
    const err = errorOf(esm.stacks[0]!);
    await Promise.all(Array.from({ length: 50 }, () => symbolicate(err, { provider, cache })));
    for (let i = 0; i < 200; i++) await symbolicate(err, { provider, cache });
    expect(cache.stats.parses).toBe(1);
    expect(provider.loads).toBe(1);
    expect(cache.stats.misses).toBe(1);
  });

  test("least recently used maps are evicted past the memory bound, then parsed again", async () => {
    const cache = new SourceMapCache({ maxBytes: 1 });
    const err = errorOf(esm.stacks[0]!);
    await symbolicate(err, { provider: counting(esm.map, "a"), cache });
    await symbolicate(err, { provider: counting(esm.map, "b"), cache });
    expect(cache.stats).toMatchObject({ parses: 2, evictions: 1, entries: 1 });
    await symbolicate(err, { provider: counting(esm.map, "a"), cache });
    expect(cache.stats.parses).toBe(3);
  });

  test("a broken map is not fetched again for every event; frames stay as logged", async () => {
    const cache = new SourceMapCache();
    const provider = counting("{not json");
    const err = errorOf(esm.stacks[0]!);
    const out = await symbolicate(err, { provider, cache });
    await symbolicate(err, { provider, cache });
    expect(out.frames).toEqual(err.frames);
    expect(provider.loads).toBe(1);
    expect(cache.stats.failures).toBe(1);
  });

  test("gzip bytes and parsed objects are accepted", async () => {
    for (const raw of [gzipSync(esm.map), JSON.parse(esm.map) as Record<string, unknown>]) {
      const out = await symbolicate(errorOf(esm.stacks[0]!), { provider: counting(raw, String(Math.random())), cache: new SourceMapCache() });
      expect(out.frames[0]!.file).toBe("src/users.ts");
    }
  });

  test("a provider that throws means no map", async () => {
    const provider: SourceMapProvider = { locate: async () => Promise.reject(new Error("S3 down")) };
    const err = errorOf(esm.stacks[0]!);
    expect((await symbolicate(err, { provider, cache: new SourceMapCache() })).frames).toEqual(err.frames);
  });

  test("the provider gets the file, the event time and the function", async () => {
    const seen: unknown[] = [];
    const provider: SourceMapProvider = {
      locate: async (r) => {
        seen.push(r);
        return undefined;
      },
    };
    const err = errorOf(esm.stacks[0]!);
    await symbolicate(err, { provider, cache: new SourceMapCache(), functionName: "orders-api", region: "eu-west-1" });
    expect(seen).toEqual([{ file: "/var/task/index.mjs", timestamp: err.timestamp, functionName: "orders-api", functionArn: undefined, logGroup: undefined, region: "eu-west-1" }]);
  });
});

test.each([
  ["webpack://my-app/./src/handler.ts", "src/handler.ts"],
  ["webpack:///./src/handler.ts", "src/handler.ts"],
  ["webpack:///src/handler.ts", "src/handler.ts"],
  ["../../src/handler.ts", "src/handler.ts"],
  ["./src/a/./b.ts", "src/a/b.ts"],
  ["file:///home/me/app/src/x.ts", "/home/me/app/src/x.ts"],
  ["../node_modules/zod/lib/index.mjs", "node_modules/zod/lib/index.mjs"],
])("cleanSourcePath(%s)", (input, expected) => {
  expect(cleanSourcePath(input)).toBe(expected);
});

test("request id is kept through mapping", async () => {
  expect((await mapped(esm, 0)).requestId).toBe(REQ);
});

describe("source map size cap", () => {
  test("treats a gzipped map inflating beyond 50 MiB as broken, without inflating it", async () => {


    const bomb = gzipSync(Buffer.alloc(60 * 1024 * 1024, 0x20), { level: 9 });
    const cache = new SourceMapCache();
    expect(await cache.get({ id: "bomb", load: async () => bomb })).toBeUndefined();
    expect(cache.stats.failures).toBe(1);
  });
});
