/**
 * The executor of `npm run dev` and the tests. It makes the CodeBuild executor's calls to
 * the emulator, through the connection's role (so the recorded call set is the real one,
 * and the policy test checks it), but the emulator's CodeBuild runs nothing, so this runs
 * the build's steps itself (`steps.ts`): in a temporary folder, a clone of a LOCAL
 * repository (its full name mapped to a path by `LocalRepositories`), the commit, the
 * install, then the deploy script, with the stage's variables and the emulator as AWS
 * (credentials of the connection's role, standing in for the runner role). Every output
 * line goes to the emulator's CloudWatch Logs, in the group and stream CodeBuild would use.
 *
 * A build's outcome is its process's: exit 0 → succeeded, another code → failed (with the
 * step and its last output line), stopped → cancelled. BatchGetBuilds is still called (the
 * call the production executor makes), but the emulator's answer is not what it says.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { AwsConfig } from "../aws/config";
import { Customer } from "../aws/customer";
import { Account } from "../account";
import { Actor } from "../actor";
import { VisibleError } from "../error";
import {
  buildLogs,
  buildStatus,
  connectionClients,
  deleteBuildSecret,
  startBuild,
  stopBuild,
  type CodeBuildOptions,
} from "./codebuild";
import type { BuildRef, BuildSpec, BuildStatus, Executor } from "./executor";
import { buildSteps, buildVariables, type BuildStep } from "./steps";

/** Where the local runner finds a repository by its full name (`owner/name`): a local git repository. */
const repositories = new Map<string, string>();

export const LocalRepositories = {
  register(fullName: string, dir: string) {
    repositories.set(fullName.toLowerCase(), dir);
  },
  unregister(fullName: string) {
    repositories.delete(fullName.toLowerCase());
  },
  path(fullName: string): string | undefined {
    return repositories.get(fullName.toLowerCase());
  },
};

export interface LocalExecutorOptions extends CodeBuildOptions {
  /** Extra variables for every build (e.g. `NODE_OPTIONS` with a TypeScript loader for the demo's script). */
  env?: Record<string, string>;
  /** Keep each build's folder (for debugging); default: removed when the build ends. */
  keep?: boolean;
  /** Called with each line as it is written (the dev runtime may print them). */
  onLine?: (buildId: string, line: string) => void;
}

interface LocalBuild {
  ref: BuildRef;
  spec: BuildSpec;
  child?: ChildProcess;
  status: BuildStatus;
  stopped: boolean;
  /** Settles when the process ended and every line is in CloudWatch. */
  done: Promise<void>;
}

/** The variables a local build sees: a clean environment (never the console's own), the stage's, the emulator's. */
function processEnv(spec: BuildSpec, cloneUrl: string, aws: Record<string, string>, extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG", "TERM"];
  const base = Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
  return {
    ...base,
    ...spec.env,
    ...buildVariables({ ...spec, repository: { ...spec.repository, cloneUrl } }),
    ...aws,
    ...extra,
    GIT_TERMINAL_PROMPT: "0",
    npm_config_update_notifier: "false",
  };
}

/** Writes a build's lines to its CloudWatch Logs stream, in order, a batch at a time. */
class LineWriter {
  private pending: { timestamp: number; message: string }[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private ready: Promise<void>;

  constructor(
    private logs: CloudWatchLogsClient,
    private group: string,
    private stream: string,
  ) {
    this.ready = (async () => {
      await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((err) => {
        if ((err as { name?: string }).name !== "ResourceAlreadyExistsException") throw err;
      });
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    })();
  }

  private timer: NodeJS.Timeout | undefined;

  /** Lines reach CloudWatch within a quarter of a second (as a build's do, more or less). */
  write(message: string) {
    this.pending.push({ timestamp: Date.now(), message });
    if (this.pending.length >= 100) void this.flush().catch(() => {});
    else this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => {});
    }, 250);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.catch(() => {}).then(async () => {
      await this.ready;
      while (this.pending.length) {
        const batch = this.pending.splice(0, 500);
        await this.logs.send(new PutLogEventsCommand({ logGroupName: this.group, logStreamName: this.stream, logEvents: batch }));
      }
    });
    return this.flushing;
  }
}

/** Splits a stream into lines (a partial last line waits for the rest). */
function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void) {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (rest + chunk).split(/\r?\n/);
    rest = parts.pop() ?? "";
    for (const p of parts) onLine(p);
  });
  stream.on("end", () => {
    if (rest) onLine(rest);
    rest = "";
  });
}

function runStep(step: BuildStep, cwd: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void, started: (child: ChildProcess) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.command], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    started(child);
    let open = 2;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finish = () => {
      if (open === 0 && exit) resolve(exit);
    };
    for (const s of [child.stdout!, child.stderr!]) {
      lines(s, onLine);
      s.on("end", () => {
        open--;
        finish();
      });
    }
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      finish();
    });
  });
}

export function localExecutor(options: LocalExecutorOptions = {}): Executor & { builds: Map<string, LocalBuild> } {
  const builds = new Map<string, LocalBuild>();
  const codebuild: CodeBuildOptions = { ...options, emulator: true };

  async function run(build: LocalBuild, aws: Record<string, string>, writer: LineWriter) {
    const { spec, ref } = build;
    const say = (line: string) => {
      writer.write(line);
      options.onLine?.(ref.buildId, line);
    };
    const source = LocalRepositories.path(spec.repository.fullName);
    const dir = await mkdtemp(path.join(tmpdir(), "console-build-"));
    try {
      if (!source) {
        build.status = { state: "failed", error: `The checkout step failed: no local repository is registered for ${spec.repository.fullName}` };
        say(`[console] ${build.status.error}`);
        return;
      }
      // As in CodeBuild, the stage's variables reach the deploy step only (not the install
      // step, which runs the dependencies' own scripts).
      const env = processEnv(spec, source, aws, options.env ?? {});
      const withoutStage = processEnv({ ...spec, env: {} }, source, aws, options.env ?? {});
      for (const step of buildSteps(spec.action, "local")) {
        if (build.stopped) break;
        say(`[console] Running the ${step.name} step`);
        let last = "";
        const result = await runStep(
          step,
          dir,
          step.name === "deploy" || step.name === "remove" ? env : withoutStage,
          (line) => {
            if (line.trim()) last = line;
            say(line);
          },
          (child) => (build.child = child),
        );
        build.child = undefined;
        if (build.stopped) break;
        if (result.code !== 0) {
          const how = result.code === null ? `was killed (${result.signal})` : `exited with ${result.code}`;
          build.status = { state: "failed", error: `The ${step.name} step failed: it ${how}${last ? `: ${last}` : ""}`.slice(0, 1000) };
          say(`[console] ${build.status.error}`);
          return;
        }
      }
      if (build.stopped) {
        build.status = { state: "cancelled" };
        say("[console] The build was stopped");
      } else {
        build.status = { state: "succeeded" };
        say(`[console] The ${spec.action} succeeded`);
      }
    } catch (err) {
      build.status = { state: "failed", error: `The build could not run: ${(err as Error).message}` };
      say(`[console] ${build.status.error}`);
    } finally {
      if (!options.keep) await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }

  return {
    builds,
    async start(spec) {
      const clients = await connectionClients(spec, codebuild);
      const ref = await startBuild(clients, spec, codebuild);
      // The runner's side: the connection's role stands in for the runner role (the build's
      // AWS calls and its log lines are the runner's, not the console's: not recorded).
      const access = await (Actor.maybeWorkspace()?.id === spec.workspaceId
        ? Account.access(spec.connectionId)
        : Actor.system("autodeploy", { id: spec.workspaceId, slug: "" }, () => Account.access(spec.connectionId)));
      const credentials = await Customer.credentials(access);
      const endpoint = AwsConfig.endpoint();
      if (!endpoint) throw new VisibleError("unavailable", "The local executor runs against the AWS emulator only (AWS_ENDPOINT_URL)");
      const logs = new CloudWatchLogsClient({ region: spec.region, endpoint, credentials });
      const writer = new LineWriter(logs, ref.logGroup, ref.logStream);
      const aws = {
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: spec.region,
        AWS_DEFAULT_REGION: spec.region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
        CONSOLE_ACCOUNT_ID: access.accountId,
      };
      const build: LocalBuild = { ref, spec, status: { state: "running" }, stopped: false, done: Promise.resolve() };
      builds.set(ref.buildId, build);
      build.done = run(build, aws, writer)
        .then(() => writer.flush())
        .catch((err) => {
          build.status = { state: "failed", error: `The build's logs could not be written: ${(err as Error).message}` };
        })
        .finally(() => logs.destroy());
      return ref;
    },
    async status(target) {
      const clients = await connectionClients(target, codebuild);
      // The call the CodeBuild executor makes (the emulator always answers SUCCEEDED).
      await buildStatus(clients, target);
      const build = builds.get(target.buildId);
      if (!build) return { state: "failed", error: `No local build ${target.buildId} (the console restarted while it ran)` };
      // A build counts as finished once its last line is in CloudWatch.
      const settled = await Promise.race([build.done.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
      if (!settled) return { state: "running" };
      if (build.status.state !== "running") await deleteBuildSecret(clients, target.connectionId, build.spec.runId);
      return build.status;
    },
    async stop(target) {
      await stopBuild(await connectionClients(target, codebuild), target);
      const build = builds.get(target.buildId);
      if (!build || build.status.state !== "running") return;
      build.stopped = true;
      const pid = build.child?.pid;
      if (pid) {
        try {
          process.kill(-pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
    },
    async logs(target, cursor) {
      return buildLogs((await connectionClients(target, codebuild)).logs, target, cursor, options.logPageSize ?? 1000);
    },
  };
}

/** Waits until a local build has ended and its lines are written (tests and the demo). */
export async function settled(executor: ReturnType<typeof localExecutor>, buildId: string): Promise<BuildStatus> {
  const build = executor.builds.get(buildId);
  if (!build) throw new Error(`No local build ${buildId}`);
  await build.done;
  return build.status;
}
