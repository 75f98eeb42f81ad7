import { describe, expect, it } from "vitest";
import type { AuditEntry } from "./api";
import { auditWords } from "./audit";

const entry = (action: string, target: AuditEntry["target"], data: Record<string, unknown> | null = null): AuditEntry =>
  ({ id: "01J0000000000000000000000A", action, actor: { type: "user", email: "ana@example.com" }, target, data, ip: null, timeCreated: "2026-01-01T00:00:00.000Z" }) as AuditEntry;

describe("audit entries in words", () => {
  it("says what happened, with names, never internal ids", () => {
    const id = "01JABCDEFGHJKMNPQRSTVWXYZ0";
    expect(auditWords(entry("account.connect", { type: "aws_account", id, label: "210987654321" })).text).toBe("connected AWS account 2109…4321");
    expect(auditWords(entry("account.connect.start", { type: "aws_account", id })).text).toBe("started connecting an AWS account");
    expect(auditWords(entry("account.disconnect", { type: "aws_account", id })).text).toBe("removed a pending AWS connection");
    const failed = auditWords(entry("account.connect.fail", { type: "aws_account", id, label: "210987654321" }, { reason: "AccessDenied: not authorized" }));
    expect(failed).toEqual({ text: "could not connect AWS account 2109…4321", detail: "AccessDenied: not authorized" });
    expect(auditWords(entry("member.role", { type: "member", id, label: "bo@example.com" }, { from: "member", to: "admin" })).text).toBe(
      "changed the role of bo@example.com from member to admin",
    );
    expect(auditWords(entry("issue.rule.create", { type: "fingerprint_rule", id })).text).toBe("added a fingerprint rule");
    expect(auditWords(entry("issue.resolve", { type: "issue", label: "3 issues" })).text).toBe("resolved 3 issues");
    expect(auditWords(entry("issue.merge", { type: "issue", id, label: "TypeError" }, { sources: ["a", "b"] })).text).toBe("merged 2 issues into the issue TypeError");
    for (const action of ["account.scan", "member.invite", "workspace.delete", "alert.rule.delete", "something.new"]) {
      expect(auditWords(entry(action, { type: "x", id })).text).not.toContain(id);
    }
  });
});
