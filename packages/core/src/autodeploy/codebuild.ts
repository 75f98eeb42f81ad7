/**
 * The production executor: builds run in CodeBuild, in the customer's account, through the
 * connection's role (the template's optional autodeploy part must be on: `Autodeploy=true`).
 *
 * - One project per connection and region, `console-<connection>-autodeploy`, created on the
 *   first build in a region and never changed afterwards: every build brings its own
 *   buildspec (`buildspecOverride`), so a new console version needs no `UpdateProject`. Its
 *   service role is the template's runner role (`console-<connection>-runner`), its logs go
 *   to `/aws/codebuild/<project>`, one stream per build (the build id's uuid).
 * - Secrets (the installation token for the checkout and the stage's variables) go to an SSM
 *   SecureString `/console/<connection>/autodeploy/<runId>` written just before the build;
 *   the buildspec names it (`env.parameter-store`), so CodeBuild reads it with the runner
 *   role and masks its value in the logs. Neither the project nor the build (BatchGetBuilds
 *   shows a build's plaintext variables, overrides included) holds a secret value. It is
 *   deleted once the build has finished (the token expires within the hour anyway).
 * - Status is BatchGetBuilds, mapped to the run's states; a failure says which phase failed,
 *   and which step (checkout, install, deploy) its command was.
 */
import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  CodeBuildClient,
  CreateProjectCommand,
  StartBuildCommand,
  StopBuildCommand,
  type Build,
} from "@aws-sdk/client-codebuild";
import { Readable } from "node:stream";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import {
  autodeployLogGroup,
  autodeployProjectName,
  autodeploySecretName,
  runnerRoleArn,
} from "@console/workspace-template";
import { Account } from "../account";
import { Actor } from "../actor";
import { Customer } from "../aws/customer";
import { VisibleError } from "../error";
import { log } from "../util/log";
import type { BuildLogLine, BuildRef, BuildSpec, BuildStatus, BuildTarget, Executor } from "./executor";
import { buildspec, stepOf } from "./steps";

export interface CodeBuildOptions {
  /** Default `aws/codebuild/standard:7.0` (Ubuntu, Node 22, git, the AWS CLI). */
  image?: string;
  /** Default `BUILD_GENERAL1_MEDIUM` (sst deploy bundles with esbuild and runs Pulumi). */
  computeType?: "BUILD_GENERAL1_SMALL" | "BUILD_GENERAL1_MEDIUM" | "BUILD_GENERAL1_LARGE";
  /** Default 60. */
  timeoutMinutes?: number;
  /** Log lines per `logs()` call; default 1000 (CloudWatch's page limit is 10,000). */
  logPageSize?: number;
  /**
   * Talking to the emulator (tests, the local runtime): moto 5 refuses a `NO_SOURCE`
   * project without a `location` (AWS needs none), and answers build times as ISO strings
   * where CodeBuild's JSON protocol has epoch numbers (the SDK refuses them). With this
   * set, the project gets a placeholder location and the CodeBuild client rewrites those
   * times before the SDK reads them. Never set against AWS.
   */
  emulator?: boolean;
}

/** SSM's standard tier holds 4 KB; larger secrets (many stage variables) take the advanced tier. */
const STANDARD_PARAMETER_BYTES = 4096;

export interface ConnectionClients {
  accountId: string;
  codebuild: CodeBuildClient;
  ssm: SSMClient;
  logs: CloudWatchLogsClient;
}

/** Clients acting in a connection's account and region, through its role (recorded like every customer call). */
export async function connectionClients(
  target: { workspaceId: string; connectionId: string; region: string },
  settings: Pick<CodeBuildOptions, "emulator"> = {},
): Promise<ConnectionClients> {
  const access = await inWorkspace(target.workspaceId, () => Account.access(target.connectionId));
  const credentials = await Customer.credentials(access);
  const options = { region: target.region, credentials, accountId: access.accountId, connectionId: target.connectionId };
  const codebuild = Customer.client(CodeBuildClient, options);
  if (settings.emulator) readEmulatorTimes(codebuild);
  return {
    accountId: access.accountId,
    codebuild,
    ssm: Customer.client(SSMClient, options),
    logs: Customer.client(CloudWatchLogsClient, options),
  };
}

const ISO_TIME = /"(\w*(?:[tT]ime|[dD]ate|created|lastModified))"\s*:\s*"(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)"/g;

/** The emulator's ISO build times → the epoch seconds CodeBuild's JSON protocol has (see `CodeBuildOptions.emulator`). */
export function readEmulatorTimes(client: CodeBuildClient) {
  client.middlewareStack.addRelativeTo(
    (next: (args: any) => Promise<any>) => async (args: any) => {
      const out = await next(args);
      const body = out.response?.body;
      if (body && typeof body.on === "function") {
        const chunks: Buffer[] = [];
        for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
        const text = Buffer.concat(chunks).toString("utf8").replace(ISO_TIME, (_, key: string, iso: string) => `"${key}": ${Date.parse(iso) / 1000}`);
        out.response.body = Readable.from([Buffer.from(text)]);
      }
      return out;
    },
    { relation: "after", toMiddleware: "deserializerMiddleware", name: "emulatorTimes" },
  );
}

/** Runs `fn` in the workspace's scope: in the caller's when it is that workspace, else as the system. */
function inWorkspace<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
  if (Actor.maybeWorkspace()?.id === workspaceId) return fn();
  return Actor.system("autodeploy", { id: workspaceId, slug: "" }, fn);
}

/** The project's definition (created once per connection and region; builds override the buildspec). */
export function projectInput(connectionId: string, accountId: string, options: CodeBuildOptions = {}) {
  const name = autodeployProjectName(connectionId);
  return {
    name,
    description: "Console autodeploy: runs sst deploy for pushes to your repositories (builds are started by Console)",
    source: {
      type: "NO_SOURCE" as const,
      buildspec: JSON.stringify({ version: 0.2, phases: { build: { commands: ['echo "Builds of this project are started by Console, each with its own buildspec" && exit 1'] } } }),
      ...(options.emulator ? { location: "console-emulator" } : {}),
    },
    artifacts: { type: "NO_ARTIFACTS" as const },
    environment: {
      type: "LINUX_CONTAINER" as const,
      image: options.image ?? "aws/codebuild/standard:7.0",
      computeType: options.computeType ?? "BUILD_GENERAL1_MEDIUM",
    },
    serviceRole: runnerRoleArn(accountId, connectionId),
    timeoutInMinutes: options.timeoutMinutes ?? 60,
    logsConfig: { cloudWatchLogs: { status: "ENABLED" as const, groupName: autodeployLogGroup(connectionId) } },
  };
}

/** Creates the connection's project in this region unless it exists. */
export async function ensureProject(clients: ConnectionClients, connectionId: string, options: CodeBuildOptions = {}): Promise<string> {
  const input = projectInput(connectionId, clients.accountId, options);
  const found = await clients.codebuild.send(new BatchGetProjectsCommand({ names: [input.name] }));
  if (found.projects?.some((p) => p.name === input.name)) return input.name;
  try {
    await clients.codebuild.send(new CreateProjectCommand(input));
  } catch (err) {
    // two first builds at once: the other one created it
    if ((err as { name?: string }).name !== "ResourceAlreadyExistsException") throw explainAwsError(err, "create the autodeploy project");
  }
  return input.name;
}

/** Writes one build's secret (token and stage variables) for the buildspec to read. */
export async function putBuildSecret(clients: ConnectionClients, spec: BuildSpec): Promise<string> {
  const name = autodeploySecretName(spec.connectionId, spec.runId);
  const value = JSON.stringify({ token: spec.token, env: spec.env });
  await clients.ssm.send(
    new PutParameterCommand({
      Name: name,
      Type: "SecureString",
      Value: value,
      Overwrite: true,
      Description: "Console autodeploy: one build's checkout token and stage variables (deleted when the build ends)",
      ...(Buffer.byteLength(value) > STANDARD_PARAMETER_BYTES ? { Tier: "Advanced" as const } : {}),
    }),
  );
  return name;
}

export async function deleteBuildSecret(clients: ConnectionClients, connectionId: string, runId: string) {
  try {
    await clients.ssm.send(new DeleteParameterCommand({ Name: autodeploySecretName(connectionId, runId) }));
  } catch (err) {
    if ((err as { name?: string }).name !== "ParameterNotFound") log.warn("autodeploy: could not delete a build's secret", { runId, error: (err as Error).message });
  }
}

/** `project:uuid` → where CodeBuild writes its logs. */
export function buildRef(connectionId: string, buildId: string): BuildRef {
  return { buildId, logGroup: autodeployLogGroup(connectionId), logStream: buildId.slice(buildId.indexOf(":") + 1) };
}

/** Starts a build in the connection's project (creating it first if needed). */
export async function startBuild(clients: ConnectionClients, spec: BuildSpec, options: CodeBuildOptions = {}): Promise<BuildRef> {
  const project = await ensureProject(clients, spec.connectionId, options);
  const secret = await putBuildSecret(clients, spec);
  try {
    const res = await clients.codebuild.send(
      new StartBuildCommand({
        projectName: project,
        buildspecOverride: buildspec(spec, secret),
        // The run id names the secret to delete after the build (not secret itself).
        environmentVariablesOverride: [{ name: "CONSOLE_RUN_ID", value: spec.runId, type: "PLAINTEXT" }],
        // A retried start of the same run (within CodeBuild's 5 minutes) starts one build.
        idempotencyToken: `${spec.workspaceId}-${spec.runId}`.slice(0, 64),
      }),
    );
    const id = res.build?.id;
    if (!id) throw new VisibleError("unavailable", "CodeBuild did not return the build it started");
    return buildRef(spec.connectionId, id);
  } catch (err) {
    await deleteBuildSecret(clients, spec.connectionId, spec.runId);
    throw explainAwsError(err, "start the build");
  }
}

const FAILED_PHASE = new Set(["FAILED", "FAULT", "TIMED_OUT", "STOPPED"]);

/** A CodeBuild build, as BatchGetBuilds returns it, in the run's terms. */
export function statusOfBuild(build: Pick<Build, "buildStatus" | "phases" | "currentPhase"> & { environment?: Build["environment"] }): BuildStatus {
  switch (build.buildStatus) {
    case "IN_PROGRESS":
    case undefined:
      return { state: "running" };
    case "SUCCEEDED":
      return { state: "succeeded" };
    case "STOPPED":
      return { state: "cancelled" };
    default: {
      const phase = (build.phases ?? []).find((p) => p.phaseStatus && FAILED_PHASE.has(p.phaseStatus));
      const context = phase?.contexts?.find((c) => c.message || c.statusCode);
      const step = context?.message ? stepOf(context.message) : undefined;
      const where = phase ? `The ${phase.phaseType ?? "build"} phase ${build.buildStatus === "TIMED_OUT" ? "timed out" : "failed"}` : `The build ended ${build.buildStatus}`;
      const what = step ? ` in the ${step} step` : "";
      const why = context ? `: ${[context.statusCode, context.message].filter(Boolean).join(": ")}` : "";
      return { state: "failed", error: `${where}${what}${why}`.slice(0, 1000) };
    }
  }
}

/** The run id a build was started for (its `CONSOLE_RUN_ID` variable), to delete its secret. */
function runIdOf(build: Build): string | undefined {
  return build.environment?.environmentVariables?.find((v) => v.name === "CONSOLE_RUN_ID")?.value;
}

export async function buildStatus(clients: ConnectionClients, target: BuildTarget): Promise<{ status: BuildStatus; build?: Build }> {
  const res = await clients.codebuild.send(new BatchGetBuildsCommand({ ids: [target.buildId] }));
  const build = res.builds?.find((b) => b.id === target.buildId);
  if (!build) return { status: { state: "failed", error: `CodeBuild has no build ${target.buildId} (deleted, or the project was removed)` } };
  const status = statusOfBuild(build);
  if (status.state !== "running") {
    const runId = runIdOf(build);
    if (runId) await deleteBuildSecret(clients, target.connectionId, runId);
  }
  return { status, build };
}

export async function stopBuild(clients: ConnectionClients, target: BuildTarget) {
  try {
    await clients.codebuild.send(new StopBuildCommand({ id: target.buildId }));
  } catch (err) {
    // a build that already finished cannot be stopped: its status says how it ended
    if (!/already (completed|finished)|not in progress/i.test((err as Error).message ?? "")) throw explainAwsError(err, "stop the build");
  }
}

/** Log lines after `cursor` (CloudWatch's forward token), one page. */
export async function buildLogs(
  logs: CloudWatchLogsClient,
  target: { logGroup: string; logStream: string },
  cursor: string | null,
  limit: number,
): Promise<{ lines: BuildLogLine[]; cursor: string | null }> {
  try {
    const res = await logs.send(
      new GetLogEventsCommand({
        logGroupName: target.logGroup,
        logStreamName: target.logStream,
        startFromHead: true,
        limit,
        ...(cursor ? { nextToken: cursor } : {}),
      }),
    );
    const lines = (res.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: (e.message ?? "").replace(/\n$/, "") }));
    return { lines, cursor: res.nextForwardToken ?? cursor };
  } catch (err) {
    // before the build's first line, its stream (or the project's group) does not exist yet
    if ((err as { name?: string }).name === "ResourceNotFoundException") return { lines: [], cursor };
    throw explainAwsError(err, "read the build's logs");
  }
}

/** AWS's refusals in words a user can act on (most often: the template's autodeploy part is off). */
function explainAwsError(err: unknown, doing: string): Error {
  const e = err as { name?: string; message?: string };
  if (err instanceof VisibleError) return err;
  if (e.name === "AccessDeniedException" || e.name === "AccessDenied" || /not authorized/i.test(e.message ?? "")) {
    return new VisibleError(
      "forbidden",
      `Console may not ${doing} in this account: update the connection's stack with Autodeploy set to true (${e.message ?? e.name})`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

export function codebuildExecutor(options: CodeBuildOptions = {}): Executor {
  const limit = options.logPageSize ?? 1000;
  return {
    async start(spec) {
      return startBuild(await connectionClients(spec, options), spec, options);
    },
    async status(target) {
      return (await buildStatus(await connectionClients(target, options), target)).status;
    },
    async stop(target) {
      await stopBuild(await connectionClients(target, options), target);
    },
    async logs(target, cursor) {
      return buildLogs((await connectionClients(target, options)).logs, target, cursor, limit);
    },
  };
}
