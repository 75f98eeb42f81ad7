/**
 * Autodeploy targets: which git event deploys (or removes) which stage, in which
 * connected AWS account and region. Pure data and a pure decision: the console never
 * evaluates a customer's `sst.config.ts`, so the rules SST lets an app write as a
 * `console.autodeploy.target` callback are stored settings here instead.
 *
 * The defaults follow SST's (anomalyco/sst `platform/src/config.ts`, `autodeploy.target`):
 * a push to branch `X` deploys stage `X` sanitised (`[^a-zA-Z0-9-]` to `-`, runs of `-`
 * folded, no `-` at either end); removing a branch removes nothing; a pull request deploys
 * `pr-<number>` and its closing removes that stage; tags deploy nothing. Safer than SST's:
 * pull requests from forks never run (their code would run with the account's role), and
 * an event deploys only to an account and region a rule names.
 */

export interface Environment {
  /** The AWS connection (an `Account.id`) the stage deploys into. */
  connectionId: string;
  region: string;
}

export interface BranchRule extends Environment {
  /** Branch glob: `*` any run of characters but `/`, `**` any run, `?` one character but `/`. */
  branch: string;
  /** The stage; `{branch}` stands for the sanitised branch name. */
  stage: string;
}

export interface TargetConfig {
  /** Tried in order; the first whose glob matches the branch wins. */
  branches: BranchRule[];
  /** Pull requests get `pr-<number>` here; null turns pull request stages off. */
  pullRequests: Environment | null;
}

export type GitEvent =
  | { type: "branch"; action: "pushed" | "removed"; branch: string; commit: string | null }
  | { type: "tag"; action: "pushed" | "removed"; tag: string; commit: string | null }
  | {
      type: "pull_request";
      action: "opened" | "synchronize" | "reopened" | "closed";
      number: number;
      branch: string;
      commit: string;
      /** The head branch lives in another repository (a fork). */
      fork: boolean;
    };

export type TargetDecision =
  | ({ action: "deploy"; stage: string; commit: string } & Environment)
  | ({ action: "remove"; stage: string } & Environment)
  | { action: "skip"; reason: string };

/** SST's stage name rules applied to a branch or tag name; "" when nothing is left. */
export function sanitizeStage(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-/g, "")
    .replace(/-$/g, "");
}

/** Whether `glob` matches all of `value` (see `BranchRule.branch`). */
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

/** Longest stage name accepted (SST names resources `<app>-<stage>-…`, AWS caps many names at 64). */
export const MAX_STAGE = 64;

function stageName(template: string, branch: string): string | null {
  const stage = sanitizeStage(template.replaceAll("{branch}", sanitizeStage(branch)));
  return stage && stage.length <= MAX_STAGE ? stage : null;
}

/** What a git event does under an app's targets. */
export function decide(event: GitEvent, config: TargetConfig): TargetDecision {
  if (event.type === "tag") return { action: "skip", reason: "tags are not deployed" };
  if (event.type === "branch") {
    if (event.action === "removed") return { action: "skip", reason: "removing a branch keeps its stage" };
    if (!event.commit) return { action: "skip", reason: "the push names no commit" };
    const rule = config.branches.find((r) => matchGlob(r.branch, event.branch));
    if (!rule) return { action: "skip", reason: `no target matches branch ${event.branch}` };
    const stage = stageName(rule.stage, event.branch);
    if (!stage) return { action: "skip", reason: `branch ${event.branch} gives no valid stage name` };
    return { action: "deploy", stage, commit: event.commit, connectionId: rule.connectionId, region: rule.region };
  }
  if (!config.pullRequests) return { action: "skip", reason: "pull request stages are off" };
  if (!Number.isSafeInteger(event.number) || event.number < 1) return { action: "skip", reason: "not a pull request number" };
  const stage = `pr-${event.number}`;
  const env = config.pullRequests;
  if (event.action === "closed") return { action: "remove", stage, connectionId: env.connectionId, region: env.region };
  if (event.fork) return { action: "skip", reason: "pull requests from forks are not deployed" };
  return { action: "deploy", stage, commit: event.commit, connectionId: env.connectionId, region: env.region };
}

/** The default targets of a new app: every branch to a stage of its name, and pull request stages, in one environment. */
export function defaultTargets(env: Environment): TargetConfig {
  return { branches: [{ branch: "**", stage: "{branch}", ...env }], pullRequests: env };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const ZERO_SHA = /^0{40}$/;

/**
 * The git event of a GitHub webhook (`push` or `pull_request`), or null for anything
 * else (other events and actions, malformed payloads). Call it only on a delivery whose
 * signature was verified.
 */
export function gitEventFromGithub(name: string, payload: unknown): GitEvent | null {
  const p = obj(payload);
  if (!p) return null;
  if (name === "push") {
    const ref = str(p.ref);
    const after = str(p.after);
    const removed = p.deleted === true || (!!after && ZERO_SHA.test(after));
    const commit = removed || !after ? null : after;
    const action = removed ? "removed" : "pushed";
    if (ref?.startsWith("refs/heads/")) return { type: "branch", action, branch: ref.slice("refs/heads/".length), commit };
    if (ref?.startsWith("refs/tags/")) return { type: "tag", action, tag: ref.slice("refs/tags/".length), commit };
    return null;
  }
  if (name === "pull_request") {
    const action = str(p.action);
    if (action !== "opened" && action !== "synchronize" && action !== "reopened" && action !== "closed") return null;
    const pr = obj(p.pull_request);
    const head = obj(pr?.head);
    const number = typeof p.number === "number" ? p.number : pr?.number;
    const branch = str(head?.ref);
    const commit = str(head?.sha);
    if (typeof number !== "number" || !branch || !commit) return null;
    const headRepo = str(obj(head?.repo)?.full_name);
    const baseRepo = str(obj(obj(pr?.base)?.repo)?.full_name) ?? str(obj(p.repository)?.full_name);
    // A head repository that is gone (a deleted fork) or differs from the base is a fork.
    const fork = !headRepo || !baseRepo || headRepo.toLowerCase() !== baseRepo.toLowerCase();
    return { type: "pull_request", action, number, branch, commit, fork };
  }
  return null;
}
