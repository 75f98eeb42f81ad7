/**
 * Audit log entries as words: "connected AWS account 2109…4321", "invited ana@example.com
 * as admin". Internal ids never show as targets: what an entry has no name for is said
 * in words ("a pending connection", "a fingerprint rule").
 */
import type { AuditEntry } from "./api";

/** "210987654321" -> "2109…4321" (the whole id is in the entry's title). */
export function shortAccount(id: string): string {
  return /^\d{12}$/.test(id) ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

const quoted = (s: string | undefined) => (s ? `“${s}”` : "");
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const ROLE: Record<string, string> = { owner: "owner", admin: "admin", member: "member" };
const role = (v: unknown) => ROLE[str(v) ?? ""] ?? "member";

export interface AuditWords {
  /** What happened, as a sentence without its subject ("connected AWS account 2109…4321"). */
  text: string;
  /** A reason or detail that goes with it (a failure's reason), shown under it. */
  detail?: string;
}

export function auditWords(e: AuditEntry): AuditWords {
  const label = e.target.label;
  const data = (e.data ?? {}) as Record<string, unknown>;
  const account = label ? `AWS account ${shortAccount(label)}` : "a pending AWS connection";
  switch (e.action) {
    case "account.connect.start":
      return { text: "started connecting an AWS account" };
    case "account.connect":
      return { text: `connected ${account}` };
    case "account.connect.fail":
      return { text: `could not connect ${account}`, detail: str(data.reason) };
    case "account.disconnect":
      return { text: label ? `disconnected ${account}` : "removed a pending AWS connection" };
    case "account.stack_deleted":
      return { text: `was told the connection stack of ${account} was deleted` };
    case "account.scan":
      return { text: `rescanned ${account}` };
    case "alert.destination.create":
      return { text: `added the alert destination ${quoted(label)}`.trim() };
    case "alert.destination.update":
      return { text: `changed the alert destination ${quoted(label)}`.trim() };
    case "alert.destination.rotate_secret":
      return { text: `rotated the signing secret of ${quoted(label) || "an alert destination"}` };
    case "alert.destination.delete":
      return { text: `removed the alert destination ${quoted(label)}`.trim() };
    case "alert.rule.create":
      return { text: `added the alert rule ${quoted(label)}`.trim() };
    case "alert.rule.update":
      return { text: `changed the alert rule ${quoted(label)}`.trim() };
    case "alert.rule.delete":
      return { text: `removed the alert rule ${quoted(label)}`.trim() };
    case "issue.resolve":
    case "issue.ignore":
    case "issue.reopen": {
      const verb = e.action === "issue.resolve" ? "resolved" : e.action === "issue.ignore" ? "ignored" : "reopened";
      return { text: `${verb} ${label && !/^\d+ issues$/.test(label) ? `the issue ${label}` : (label ?? "issues")}` };
    }
    case "issue.merge": {
      const n = Array.isArray(data.sources) ? data.sources.length : 0;
      return { text: `merged ${n === 1 ? "an issue" : `${n || "some"} issues`} into ${label ? `the issue ${label}` : "another"}` };
    }
    case "issue.rule.create":
      return { text: "added a fingerprint rule" };
    case "issue.rule.delete":
      return { text: "removed a fingerprint rule" };
    case "member.invite":
      return { text: `invited ${label ?? "someone"} as ${role(data.role)}` };
    case "member.invite.revoke":
      return { text: `revoked the invitation of ${label ?? "someone"}` };
    case "member.invite.decline":
      return { text: "declined the invitation" };
    case "member.join":
      return { text: `joined as ${role(data.role)}` };
    case "member.role":
      return { text: `changed the role of ${label ?? "a member"} from ${role(data.from)} to ${role(data.to)}` };
    case "member.leave":
      return { text: "left the workspace" };
    case "member.remove":
      return { text: `removed ${label ?? "a member"}` };
    case "workspace.create":
      return { text: `created the workspace ${quoted(label)}`.trim() };
    case "workspace.update": {
      const changes = [str(data.name) && `renamed it to ${quoted(str(data.name))}`, str(data.slug) && `moved it to /${str(data.slug)}`].filter(Boolean);
      return { text: `changed the workspace${changes.length ? `: ${changes.join(", ")}` : ""}` };
    }
    case "workspace.delete":
      return { text: "deleted the workspace" };
    default: {
      // An action this page does not know yet: its name in words, and the target's name if it has one.
      const words = e.action.replace(/[._]/g, " ");
      return { text: label ? `${words}: ${label}` : words };
    }
  }
}
