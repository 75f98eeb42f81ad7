import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildV3EventLog, buildV3Update, eventLogSample, sampleBytes } from "@console/testkit/sst";
import { SstStateError } from "../app/sst/error";
import { buildDeploy, parseEventLog, parseUpdateRecord } from "./parse";

describe("update records (update/<app>/<stage>/<id>.json)", () => {
  it("reads the record SST writes when it takes the lock: running, no errors", () => {
    const u = parseUpdateRecord(sampleBytes("update-running"));
    expect(u).toEqual({
      id: "fe6cf2a8b4c1a9d2e83f07b1",
      runId: null,
      version: "3.17.4",
      command: "deploy",
      errors: [],
      timeStarted: new Date("2025-06-30T14:02:11Z"),
      timeCompleted: null,
    });
    expect(buildDeploy(u, null)).toMatchObject({ status: "running", source: "cli", hasEventLog: false });
  });

  it("reads a failed deploy's record, its local-time completion included", () => {
    const u = parseUpdateRecord(sampleBytes("update-failed"), "fe6cf2a8b4c1a9d2e83f07b1");
    expect(u.timeCompleted).toEqual(new Date("2025-06-30T14:02:19Z"));
    expect(u.errors).toEqual([{ urn: "urn:pulumi:dev::test::pulumi-python:dynamic:Resource::test-x", message: "Exception: update failed: quux13 is not accepted" }]);
    const d = buildDeploy(u, null);
    expect(d.status).toBe("failed");
    // Without an event log, every error is the deploy's own.
    expect(d.errors).toHaveLength(1);
  });

  it("reads what `sst unlock` leaves: no start, an error without a resource, a run id (autodeploy)", () => {
    const u = parseUpdateRecord(sampleBytes("update-unlocked"));
    expect(u.timeStarted).toBeNull();
    expect(u.runId).toBe("nbveqfracg3i8fneb297al72");
    expect(u.errors).toEqual([{ urn: null, message: "Update did not complete and was force unlocked with the `sst unlock` command" }]);
    expect(buildDeploy(u, null)).toMatchObject({ status: "failed", source: "autodeploy" });
  });

  it("reads gzipped records (state.compress) and refuses what is not one", () => {
    expect(parseUpdateRecord(gzipSync(sampleBytes("update-failed"))).id).toBe("fe6cf2a8b4c1a9d2e83f07b1");
    expect(() => parseUpdateRecord("{")).toThrow(SstStateError);
    expect(() => parseUpdateRecord("{}")).toThrow(/no id/);
    expect(() => parseUpdateRecord(sampleBytes("update-failed"), "another")).toThrow(/stored under/);
  });
});

describe("event logs (eventlog/<app>/<stage>/<id>.json), recorded from real engine runs", () => {
  it("a successful update: the one created resource, done, with its times; unchanged ones left out", () => {
    const log = parseEventLog(eventLogSample("up"));
    expect(log.badLines).toBe(0);
    expect(log.changes).toEqual([
      {
        urn: "urn:pulumi:dev::eks::aws:eks/cluster:Cluster::eks-cluster",
        type: "aws:eks/cluster:Cluster",
        name: "eks-cluster",
        action: "create",
        status: "done",
        error: null,
        timeStarted: expect.any(String),
        timeCompleted: expect.any(String),
      },
    ]);
    const c = log.changes[0]!;
    expect(Date.parse(c.timeCompleted!)).toBeGreaterThan(Date.parse(c.timeStarted!));
    expect(log.summary).toEqual({ durationSeconds: 609, resourceChanges: { create: 1, same: 5 }, maybeCorrupt: false });
  });

  it("a failed update: the failing step is failed, the replacement is one change", () => {
    const log = parseEventLog(eventLogSample("failed-stacks-dont-rewrite-operations"));
    const byName = Object.fromEntries(log.changes.map((c) => [c.name, c]));
    expect(Object.keys(byName).sort()).toEqual(["test-r", "test-x"]);
    expect(byName["test-x"]).toMatchObject({ action: "update", status: "failed", type: "pulumi-python:dynamic:Resource" });
    expect(byName["test-r"]).toMatchObject({ action: "replace", status: "done" });
    expect(log.summary?.maybeCorrupt).toBe(true);

    // With SST's record of the same update, the error lands on the failing resource.
    const update = parseUpdateRecord(sampleBytes("update-failed"));
    const d = buildDeploy(update, log);
    expect(d.status).toBe("failed");
    expect(d.errors).toEqual([]);
    expect(d.changes.find((c) => c.name === "test-x")).toMatchObject({ status: "failed", error: "Exception: update failed: quux13 is not accepted" });
    expect(d.counts).toEqual({ create: 0, update: 1, delete: 0, replace: 1 });
  });

  it("an interrupted update: steps that never finished stay pending", () => {
    const log = parseEventLog(eventLogSample("up-interrupted"));
    const byName = Object.fromEntries(log.changes.map((c) => [c.name, c.status]));
    expect(byName).toEqual({ "completed-bucket": "done", "interrupted-component": "pending", "interrupted-instance": "pending", "interrupted-db": "pending" });
  });

  it("survives a log cut short and keeps at most the change limit", () => {
    const text = eventLogSample("up").toString("utf8");
    const cut = parseEventLog(text.slice(0, Math.floor(text.length * 0.7)));
    expect(cut.badLines).toBe(1);
    expect(cut.summary).toBeNull();
    const many = buildV3EventLog(
      new Date("2025-01-01T00:00:00Z"),
      Array.from({ length: 30 }, (_, i) => ({ urn: `urn:pulumi:prod::app::aws:s3/bucket:Bucket::b${i}`, op: "create" as const })),
    );
    const limited = parseEventLog(gzipSync(many), { maxChanges: 10 });
    expect(limited.changes).toHaveLength(10);
    expect(limited.truncated).toBe(true);
  });

  it("the demo's event logs read back as built: resource errors from the log itself", () => {
    const urn = "urn:pulumi:production::shop::sst:aws:Function$aws:lambda/function:Function::ReportsFunction";
    const ok = "urn:pulumi:production::shop::sst:aws:Function$aws:lambda/function:Function::ApiFunction";
    const start = new Date("2025-01-01T00:00:00Z");
    const log = parseEventLog(buildV3EventLog(start, [{ urn: ok, op: "update" }, { urn, op: "create", error: "role cannot be assumed" }], [ok.replace("Api", "Web")]));
    const u = buildV3Update("shop", "production", new Date("2025-01-01T00:01:00Z"), "x", "deploy", { runId: false, errors: [{ urn, message: "role cannot be assumed" }] });
    const d = buildDeploy(parseUpdateRecord(JSON.stringify(u.update)), log);
    expect(d).toMatchObject({ status: "failed", source: "cli", errors: [], counts: { create: 1, update: 1, delete: 0, replace: 0 } });
    expect(d.changes.map((c) => [c.name, c.action, c.status, c.error])).toEqual([
      ["ApiFunction", "update", "done", null],
      ["ReportsFunction", "create", "failed", "role cannot be assumed"],
    ]);
  });
});
