import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invocationLines, rebuildInvocations, type RawLine } from "./invocations";

interface Sample {
  id: string;
  lines: string[];
}
const samples = (JSON.parse(readFileSync(join(import.meta.dirname, "../issue/extract/fixtures/lambda-log-samples.json"), "utf8")) as { samples: Sample[] }).samples;
const sample = (id: string) => samples.find((s) => s.id === id)!.lines;

/** Lines one ms apart from t0 (or at given offsets). */
function seq(messages: string[], t0 = 1_700_000_000_000, stream?: string): RawLine[] {
  return messages.map((message, i) => ({ id: `${stream ?? "s"}-${i}`, timestamp: t0 + i, message, stream }));
}

const A = "8179a9db-e726-451b-898f-93923b3e7bbd";
const B = "0638bcc9-5472-4a56-b723-3c63f09893e2";

describe("rebuildInvocations: text format", () => {
  it("a cold then a warm invocation, with durations, memory and the init lines kept", () => {
    const invs = rebuildInvocations(
      seq([
        "INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
        `START RequestId: ${A} Version: $LATEST`,
        `2024-01-01T00:00:00.001Z\t${A}\tINFO\thello`,
        `END RequestId: ${A}`,
        `REPORT RequestId: ${A}\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t`,
        `START RequestId: ${B} Version: $LATEST`,
        `END RequestId: ${B}`,
        `REPORT RequestId: ${B}\tDuration: 2.10 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 75 MB\t`,
      ]),
    );
    expect(invs.map((i) => [i.requestId, i.status, i.initDuration, i.lines.length])).toEqual([
      [null, "other", null, 1],
      [A, "success", 166.62, 4],
      [B, "success", null, 3],
    ]);
    expect(invs[1]).toMatchObject({ duration: 128.83, billedDuration: 129, memorySize: 128, maxMemoryUsed: 74, errors: [] });
    expect(invs[1]!.end).toBe(invs[1]!.lines[3]!.timestamp);
  });

  it("an error line joins its invocation and makes it an error", () => {
    const err = sample("node-invoke-error-sdk")[0]!;
    const invs = rebuildInvocations(seq([`START RequestId: ${A} Version: $LATEST`, err, `END RequestId: ${A}`, `REPORT RequestId: ${A}\tDuration: 9 ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t`]));
    expect(invs).toHaveLength(1);
    expect(invs[0]!.status).toBe("error");
    expect(invs[0]!.errors.map((e) => e.type)).toEqual(["NoSuchBucket"]);
  });

  it("an error line stamped a few ms before START stays in its invocation", () => {
    const t = 1_700_000_000_000;
    const lines: RawLine[] = [
      { id: "1", timestamp: t + 5, message: `START RequestId: ${A} Version: $LATEST` },
      { id: "0", timestamp: t + 2, message: sample("node-invoke-error-sdk")[0]! },
      { id: "2", timestamp: t + 9, message: `END RequestId: ${A}` },
      { id: "3", timestamp: t + 9, message: `REPORT RequestId: ${A}\tDuration: 4 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t` },
    ];
    const invs = rebuildInvocations(lines);
    expect(invs).toHaveLength(1);
    expect(invs[0]!.lines.map((l) => l.id)).toEqual(["0", "1", "2", "3"]);
    expect(invs[0]!.errors).toHaveLength(1);
    expect(invs[0]!.status).toBe("error");
  });

  it("a legacy timeout line after END and REPORT makes a timeout", () => {
    const invs = rebuildInvocations(seq(sample("timeout-legacy-with-report")));
    expect(invs).toHaveLength(1);
    expect(invs[0]).toMatchObject({ requestId: "b47cde10-029a-11e6-b5d6-1f01b70b94b2", status: "timeout", duration: 120000.64, memorySize: 128, maxMemoryUsed: 23 });
    expect(invs[0]!.lines).toHaveLength(4);
  });

  it("a timeout with Init Duration (cold) and application lines", () => {
    const invs = rebuildInvocations(seq(sample("timeout-python-with-init")));
    expect(invs).toHaveLength(1);
    expect(invs[0]).toMatchObject({ status: "timeout", initDuration: 1294.01, billedDuration: 4326 });
    expect(invs[0]!.lines).toHaveLength(5);
  });

  it("REPORT Status: timeout alone (2026) makes a timeout", () => {
    const invs = rebuildInvocations(
      seq([`START RequestId: ${A} Version: $LATEST`, `END RequestId: ${A}`, `REPORT RequestId: ${A}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout`]),
    );
    expect(invs[0]!.status).toBe("timeout");
  });

  it("an OOM kill without request id after REPORT belongs to the stream's last invocation", () => {
    const rid = "fa60295b-85a2-495a-a7e2-da5c85a5eb1e";
    const invs = rebuildInvocations(seq([`START RequestId: ${rid} Version: $LATEST`, `END RequestId: ${rid}`, ...sample("oom-signal-killed-with-report")]));
    expect(invs).toHaveLength(1);
    expect(invs[0]).toMatchObject({ requestId: rid, status: "oom", memorySize: 2688, maxMemoryUsed: 2581 });
    expect(invs[0]!.lines).toHaveLength(4);
  });

  it("REPORT Status: error with Error Type: Runtime.OutOfMemory makes an OOM", () => {
    const invs = rebuildInvocations(
      seq([`START RequestId: ${A} Version: $LATEST`, `END RequestId: ${A}`, `REPORT RequestId: ${A}\tDuration: 300.00 ms\tBilled Duration: 300 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory`]),
    );
    expect(invs[0]!.status).toBe("oom");
  });

  it("interleaved requests of two streams are rebuilt each in its own stream", () => {
    const t = 1_700_000_000_000;
    const s1 = seq([`START RequestId: ${A} Version: $LATEST`, "plain line from A", `END RequestId: ${A}`, `REPORT RequestId: ${A}\tDuration: 5 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t`], t, "one");
    const s2 = seq([`START RequestId: ${B} Version: $LATEST`, "plain line from B", `END RequestId: ${B}`, `REPORT RequestId: ${B}\tDuration: 5 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t`], t, "two");
    const mixed = s1.flatMap((l, i) => [l, s2[i]!]);
    const invs = rebuildInvocations(mixed);
    expect(invs).toHaveLength(2);
    const a = invs.find((i) => i.requestId === A)!;
    const b = invs.find((i) => i.requestId === B)!;
    expect(a.lines.map((l) => l.message)).toContain("plain line from A");
    expect(a.lines.map((l) => l.message)).not.toContain("plain line from B");
    expect(b.lines.map((l) => l.message)).toContain("plain line from B");
    expect(a.logStream).toBe("one");
  });

  it("truncated lines: a cut REPORT still ends its invocation, a cut JSON line is kept as text", () => {
    const invs = rebuildInvocations(
      seq([`START RequestId: ${A} Version: $LATEST`, `{"timestamp":"2024-01-01T00:00:00.000Z","level":"INFO","requestId":"${A}","message":"big payl`, `END RequestId: ${A}`, `REPORT RequestId: ${A}\tDuration: 12.5 ms\tBilled Dur`]),
    );
    expect(invs).toHaveLength(1);
    expect(invs[0]).toMatchObject({ status: "success", duration: 12.5, billedDuration: null, maxMemoryUsed: null });
    expect(invs[0]!.lines).toHaveLength(4);
  });

  it("an invocation without END yet is running", () => {
    const invs = rebuildInvocations(seq([`START RequestId: ${A} Version: $LATEST`, `2024-01-01T00:00:00.001Z\t${A}\tINFO\tworking`]));
    expect(invs[0]!.status).toBe("running");
  });

  it("INIT_REPORT errors stay outside, the failed invocation after it is an error", () => {
    const lines = sample("init-report-error-web-adapter");
    const invs = rebuildInvocations(seq([...lines, `START RequestId: ${A} Version: $LATEST`, `END RequestId: ${A}`, `REPORT RequestId: ${A}\tDuration: 1 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tStatus: error\tError Type: Runtime.ExitError`]));
    expect(invs[0]!.requestId).toBeNull();
    expect(invs.at(-1)).toMatchObject({ requestId: A, status: "error" });
  });
});

describe("rebuildInvocations: JSON format", () => {
  const rec = (type: string, record: object) => JSON.stringify({ time: "2024-01-01T00:00:00.000Z", type, record });
  it("platform.start/report with metrics, cold start and app lines", () => {
    const invs = rebuildInvocations(
      seq([
        rec("platform.initStart", { initializationType: "on-demand", phase: "init", runtimeVersion: "nodejs:20.v13" }),
        rec("platform.start", { requestId: A, version: "$LATEST" }),
        JSON.stringify({ timestamp: "2024-01-01T00:00:00.001Z", level: "INFO", requestId: A, message: "hi" }),
        rec("platform.runtimeDone", { requestId: A, status: "success" }),
        rec("platform.report", { requestId: A, status: "success", metrics: { durationMs: 12.5, billedDurationMs: 13, memorySizeMB: 256, maxMemoryUsedMB: 80, initDurationMs: 190.2 } }),
        rec("platform.start", { requestId: B, version: "$LATEST" }),
        sample("node-json-format-console-error-two-args")[0]!.replace("00000000-0000-0000-0000-000000000000", B),
        rec("platform.report", { requestId: B, status: "error", errorType: "Error", metrics: { durationMs: 3, billedDurationMs: 3, memorySizeMB: 256, maxMemoryUsedMB: 81 } }),
      ]),
    );
    expect(invs.map((i) => [i.requestId, i.status])).toEqual([
      [null, "other"],
      [A, "success"],
      [B, "error"],
    ]);
    expect(invs[1]).toMatchObject({ duration: 12.5, billedDuration: 13, memorySize: 256, maxMemoryUsed: 80, initDuration: 190.2 });
    expect(invs[2]!.errors.length).toBeGreaterThan(0);
  });

  it("platform.report status timeout", () => {
    const invs = rebuildInvocations(seq([rec("platform.start", { requestId: A }), rec("platform.report", { requestId: A, status: "timeout", metrics: { durationMs: 3000 } })]));
    expect(invs[0]!.status).toBe("timeout");
  });
});

describe("invocationLines: an occurrence's invocation on the issue page", () => {
  const t = 1_700_000_000_000;
  const report = (rid: string) => `REPORT RequestId: ${rid}\tDuration: 4 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t`;
  const lines: RawLine[] = [
    { id: "p0", timestamp: t - 50, message: `START RequestId: ${B} Version: $LATEST` },
    { id: "p1", timestamp: t - 40, message: `END RequestId: ${B}` },
    { id: "p2", timestamp: t - 40, message: report(B) },
    { id: "1", timestamp: t + 5, message: `START RequestId: ${A} Version: $LATEST` },
    { id: "0", timestamp: t + 2, message: sample("node-invoke-error-sdk")[0]! },
    { id: "2", timestamp: t + 9, message: `END RequestId: ${A}` },
    { id: "3", timestamp: t + 9, message: report(A) },
    { id: "n0", timestamp: t + 20, message: `START RequestId: 11111111-2222-3333-4444-555555555555 Version: $LATEST` },
  ];

  it("keeps the error line stamped before START, and only that invocation's lines", () => {
    expect(sample("node-invoke-error-sdk")[0]).toContain(A);
    expect(invocationLines(lines, A).map((l) => l.id)).toEqual(["0", "1", "2", "3"]);
  });

  it("a late timeout line after REPORT is the invocation's", () => {
    const rid = "b47cde10-029a-11e6-b5d6-1f01b70b94b2";
    const timeout = seq(sample("timeout-legacy-with-report"));
    expect(invocationLines([...lines, ...timeout.map((l) => ({ ...l, timestamp: l.timestamp + 1000 }))], rid)).toHaveLength(4);
  });

  it("without a START in reach, the lines naming the request", () => {
    const cut = lines.filter((l) => l.id !== "1");
    expect(invocationLines(cut, A).map((l) => l.id).sort()).toEqual(["0", "2", "3"]);
  });
});
