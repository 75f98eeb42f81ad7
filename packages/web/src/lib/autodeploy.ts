/**
 * Autodeploy for people: run states and their wording, durations, commit and branch
 * labels, addresses, the log lines a poll brings (merged without repeats), and the
 * targets form (its draft, its checks, and the body it saves). Data: src/data/autodeploy.ts.
 */
import type { Account, Run, RunLogLine, RunStatus, Targets } from "./api";
import { formatDuration } from "./format";

/** A badge's tone (components/Badge) per state: colour carries the meaning. */
export const RUN_STATUS: Record<RunStatus, { label: string; tone: "neutral" | "accent" | "success" | "warning" | "danger" }> = {
  queued: { label: "Queued", tone: "neutral" },
  running: { label: "Running", tone: "accent" },
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "warning" },
};

/** A run that can still change by itself (pages poll it; it can be cancelled). */
export function isActive(run: Pick<Run, "status">): boolean {
  return run.status === "queued" || run.status === "running";
}

/**
 * How long a run took (ms): start to end, or start to `now` while it runs; null before it
 * starts (queued, or cancelled while queued).
 */
export function runDuration(run: Pick<Run, "timeStarted" | "timeCompleted">, now: number): number | null {
  if (!run.timeStarted) return null;
  const start = Date.parse(run.timeStarted);
  const end = run.timeCompleted ? Date.parse(run.timeCompleted) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}

/** "2 min 5 s", "—" when it never started. */
export function runDurationText(run: Pick<Run, "timeStarted" | "timeCompleted" | "status">, now: number): string {
  if (run.status === "queued") return "waiting";
  return formatDuration(runDuration(run, now));
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** The first line of a commit message (its subject). */
export function commitSubject(message: string): string {
  const line = message.split("\n", 1)[0]?.trim() ?? "";
  return line || "(no message)";
}

/** "main", "PR #12", or "—". */
export function runRef(run: Pick<Run, "branch" | "pullRequest">): string {
  if (run.pullRequest !== null) return `PR #${run.pullRequest}`;
  return run.branch ?? "—";
}

export const TRIGGER_LABEL: Record<Run["trigger"], string> = {
  push: "Push",
  pull_request: "Pull request",
  redeploy: "Redeploy",
};

export function autodeployPath(workspace: string, app: string, stage?: string): string {
  const path = `/${workspace}/app/${encodeURIComponent(app)}/autodeploy`;
  return stage ? `${path}?stage=${encodeURIComponent(stage)}` : path;
}

export function runPath(workspace: string, app: string, run: string): string {
  return `/${workspace}/app/${encodeURIComponent(app)}/autodeploy/runs/${encodeURIComponent(run)}`;
}

/** At most this many lines are kept on a run's page; older ones are dropped (and counted). */
export const MAX_LOG_LINES = 20_000;

export interface RunLog {
  lines: RunLogLine[];
  /** Lines dropped from the start to stay under MAX_LOG_LINES. */
  dropped: number;
}

const lineKey = (l: RunLogLine) => `${l.timestamp}\u0000${l.message}`;

/**
 * Adds a poll's lines to what is shown. A page may repeat lines the previous one ended
 * with (a cursor at a timestamp, a retried poll): a line already shown (same time and
 * text) is not shown twice, but a line that really repeats within one page stays. Lines
 * are kept in time order (stable for equal times); beyond `max` the oldest go.
 */
export function mergeLogLines(current: RunLog, incoming: RunLogLine[], max = MAX_LOG_LINES): RunLog {
  if (incoming.length === 0) return current;
  const lines = current.lines;
  const newest = lines.length ? lines[lines.length - 1]!.timestamp : -Infinity;
  // Only lines at or after the first incoming time can be repeats.
  const from = Math.min(...incoming.map((l) => l.timestamp));
  const seen = new Map<string, number>();
  for (let i = lines.length - 1; i >= 0 && lines[i]!.timestamp >= from; i--) {
    const key = lineKey(lines[i]!);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const fresh: RunLogLine[] = [];
  for (const line of incoming) {
    const key = lineKey(line);
    const left = seen.get(key) ?? 0;
    if (left > 0) seen.set(key, left - 1);
    else fresh.push(line);
  }
  if (fresh.length === 0) return current;
  let merged: RunLogLine[];
  if (fresh.every((l, i) => l.timestamp >= newest && (i === 0 || l.timestamp >= fresh[i - 1]!.timestamp))) {
    merged = lines.concat(fresh);
  } else {
    merged = lines.concat(fresh).map((l, i) => [l, i] as const).sort((a, b) => a[0].timestamp - b[0].timestamp || a[1] - b[1]).map(([l]) => l);
  }
  const over = Math.max(0, merged.length - max);
  return { lines: over ? merged.slice(over) : merged, dropped: current.dropped + over };
}

/** Within this many pixels of the bottom, a log view counts as following the end. */
export const FOLLOW_THRESHOLD_PX = 24;

/** Whether a scrolled box shows its end (the log view keeps following new lines then). */
export function atBottom(box: { scrollTop: number; scrollHeight: number; clientHeight: number }, threshold = FOLLOW_THRESHOLD_PX): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= threshold;
}

// ---------------------------------------------------------------------------------------
// The targets form

let nextKey = 0;
const key = () => `row-${++nextKey}`;

export interface BranchDraft {
  key: string;
  branch: string;
  stage: string;
  connectionId: string;
  region: string;
}

export interface VariableDraft {
  key: string;
  stage: string;
  name: string;
  secret: boolean;
  /** The typed value; for a secret that is already set and not being changed, "". */
  value: string;
  /** A secret the server already holds (its value is never sent back). */
  stored: boolean;
  /** The person is typing a new value for a stored secret. */
  replacing: boolean;
}

export interface TargetsDraft {
  branches: BranchDraft[];
  pullRequests: { enabled: boolean; connectionId: string; region: string };
  environment: VariableDraft[];
}

export function draftOf(targets: Targets, fallback: { connectionId: string; region: string } = { connectionId: "", region: "" }): TargetsDraft {
  return {
    branches: targets.branches.map((b) => ({ key: key(), ...b })),
    pullRequests: targets.pullRequests
      ? { enabled: true, ...targets.pullRequests }
      : { enabled: false, connectionId: fallback.connectionId, region: fallback.region },
    environment: targets.environment.map((v) => ({
      key: key(),
      stage: v.stage,
      name: v.name,
      secret: v.secret,
      value: v.secret ? "" : (v.value ?? ""),
      stored: v.secret,
      replacing: false,
    })),
  };
}

export function newBranchRow(env: { connectionId: string; region: string }, rule: Partial<Pick<BranchDraft, "branch" | "stage">> = {}): BranchDraft {
  return { key: key(), branch: rule.branch ?? "", stage: rule.stage ?? "", connectionId: env.connectionId, region: env.region };
}

export function newVariableRow(): VariableDraft {
  return { key: key(), stage: "*", name: "", secret: false, value: "", stored: false, replacing: false };
}

/** What the form saves: a stored secret that was not replaced goes back as `value: null` (kept). */
export function targetsOf(draft: TargetsDraft): Targets {
  return {
    branches: draft.branches.map((b) => ({ branch: b.branch.trim(), stage: b.stage.trim(), connectionId: b.connectionId, region: b.region.trim() })),
    pullRequests: draft.pullRequests.enabled ? { connectionId: draft.pullRequests.connectionId, region: draft.pullRequests.region.trim() } : null,
    environment: draft.environment.map((v) => ({
      stage: v.stage.trim(),
      name: v.name.trim(),
      secret: v.secret,
      value: v.secret && v.stored && !v.replacing ? null : v.value,
    })),
  };
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const VARIABLE = /^[A-Z_][A-Z0-9_]*$/;
/** A stage template: SST's stage characters, and `{branch}`. */
const STAGE_TEMPLATE = /^([a-zA-Z0-9-]|\{branch\})+$/;
const GLOB = /^[^\s]+$/;
const MAX_STAGE = 64;

/** The connected accounts a target can name. */
export function deployableAccounts(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => !!a.accountId && a.status !== "disconnecting");
}

function checkEnvironment(errors: Record<string, string>, path: string, env: { connectionId: string; region: string }, accountIds: Set<string>) {
  if (!env.connectionId) errors[`${path}.connectionId`] = "Choose the AWS account to deploy to.";
  else if (!accountIds.has(env.connectionId)) errors[`${path}.connectionId`] = "This account is no longer connected. Choose another.";
  if (!env.region.trim()) errors[`${path}.region`] = "Enter the AWS region.";
  else if (!REGION.test(env.region.trim())) errors[`${path}.region`] = "Not an AWS region (for example us-east-1).";
}

/**
 * The form's mistakes by field, with the server's dotted paths (`branches.0.stage`), so the
 * server's own `validation` answers land on the same fields. Empty when it can be saved.
 */
export function validateTargets(draft: TargetsDraft, accounts: Account[] | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  const accountIds = new Set(deployableAccounts(accounts).map((a) => a.id));
  const globs = new Map<string, number>();
  draft.branches.forEach((b, i) => {
    const path = `branches.${i}`;
    const glob = b.branch.trim();
    if (!glob) errors[`${path}.branch`] = "Enter a branch or a pattern such as main or feature/*.";
    else if (!GLOB.test(glob)) errors[`${path}.branch`] = "A branch pattern has no spaces.";
    else if (globs.has(glob)) errors[`${path}.branch`] = `Rule ${globs.get(glob)! + 1} already has this pattern: this rule would never be used.`;
    else globs.set(glob, i);
    const stage = b.stage.trim();
    if (!stage) errors[`${path}.stage`] = "Enter the stage, or {branch} for the branch's name.";
    else if (!STAGE_TEMPLATE.test(stage)) errors[`${path}.stage`] = "Letters, digits, - and {branch} only.";
    else if (stage.replaceAll("{branch}", "").length > MAX_STAGE) errors[`${path}.stage`] = `At most ${MAX_STAGE} characters.`;
    checkEnvironment(errors, path, b, accountIds);
  });
  if (draft.pullRequests.enabled) checkEnvironment(errors, "pullRequests", draft.pullRequests, accountIds);
  const names = new Set<string>();
  draft.environment.forEach((v, i) => {
    const path = `environment.${i}`;
    const name = v.name.trim();
    if (!name) errors[`${path}.name`] = "Enter the variable's name.";
    else if (!VARIABLE.test(name)) errors[`${path}.name`] = "Capital letters, digits and _, not starting with a digit.";
    else if (names.has(`${v.stage.trim()}\u0000${name}`)) errors[`${path}.name`] = "This stage already has a variable of this name.";
    else names.add(`${v.stage.trim()}\u0000${name}`);
    if (!v.stage.trim()) errors[`${path}.stage`] = "Enter a stage, a pattern, or * for every stage.";
    if (v.secret && (!v.stored || v.replacing) && !v.value) errors[`${path}.value`] = "Enter the secret's value.";
  });
  return errors;
}

/** Whether the draft says something else than what is stored. */
export function draftChanged(draft: TargetsDraft, stored: Targets): boolean {
  const mine = targetsOf(draft);
  const theirs: Targets = { ...stored, environment: stored.environment.map((v) => ({ ...v, value: v.secret ? null : v.value })) };
  return JSON.stringify(mine) !== JSON.stringify(theirs);
}

/** Where a branch goes under the draft's rules (first match wins), for the editor's preview. */
export function previewBranch(draft: TargetsDraft, branch: string): { rule: number; stage: string } | null {
  for (const [i, rule] of draft.branches.entries()) {
    if (rule.branch.trim() && matchGlob(rule.branch.trim(), branch)) {
      const stage = sanitizeStage(rule.stage.trim().replaceAll("{branch}", sanitizeStage(branch)));
      return stage ? { rule: i, stage } : null;
    }
  }
  return null;
}

/** SST's stage name rules (the same as the server's targets). */
export function sanitizeStage(name: string): string {
  return name.replace(/[^a-zA-Z0-9-]/g, "-").replace(/-+/g, "-").replace(/^-/, "").replace(/-$/, "");
}

/** Branch globs as the server reads them: `*` any run but `/`, `**` any run, `?` one character but `/`. */
export function matchGlob(glob: string, value: string): boolean {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      pattern += ".*";
      i++;
    } else if (c === "*") pattern += "[^/]*";
    else if (c === "?") pattern += "[^/]";
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${pattern}$`).test(value);
}
