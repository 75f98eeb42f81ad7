/**
 * Where a run's build executes: always in the customer's AWS account, never in the
 * console's. In production a CodeBuild project created through the connection's role
 * (`codebuild.ts`); locally and in tests the emulator's CodeBuild records the calls and
 * the local runtime runs the build's steps itself (`local.ts`), because the emulator does
 * not execute builds.
 *
 * The run machinery (`run.ts`) only speaks to this interface. A build's outcome is trusted
 * only from `status()`, which asks the executor (CodeBuild's BatchGetBuilds) itself: an
 * event that says "build finished" only prompts a check.
 */

export interface BuildSpec {
  workspaceId: string;
  runId: string;
  /** The AWS connection (`Account.id`) and region the stage deploys into. */
  connectionId: string;
  region: string;
  /** `owner/name` and a clone URL without credentials. */
  repository: { fullName: string; cloneUrl: string };
  commit: string;
  stage: string;
  action: "deploy" | "remove";
  /** A short-lived installation token for the checkout (never stored; the build gets it as a secret variable). */
  token: string;
  /** The stage's environment variables and secrets, decrypted for this build only. */
  env: Record<string, string>;
}

export interface BuildRef {
  /** CodeBuild's build id (`project:uuid`). */
  buildId: string;
  /** Where the build's logs go (CloudWatch Logs in the customer's account). */
  logGroup: string;
  logStream: string;
}

export type BuildState = "running" | "succeeded" | "failed" | "cancelled";

export interface BuildStatus {
  state: BuildState;
  /** Why it failed, in a sentence (the failing phase and its message). */
  error?: string;
}

export interface BuildLogLine {
  timestamp: number;
  message: string;
}

export interface BuildTarget {
  workspaceId: string;
  connectionId: string;
  region: string;
  buildId: string;
}

export interface Executor {
  /** Creates the project if needed and starts the build; returns where to look for it. */
  start(spec: BuildSpec): Promise<BuildRef>;
  /** The build's state as the executor reports it (the only source a run's outcome is taken from). */
  status(target: BuildTarget): Promise<BuildStatus>;
  /** Asks the build to stop; a stopped build's status becomes `cancelled`. */
  stop(target: BuildTarget): Promise<void>;
  /** Log lines after `cursor` (null: from the start), oldest first, and the cursor to go on from. */
  logs(target: BuildTarget & { logGroup: string; logStream: string }, cursor: string | null): Promise<{ lines: BuildLogLine[]; cursor: string | null }>;
}

let current: Executor | undefined;

export const Executors = {
  /** The executor runs use; set once at startup (CodeBuild in production, local in `npm run dev` and tests). */
  use(): Executor {
    if (!current) throw new Error("No build executor is set (Executors.set at startup)");
    return current;
  },
  set(executor: Executor | undefined) {
    current = executor;
  },
};
