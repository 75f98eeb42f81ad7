/**
 * Autodeploy: a push or pull request in an app's linked GitHub repository deploys (or
 * removes) a stage in the customer's own AWS account.
 *
 * - ./repository.ts: the app's repository, checked with GitHub through the installation.
 * - ./settings.ts: the app's targets (./targets.ts decides with them) and per-stage
 *   environment variables, secrets sealed at rest.
 * - ./run.ts: runs, their queue per stage, cancel and redeploy, and `tick` that moves them.
 * - ./executor.ts: where builds run (CodeBuild through the connection; local steps in dev).
 */
import { availableRepositories, getRepository, linkRepository, linkSchema, unlinkRepository } from "./repository";
import { getTargets, putTargets, targetsSchema } from "./settings";
import { cancelRun, getRun, listRuns, listSchema, receive, redeployRun, runLogs, tick } from "./run";

export * from "./autodeploy.sql";
export type { Repository, AvailableRepository } from "./repository";
export type { Targets, EnvironmentVariable } from "./settings";
export type { Run, TickResult } from "./run";

export namespace Autodeploy {
  export const repository = getRepository;
  export const repositories = availableRepositories;
  export const link = linkRepository;
  export const unlink = unlinkRepository;
  export const linkInput = linkSchema;

  export const targets = getTargets;
  export const setTargets = putTargets;
  export const targetsInput = targetsSchema;

  export const runs = listRuns;
  export const runsQuery = listSchema;
  export const run = getRun;
  export const logs = runLogs;
  export const cancel = cancelRun;
  export const redeploy = redeployRun;

  /** A GitHub webhook delivery: verified and taken once (`Github.receive`), then runs queued. */
  export const webhook = receive;
  /** Moves runs forward (cron, local timer, tests). */
  export const advance = tick;
}
