/**
 * The CodeBuild executor against the emulator, through a connection whose stack has the
 * autodeploy part on: the project is created once per region with the runner role, builds
 * start with their own buildspec and never carry the token, BatchGetBuilds maps to the
 * run's states (failed phases from real-shaped builds: the emulator's builds always
 * succeed), StopBuild is what stop asks, and logs page with CloudWatch's forward tokens.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BatchGetBuildsCommand, BatchGetProjectsCommand, CodeBuildClient, type Build } from "@aws-sdk/client-codebuild";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { autodeployLogGroup, autodeployProjectName, autodeploySecretName, checkOperation, runnerRoleArn, runnerRoleName } from "@console/workspace-template";
import { AwsCalls } from "../aws/customer";
import { connectAccount, customerClient, randomAccountId } from "../../../../test/setup/aws";
import { createWorkspace, signIn } from "../../../../test/setup/api";
import { codebuildExecutor, readEmulatorTimes, statusOfBuild } from "./codebuild";
import type { BuildSpec } from "./executor";
import { CHECKOUT_REMOTE, EXPORT_ENV, INSTALL, TAKE_SECRETS, deployCommand } from "./steps";

const region = "eu-west-1";
const TOKEN = "ghs_secretInstallationToken0123456789";
let accountId: string;
let workspaceId: string;
let connectionId: string;
const recorded = AwsCalls.record();

beforeAll(async () => {
  accountId = randomAccountId();
  const { token } = await signIn();
  const ws = await createWorkspace(token);
  workspaceId = ws.id;
  connectionId = (await connectAccount(token, ws.slug, accountId, { autodeploy: true })).id;
});

function spec(runId: string, overrides: Partial<BuildSpec> = {}): BuildSpec {
  return {
    workspaceId,
    runId,
    connectionId,
    region,
    repository: { fullName: "acme/acme-api", cloneUrl: "https://github.com/acme/acme-api.git" },
    commit: "0123456789abcdef0123456789abcdef01234567",
    stage: "production",
    action: "deploy",
    token: TOKEN,
    env: { STRIPE_KEY: "sk_live_stageSecret", LOG_LEVEL: "info" },
    ...overrides,
  };
}

/** CodeBuild as the customer sees it (with the emulator's times readable by the SDK). */
function customerCodeBuild() {
  const client = customerClient(CodeBuildClient, accountId, region);
  readEmulatorTimes(client);
  return client;
}

const callsOf = (operation: string) => recorded.calls.filter((c) => c.connectionId === connectionId && `${c.service}.${c.operation}` === operation);

describe("the CodeBuild executor", () => {
  const executor = codebuildExecutor({ emulator: true });

  it("creates the connection's project once, with the runner role, and starts each build with its own buildspec", async () => {
    const first = await executor.start(spec("run1"));
    const second = await executor.start(spec("run2", { stage: "pr-12", action: "remove" }));
    const project = autodeployProjectName(connectionId);
    expect(callsOf("CodeBuild.CreateProject")).toHaveLength(1);
    expect(callsOf("CodeBuild.StartBuild")).toHaveLength(2);
    expect(first.buildId.startsWith(`${project}:`)).toBe(true);
    expect(first.buildId).not.toBe(second.buildId);
    expect(first).toEqual({ buildId: first.buildId, logGroup: autodeployLogGroup(connectionId), logStream: first.buildId.split(":")[1] });

    // The runner role is the template's (its autodeploy part is on), and it is the project's service role.
    const role = await customerClient(IAMClient, accountId).send(new GetRoleCommand({ RoleName: runnerRoleName(connectionId) }));
    expect(role.Role?.Arn).toBe(runnerRoleArn(accountId, connectionId));
    const projects = await customerCodeBuild().send(new BatchGetProjectsCommand({ names: [project] }));
    expect(projects.projects?.[0]).toMatchObject({
      name: project,
      serviceRole: runnerRoleArn(accountId, connectionId),
      logsConfig: { cloudWatchLogs: { status: "ENABLED", groupName: autodeployLogGroup(connectionId) } },
    });

    // The buildspec checks out the commit, installs, then deploys (or removes) the stage.
    const [start1, start2] = callsOf("CodeBuild.StartBuild").map((c) => JSON.parse(c.input.buildspecOverride as string));
    const commands = start1.phases.build.commands as string[];
    expect(commands).toContain(CHECKOUT_REMOTE);
    expect(commands.indexOf(INSTALL)).toBeGreaterThan(commands.indexOf(CHECKOUT_REMOTE));
    // The secrets leave the environment first; the stage's variables come back only for the deploy.
    expect(commands[0]).toBe(TAKE_SECRETS);
    expect(commands.indexOf(EXPORT_ENV)).toBe(commands.indexOf(INSTALL) + 1);
    expect(commands.at(-1)).toBe(deployCommand("deploy"));
    expect(start1.env.variables).toMatchObject({ CONSOLE_STAGE: "production", SST_STAGE: "production", SST_RUN_ID: "run1", CONSOLE_COMMIT: spec("x").commit });
    expect(start2.phases.build.commands.at(-1)).toBe(deployCommand("remove"));
    expect(deployCommand("remove")).toContain('npx --yes sst remove --stage "$CONSOLE_STAGE"');
    expect(deployCommand("deploy")).toContain("npm run --silent console:deploy");
    // Secrets by name only: the SecureString holds the token and the stage's variables.
    expect(start1.env["parameter-store"]).toEqual({ CONSOLE_BUILD_SECRETS: autodeploySecretName(connectionId, "run1") });
    const secret = await customerClient(SSMClient, accountId, region).send(
      new GetParameterCommand({ Name: autodeploySecretName(connectionId, "run1"), WithDecryption: true }),
    );
    expect(JSON.parse(secret.Parameter!.Value!)).toEqual({ token: TOKEN, env: { STRIPE_KEY: "sk_live_stageSecret", LOG_LEVEL: "info" } });
    expect(secret.Parameter!.Type).toBe("SecureString");
  });

  it("never puts the token or a stage secret in the project, the build's definition or a call other than the SecureString's", async () => {
    const ref = await executor.start(spec("run3"));
    const builds = await customerCodeBuild().send(new BatchGetBuildsCommand({ ids: [ref.buildId] }));
    const projects = await customerCodeBuild().send(new BatchGetProjectsCommand({ names: [autodeployProjectName(connectionId)] }));
    for (const text of [JSON.stringify(builds), JSON.stringify(projects)]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain("sk_live_stageSecret");
    }
    const carrying = recorded.calls.filter((c) => JSON.stringify(c.input).includes(TOKEN)).map((c) => `${c.service}.${c.operation}`);
    expect([...new Set(carrying)]).toEqual(["SSM.PutParameter"]);
  });

  it("takes a build's state from BatchGetBuilds", async () => {
    const ref = await executor.start(spec("run4"));
    const before = callsOf("CodeBuild.BatchGetBuilds").length;
    // The emulator reports every build it is asked about as SUCCEEDED.
    expect(await executor.status({ workspaceId, connectionId, region, buildId: ref.buildId })).toEqual({ state: "succeeded" });
    expect(callsOf("CodeBuild.BatchGetBuilds").length).toBe(before + 1);
    expect(callsOf("CodeBuild.BatchGetBuilds").at(-1)!.input).toEqual({ ids: [ref.buildId] });
    const missing = await executor.status({ workspaceId, connectionId, region, buildId: `${autodeployProjectName(connectionId)}:00000000-0000-0000-0000-000000000000` });
    expect(missing.state).toBe("failed");
    expect(missing.error).toContain("has no build");
  });

  it("asks CodeBuild to stop a build", async () => {
    const ref = await executor.start(spec("run5"));
    await executor.stop({ workspaceId, connectionId, region, buildId: ref.buildId });
    expect(callsOf("CodeBuild.StopBuild").at(-1)!.input).toEqual({ id: ref.buildId });
  });

  it("reads the build's log lines page by page, and goes on from its cursor when more come", async () => {
    const ref = await executor.start(spec("run6"));
    const target = { workspaceId, connectionId, region, buildId: ref.buildId, logGroup: ref.logGroup, logStream: ref.logStream };
    const paged = codebuildExecutor({ emulator: true, logPageSize: 10 });
    // Before the build writes anything, its stream does not exist: no lines, no cursor.
    expect(await paged.logs(target, null)).toEqual({ lines: [], cursor: null });

    // CodeBuild writes the build's lines (here: the customer, as CodeBuild would).
    const logs = customerClient(CloudWatchLogsClient, accountId, region);
    await logs.send(new CreateLogGroupCommand({ logGroupName: ref.logGroup })).catch(() => undefined);
    await logs.send(new CreateLogStreamCommand({ logGroupName: ref.logGroup, logStreamName: ref.logStream }));
    const t0 = Date.now();
    const put = (from: number, n: number) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: ref.logGroup,
          logStreamName: ref.logStream,
          logEvents: Array.from({ length: n }, (_, i) => ({ timestamp: t0 + from + i, message: `line ${from + i}\n` })),
        }),
      );
    await put(0, 25);

    const read: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const page = await paged.logs(target, cursor);
      sizes.push(page.lines.length);
      read.push(...page.lines.map((l) => l.message));
      cursor = page.cursor;
    }
    expect(sizes.slice(0, 3)).toEqual([10, 10, 5]);
    expect(sizes.slice(3)).toEqual([0, 0]);
    expect(read).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i}`));
    await put(25, 3);
    const more = await paged.logs(target, cursor);
    expect(more.lines.map((l) => l.message)).toEqual(["line 25", "line 26", "line 27"]);
    expect(more.lines[0]!.timestamp).toBe(t0 + 25);
  });

  it("every call it made is allowed by the template with autodeploy on, and refused with it off", () => {
    const calls = recorded.calls.filter((c) => c.connectionId === connectionId && (c.service === "CodeBuild" || c.operation === "PutParameter" || c.operation === "DeleteParameter" || c.operation === "GetLogEvents"));
    expect(calls.length).toBeGreaterThan(10);
    for (const c of calls) {
      const context = (autodeploy: string) => ({
        accountId: c.accountId!,
        region: c.region,
        parameters: { ConnectionId: connectionId, ConsoleAccountId: "123456789012", Autodeploy: autodeploy },
      });
      const on = checkOperation("least", `${c.service}.${c.operation}`, c.input, context("true"));
      expect(on.denied, `${c.service}.${c.operation}`).toEqual([]);
      expect(checkOperation("least", `${c.service}.${c.operation}`, c.input, context("false")).allowed, `${c.service}.${c.operation}`).toBe(false);
    }
  });
});

describe("a build's state from BatchGetBuilds", () => {
  // Shapes of real BatchGetBuilds answers (CodeBuild API reference, `Build` and `BuildPhase`).
  const phases = (failed: { phaseType: string; phaseStatus: string; contexts: { statusCode: string; message: string }[] }) => [
    { phaseType: "SUBMITTED", phaseStatus: "SUCCEEDED" },
    { phaseType: "QUEUED", phaseStatus: "SUCCEEDED" },
    { phaseType: "PROVISIONING", phaseStatus: "SUCCEEDED" },
    { phaseType: "DOWNLOAD_SOURCE", phaseStatus: "SUCCEEDED" },
    { phaseType: "INSTALL", phaseStatus: "SUCCEEDED" },
    { phaseType: "PRE_BUILD", phaseStatus: "SUCCEEDED" },
    failed,
    { phaseType: "POST_BUILD", phaseStatus: "SUCCEEDED" },
    { phaseType: "FINALIZING", phaseStatus: "SUCCEEDED" },
    { phaseType: "COMPLETED" },
  ];

  it("maps in progress, succeeded and stopped builds", () => {
    expect(statusOfBuild({ buildStatus: "IN_PROGRESS", currentPhase: "BUILD" })).toEqual({ state: "running" });
    expect(statusOfBuild({ buildStatus: "SUCCEEDED", currentPhase: "COMPLETED" })).toEqual({ state: "succeeded" });
    expect(statusOfBuild({ buildStatus: "STOPPED", currentPhase: "COMPLETED" })).toEqual({ state: "cancelled" });
  });

  it("names the failed phase, the step its command was, and CodeBuild's message", () => {
    const build = {
      buildStatus: "FAILED",
      currentPhase: "COMPLETED",
      phases: phases({
        phaseType: "BUILD",
        phaseStatus: "FAILED",
        contexts: [{ statusCode: "COMMAND_EXECUTION_ERROR", message: `Error while executing command: ${INSTALL}. Reason: exit status 1` }],
      }),
    } as Build;
    const status = statusOfBuild(build);
    expect(status.state).toBe("failed");
    expect(status.error).toMatch(/^The BUILD phase failed in the install step: COMMAND_EXECUTION_ERROR: Error while executing command: /);
    const deploy = statusOfBuild({
      ...build,
      phases: phases({ phaseType: "BUILD", phaseStatus: "FAILED", contexts: [{ statusCode: "COMMAND_EXECUTION_ERROR", message: `Error while executing command: ${deployCommand("remove")}. Reason: exit status 1` }] }),
    } as Build);
    expect(deploy.error).toContain("in the remove step");
  });

  it("says when the runner could not read its secrets, and when a build timed out or faulted", () => {
    const provisioning = statusOfBuild({
      buildStatus: "FAILED",
      phases: [
        { phaseType: "SUBMITTED", phaseStatus: "SUCCEEDED" },
        { phaseType: "PROVISIONING", phaseStatus: "SUCCEEDED" },
        {
          phaseType: "DOWNLOAD_SOURCE",
          phaseStatus: "FAILED",
          contexts: [{ statusCode: "ACCESS_DENIED", message: "Error retrieving parameter /console/x/autodeploy/run1 for CONSOLE_BUILD_SECRETS" }],
        },
      ],
    } as Build);
    expect(provisioning).toEqual({
      state: "failed",
      error: "The DOWNLOAD_SOURCE phase failed in the secrets step: ACCESS_DENIED: Error retrieving parameter /console/x/autodeploy/run1 for CONSOLE_BUILD_SECRETS",
    });
    const timedOut = statusOfBuild({
      buildStatus: "TIMED_OUT",
      phases: phases({ phaseType: "BUILD", phaseStatus: "TIMED_OUT", contexts: [{ statusCode: "BUILD_TIMED_OUT", message: "Build has timed out. " }] }),
    } as Build);
    expect(timedOut.state).toBe("failed");
    expect(timedOut.error).toBe("The BUILD phase timed out: BUILD_TIMED_OUT: Build has timed out. ");
    expect(statusOfBuild({ buildStatus: "FAULT" })).toEqual({ state: "failed", error: "The build ended FAULT" });
  });
});
