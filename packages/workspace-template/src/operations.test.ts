import { describe, expect, it } from "vitest";
import {
  ALL_ACTIONS,
  AUTODEPLOY_ACTIONS,
  autodeployProjectName,
  autodeploySecretName,
  runnerRoleArn,
  OPERATIONS,
  bootstrapRuleInputs,
  checkOperation,
  operationActions,
  requiredPermissions,
  type Operation,
} from "./index";
import { CONNECTION_ID, CONSOLE_ACCOUNT, CUSTOMER_ACCOUNT, OPTIONS, ctx } from "./test-fixtures";

const region = "eu-west-1";
const fn = `arn:aws:lambda:${region}:${CUSTOMER_ACCOUNT}:function:my-app-prod-ApiFunction-abc123`;
const group = "/aws/lambda/my-app-prod-ApiFunction-abc123";
const project = autodeployProjectName(CONNECTION_ID);
const rules = bootstrapRuleInputs({ connectionId: CONNECTION_ID, accountId: CUSTOMER_ACCOUNT, busArn: OPTIONS.consoleBusArn });

/** One realistic call of each operation the console makes in a customer account. */
const CALLS: Record<Operation, Record<string, unknown>> = {
  "STS.GetCallerIdentity": {},
  "IAM.GetRole": { RoleName: `console-${CONNECTION_ID}` },
  "EC2.DescribeRegions": { AllRegions: false },
  "SSM.GetParameter": { Name: "/sst/bootstrap", WithDecryption: true },
  "CloudFormation.DescribeStacks": { StackName: "SSTBootstrap" },
  "S3.ListObjectsV2": { Bucket: "sst-state-abcdefghijkl", Prefix: "app/" },
  "S3.GetObject": { Bucket: "sst-state-abcdefghijkl", Key: "app/my-app/prod.json" },
  "S3.HeadObject": { Bucket: "sst-asset-abcdefghijkl", Key: `sourcemap/arn:aws:logs:${region}:${CUSTOMER_ACCOUNT}:log-group:${group}/f00d.index.mjs.map` },
  "S3.GetBucketNotificationConfiguration": { Bucket: "sstbootstrap-myapp-1a2b3c4d" },
  "S3.PutBucketNotificationConfiguration": {
    Bucket: "sst-state-abcdefghijkl",
    NotificationConfiguration: { EventBridgeConfiguration: {} },
  },
  "Lambda.GetFunction": { FunctionName: fn },
  "Lambda.ListFunctions": {},
  "Lambda.Invoke": { FunctionName: "my-app-prod-ApiFunction-abc123", Payload: "{}" },
  "CloudWatchLogs.PutSubscriptionFilter": {
    logGroupName: group,
    filterName: "console",
    filterPattern: "?ERROR ?Error",
    destinationArn: `arn:aws:logs:${region}:${CONSOLE_ACCOUNT}:destination:console-${region}`,
  },
  "CloudWatchLogs.DeleteSubscriptionFilter": { logGroupName: group, filterName: "console" },
  "CloudWatchLogs.DescribeSubscriptionFilters": { logGroupName: group },
  "CloudWatchLogs.CreateLogGroup": { logGroupName: group },
  "CloudWatchLogs.DescribeLogGroups": { logGroupNamePrefix: "/aws/lambda/my-app-prod" },
  "CloudWatchLogs.FilterLogEvents": { logGroupName: group, startTime: 0 },
  "CloudWatchLogs.GetLogEvents": { logGroupName: group, logStreamName: "2026/11/22/[$LATEST]0123abcd" },
  "CloudWatchLogs.DescribeLogStreams": { logGroupIdentifier: `arn:aws:logs:${region}:${CUSTOMER_ACCOUNT}:log-group:${group}` },
  "CloudWatchLogs.StartQuery": { logGroupNames: [group, "/aws/lambda/other"], queryString: "fields @message" },
  "CloudWatchLogs.GetQueryResults": { queryId: "q-1" },
  "CloudWatchLogs.StopQuery": { queryId: "q-1" },
  "CloudWatchLogs.StartLiveTail": {
    logGroupIdentifiers: [`arn:aws:logs:${region}:${CUSTOMER_ACCOUNT}:log-group:${group}`],
  },
  "CloudWatch.GetMetricData": { MetricDataQueries: [], StartTime: new Date(), EndTime: new Date() },
  "EventBridge.PutRule": rules.putRule,
  "EventBridge.PutTargets": rules.putTargets,
  "EventBridge.DeleteRule": { Name: rules.putRule.Name },
  "EventBridge.RemoveTargets": { Rule: rules.putRule.Name, Ids: ["console-bus"] },
  "EventBridge.DescribeRule": { Name: rules.putRule.Name },
  "EventBridge.ListTargetsByRule": { Rule: rules.putRule.Name },
  "CodeBuild.BatchGetProjects": { names: [project] },
  "CodeBuild.CreateProject": { name: project, serviceRole: runnerRoleArn(CUSTOMER_ACCOUNT, CONNECTION_ID), source: { type: "NO_SOURCE" } },
  "CodeBuild.StartBuild": { projectName: project, buildspecOverride: "version: 0.2" },
  "CodeBuild.BatchGetBuilds": { ids: [`${project}:0f4c1a9e-5d1b-4a57-9a35-8d7f0b1e2c3d`] },
  "CodeBuild.StopBuild": { id: `${project}:0f4c1a9e-5d1b-4a57-9a35-8d7f0b1e2c3d` },
  "SSM.PutParameter": { Name: autodeploySecretName(CONNECTION_ID, "run1"), Type: "SecureString", Value: "{}" },
  "SSM.DeleteParameter": { Name: autodeploySecretName(CONNECTION_ID, "run1") },
};
const AUTODEPLOY_OPERATIONS = Object.keys(CALLS).filter((op) => op.startsWith("CodeBuild.") || op === "SSM.PutParameter" || op === "SSM.DeleteParameter");

describe("operations", () => {
  it("covers the calls the console makes", () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(Object.keys(CALLS).sort());
    expect(Object.keys(OPERATIONS)).toEqual(
      expect.arrayContaining([
        "S3.ListObjectsV2",
        "S3.GetObject",
        "S3.HeadObject",
        "S3.PutBucketNotificationConfiguration",
        "S3.GetBucketNotificationConfiguration",
        "SSM.GetParameter",
        "EC2.DescribeRegions",
        "CloudFormation.DescribeStacks",
        "Lambda.GetFunction",
        "Lambda.ListFunctions",
        "Lambda.Invoke",
        "CloudWatchLogs.PutSubscriptionFilter",
        "CloudWatchLogs.DeleteSubscriptionFilter",
        "CloudWatchLogs.DescribeSubscriptionFilters",
        "CloudWatchLogs.CreateLogGroup",
        "CloudWatchLogs.DescribeLogGroups",
        "CloudWatchLogs.FilterLogEvents",
        "CloudWatchLogs.GetLogEvents",
        "CloudWatchLogs.DescribeLogStreams",
        "CloudWatchLogs.StartQuery",
        "CloudWatchLogs.GetQueryResults",
        "CloudWatchLogs.StopQuery",
        "CloudWatchLogs.StartLiveTail",
        "CloudWatch.GetMetricData",
        "EventBridge.PutRule",
        "EventBridge.PutTargets",
        "EventBridge.DeleteRule",
        "EventBridge.RemoveTargets",
        "EventBridge.DescribeRule",
        "EventBridge.ListTargetsByRule",
        "STS.GetCallerIdentity",
      ]),
    );
  });

  it("uses every granted action, and grants every action it uses (no more, no less)", () => {
    const used = new Set(Object.keys(OPERATIONS).flatMap((op) => operationActions(op as Operation)));
    expect(used).toEqual(new Set([...ALL_ACTIONS, ...AUTODEPLOY_ACTIONS]));
  });

  it.each(AUTODEPLOY_OPERATIONS)("least refuses %s while autodeploy is off", (operation) => {
    const check = checkOperation("least", operation, CALLS[operation as Operation], ctx(region, false));
    expect(check.allowed).toBe(false);
  });

  it("scopes the autodeploy calls to the connection's project, runner role and secrets", () => {
    const other = "01aaaaaaaaaaaaaaaaaaaaaaaa";
    const denied = (operation: string, input: Record<string, unknown>) => !checkOperation("least", operation, input, ctx(region)).allowed;
    expect(denied("CodeBuild.StartBuild", { projectName: autodeployProjectName(other) })).toBe(true);
    expect(denied("CodeBuild.StartBuild", { projectName: "someone-elses-project" })).toBe(true);
    expect(denied("CodeBuild.CreateProject", { name: project, serviceRole: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Admin` })).toBe(true);
    expect(denied("CodeBuild.StartBuild", { projectName: project, serviceRoleOverride: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/Admin` })).toBe(true);
    expect(denied("SSM.PutParameter", { Name: "/sst/bootstrap", Value: "x" })).toBe(true);
    expect(denied("SSM.DeleteParameter", { Name: autodeploySecretName(other, "run1") })).toBe(true);
    expect(denied("CloudWatchLogs.GetLogEvents", { logGroupName: "/aws/codebuild/other", logStreamName: "x" })).toBe(true);
    expect(denied("CloudWatchLogs.GetLogEvents", { logGroupName: `/aws/codebuild/${project}`, logStreamName: "0f4c1a9e" })).toBe(false);
  });

  it.each(Object.entries(CALLS))("least allows %s", (operation, input) => {
    const check = checkOperation("least", operation, input, ctx(region));
    expect(check.denied, JSON.stringify(check.required)).toEqual([]);
    expect(check.allowed).toBe(true);
  });

  it("derives resource ARNs from the call input", () => {
    const c = { accountId: CUSTOMER_ACCOUNT, region };
    expect(requiredPermissions("S3.ListObjectsV2", { Bucket: "b" }, c)).toEqual([
      { action: "s3:ListBucket", resource: "arn:aws:s3:::b" },
    ]);
    expect(requiredPermissions("S3.HeadObject", { Bucket: "b", Key: "k/1" }, c)).toEqual([
      { action: "s3:GetObject", resource: "arn:aws:s3:::b/k/1" },
    ]);
    expect(requiredPermissions("SSM.GetParameter", { Name: "/sst/bootstrap" }, c)).toEqual([
      { action: "ssm:GetParameter", resource: `arn:aws:ssm:${region}:${CUSTOMER_ACCOUNT}:parameter/sst/bootstrap` },
    ]);
    expect(requiredPermissions("Lambda.Invoke", { FunctionName: "f" }, c)).toEqual([
      { action: "lambda:InvokeFunction", resource: `arn:aws:lambda:${region}:${CUSTOMER_ACCOUNT}:function:f` },
    ]);
    expect(requiredPermissions("CloudWatchLogs.FilterLogEvents", { logGroupName: "/aws/lambda/f" }, c)).toEqual([
      {
        action: "logs:FilterLogEvents",
        resource: `arn:aws:logs:${region}:${CUSTOMER_ACCOUNT}:log-group:/aws/lambda/f:*`,
      },
    ]);
    expect(
      requiredPermissions("CloudWatchLogs.GetLogEvents", { logGroupName: "/aws/lambda/f", logStreamName: "s" }, c),
    ).toEqual([
      {
        action: "logs:GetLogEvents",
        resource: `arn:aws:logs:${region}:${CUSTOMER_ACCOUNT}:log-group:/aws/lambda/f:log-stream:s`,
      },
    ]);
    expect(requiredPermissions("EventBridge.PutTargets", rules.putTargets, c)).toEqual([
      { action: "events:PutTargets", resource: `arn:aws:events:${region}:${CUSTOMER_ACCOUNT}:rule/${rules.putRule.Name}` },
      {
        action: "iam:PassRole",
        resource: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/console-${CONNECTION_ID}-forwarder`,
        conditions: { "iam:PassedToService": "events.amazonaws.com" },
      },
    ]);
    expect(requiredPermissions("STS.GetCallerIdentity", {}, c)).toEqual([]);
    expect(requiredPermissions("EC2.DescribeRegions", {}, c)).toEqual([{ action: "ec2:DescribeRegions" }]);
  });

  it("flags calls outside what the console is meant to do", () => {
    const c = ctx(region);
    const denied = (operation: string, input: Record<string, unknown>) =>
      expect(checkOperation("least", operation, input, c).allowed, operation).toBe(false);
    denied("S3.GetObject", { Bucket: "customer-data", Key: "secrets.json" });
    denied("SSM.GetParameter", { Name: "/sst/passphrase/my-app/prod" });
    denied("CloudFormation.DescribeStacks", {}); // every stack: only SSTBootstrap by name is allowed
    denied("CloudWatchLogs.FilterLogEvents", { logGroupName: "/ecs/web" });
    denied("CloudWatchLogs.PutSubscriptionFilter", {
      logGroupName: group,
      filterName: "x",
      filterPattern: "",
      destinationArn: "arn:aws:logs:eu-west-1:999999999999:destination:elsewhere",
    });
    denied("EventBridge.PutRule", { Name: "someone-elses-rule" });
    denied("EventBridge.PutTargets", {
      Rule: rules.putRule.Name,
      Targets: [{ Id: "x", Arn: "arn:aws:lambda:eu-west-1:1:function:f", RoleArn: `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/admin` }],
    });
    expect(() => checkOperation("least", "S3.DeleteBucket", { Bucket: "b" }, c)).toThrow(/Unknown operation/);
  });

  it("reports the parameters a denial was missing", () => {
    const check = checkOperation("least", "EventBridge.DescribeRule", { Name: rules.putRule.Name }, {
      accountId: CUSTOMER_ACCOUNT,
      region,
    });
    expect(check.allowed).toBe(false);
    expect(check.denied[0]!.unresolved).toEqual(["ConnectionId"]);
  });

  it("readonly and admin allow every call too", () => {
    for (const [operation, input] of Object.entries(CALLS)) {
      expect(checkOperation("readonly", operation, input, ctx(region)).allowed, operation).toBe(true);
      expect(checkOperation("admin", operation, input, ctx(region)).allowed, operation).toBe(true);
    }
  });
});
