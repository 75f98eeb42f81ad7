/**
 * Every AWS SDK v3 operation the console calls in a customer account (through the assumed
 * role), keyed `"<Client>.<Operation>"` like `"S3.GetObject"`, with the IAM actions it
 * needs and, where the call's input names the resource, the resource ARN IAM checks.
 *
 * Tests record each call the console makes and assert `checkOperation("least", …)`: a new
 * call must be added here (and, when it needs a new action, to `permissions.ts`).
 */
import { explain, type EvalContext, type Evaluation } from "./evaluate";
import type { PolicyVariant } from "./policy";

/** One IAM authorization a call needs. `resource` undefined means `*` (no resource-level permissions). */
export interface RequiredPermission {
  action: string;
  resource?: string;
  /** Request condition keys that AWS sets for this authorization. */
  conditions?: Record<string, string>;
}

export interface ArnContext {
  accountId: string;
  region: string;
  partition?: string;
}

type Input = Record<string, unknown>;

export interface OperationSpec {
  actions: string[];
  /** The authorizations for one call; by default each action on `*`. */
  permissions?: (input: Input, ctx: ArnContext) => RequiredPermission[];
}

const str = (input: Input, key: string): string => {
  const value = input[key];
  if (typeof value !== "string" || !value) throw new Error(`Missing ${key} in the call input`);
  return value;
};
const strs = (input: Input, key: string): string[] => {
  const value = input[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
};
const p = (ctx: ArnContext) => ctx.partition ?? "aws";

export const Arn = {
  bucket: (ctx: ArnContext, bucket: string) => `arn:${p(ctx)}:s3:::${bucket}`,
  object: (ctx: ArnContext, bucket: string, key: string) => `arn:${p(ctx)}:s3:::${bucket}/${key}`,
  /** SSM parameter ARNs drop the leading slash of a path name. */
  parameter: (ctx: ArnContext, name: string) =>
    name.startsWith("arn:")
      ? name
      : `arn:${p(ctx)}:ssm:${ctx.region}:${ctx.accountId}:parameter/${name.replace(/^\//, "")}`,
  /** A stack by name (its id is unknown before the call) or by ARN. */
  stack: (ctx: ArnContext, nameOrArn: string) =>
    nameOrArn.startsWith("arn:")
      ? nameOrArn
      : `arn:${p(ctx)}:cloudformation:${ctx.region}:${ctx.accountId}:stack/${nameOrArn}/*`,
  function: (ctx: ArnContext, nameOrArn: string) =>
    nameOrArn.startsWith("arn:")
      ? nameOrArn
      : `arn:${p(ctx)}:lambda:${ctx.region}:${ctx.accountId}:function:${nameOrArn}`,
  /** A log group from its name or ARN (with or without the trailing `:*`). */
  logGroup: (ctx: ArnContext, nameOrArn: string) =>
    nameOrArn.startsWith("arn:")
      ? nameOrArn.endsWith(":*")
        ? nameOrArn
        : `${nameOrArn}:*`
      : `arn:${p(ctx)}:logs:${ctx.region}:${ctx.accountId}:log-group:${nameOrArn}:*`,
  logStream: (ctx: ArnContext, groupNameOrArn: string, stream: string) =>
    `${Arn.logGroup(ctx, groupNameOrArn).replace(/:\*$/, "")}:log-stream:${stream}`,
  /** A CodeBuild project by name or ARN; a build id (`project:uuid`) or build ARN names its project. */
  project: (ctx: ArnContext, nameOrArn: string) =>
    nameOrArn.startsWith("arn:")
      ? nameOrArn.replace(/:build\/([^:]+):[^:]+$/, ":project/$1")
      : `arn:${p(ctx)}:codebuild:${ctx.region}:${ctx.accountId}:project/${nameOrArn.split(":")[0]}`,
  rule: (ctx: ArnContext, name: string, bus?: string) =>
    name.startsWith("arn:")
      ? name
      : `arn:${p(ctx)}:events:${ctx.region}:${ctx.accountId}:rule/${bus && bus !== "default" ? `${bus}/` : ""}${name}`,
};

/** The log groups a Logs call names: `logGroupName`, `logGroupIdentifier`, or their plural forms. */
function logGroups(input: Input): string[] {
  const one = [input.logGroupName, input.logGroupIdentifier].filter((v): v is string => typeof v === "string");
  return [...one, ...strs(input, "logGroupNames"), ...strs(input, "logGroupIdentifiers")];
}

const onLogGroups =
  (action: string) =>
  (input: Input, ctx: ArnContext): RequiredPermission[] => {
    const groups = logGroups(input);
    if (!groups.length) throw new Error(`No log group in the ${action} call input`);
    return groups.map((g) => ({ action, resource: Arn.logGroup(ctx, g) }));
  };

export const OPERATIONS = {
  "STS.GetCallerIdentity": { actions: [], permissions: () => [] },
  "IAM.GetRole": {
    actions: ["iam:GetRole"],
    permissions: (i, c) => [{ action: "iam:GetRole", resource: `arn:${p(c)}:iam::${c.accountId}:role/${str(i, "RoleName")}` }],
  },
  "EC2.DescribeRegions": { actions: ["ec2:DescribeRegions"] },
  "SSM.GetParameter": {
    actions: ["ssm:GetParameter"],
    permissions: (i, c) => [{ action: "ssm:GetParameter", resource: Arn.parameter(c, str(i, "Name")) }],
  },
  "CloudFormation.DescribeStacks": {
    actions: ["cloudformation:DescribeStacks"],
    // without StackName the call lists every stack, which needs `*`
    permissions: (i, c) => [
      {
        action: "cloudformation:DescribeStacks",
        resource: typeof i.StackName === "string" ? Arn.stack(c, i.StackName) : undefined,
      },
    ],
  },
  "S3.ListObjectsV2": {
    actions: ["s3:ListBucket"],
    permissions: (i, c) => [{ action: "s3:ListBucket", resource: Arn.bucket(c, str(i, "Bucket")) }],
  },
  "S3.GetObject": {
    actions: ["s3:GetObject"],
    permissions: (i, c) => [{ action: "s3:GetObject", resource: Arn.object(c, str(i, "Bucket"), str(i, "Key")) }],
  },
  "S3.HeadObject": {
    actions: ["s3:GetObject"],
    permissions: (i, c) => [{ action: "s3:GetObject", resource: Arn.object(c, str(i, "Bucket"), str(i, "Key")) }],
  },
  "S3.GetBucketNotificationConfiguration": {
    actions: ["s3:GetBucketNotification"],
    permissions: (i, c) => [{ action: "s3:GetBucketNotification", resource: Arn.bucket(c, str(i, "Bucket")) }],
  },
  "S3.PutBucketNotificationConfiguration": {
    actions: ["s3:PutBucketNotification"],
    permissions: (i, c) => [{ action: "s3:PutBucketNotification", resource: Arn.bucket(c, str(i, "Bucket")) }],
  },
  "Lambda.GetFunction": {
    actions: ["lambda:GetFunction"],
    permissions: (i, c) => [{ action: "lambda:GetFunction", resource: Arn.function(c, str(i, "FunctionName")) }],
  },
  "Lambda.ListFunctions": { actions: ["lambda:ListFunctions"] },
  "Lambda.Invoke": {
    actions: ["lambda:InvokeFunction"],
    permissions: (i, c) => [{ action: "lambda:InvokeFunction", resource: Arn.function(c, str(i, "FunctionName")) }],
  },
  "CloudWatchLogs.PutSubscriptionFilter": {
    actions: ["logs:PutSubscriptionFilter"],
    // authorized on the log group and on the destination; a role for the destination is passed
    permissions: (i, c) => [
      { action: "logs:PutSubscriptionFilter", resource: Arn.logGroup(c, str(i, "logGroupName")) },
      { action: "logs:PutSubscriptionFilter", resource: str(i, "destinationArn") },
      ...(typeof i.roleArn === "string"
        ? [{ action: "iam:PassRole", resource: i.roleArn, conditions: { "iam:PassedToService": "logs.amazonaws.com" } }]
        : []),
    ],
  },
  "CloudWatchLogs.DeleteSubscriptionFilter": {
    actions: ["logs:DeleteSubscriptionFilter"],
    permissions: onLogGroups("logs:DeleteSubscriptionFilter"),
  },
  "CloudWatchLogs.DescribeSubscriptionFilters": {
    actions: ["logs:DescribeSubscriptionFilters"],
    permissions: onLogGroups("logs:DescribeSubscriptionFilters"),
  },
  "CloudWatchLogs.CreateLogGroup": {
    actions: ["logs:CreateLogGroup"],
    permissions: onLogGroups("logs:CreateLogGroup"),
  },
  "CloudWatchLogs.DescribeLogGroups": {
    actions: ["logs:DescribeLogGroups"],
    // authorized against the account's log groups as a whole, whatever the prefix
    permissions: (_, c) => [
      { action: "logs:DescribeLogGroups", resource: `arn:${p(c)}:logs:${c.region}:${c.accountId}:log-group:*` },
    ],
  },
  "CloudWatchLogs.FilterLogEvents": {
    actions: ["logs:FilterLogEvents"],
    permissions: onLogGroups("logs:FilterLogEvents"),
  },
  "CloudWatchLogs.GetLogEvents": {
    actions: ["logs:GetLogEvents"],
    permissions: (i, c) => {
      const group = logGroups(i)[0];
      if (!group) throw new Error("No log group in the logs:GetLogEvents call input");
      return [{ action: "logs:GetLogEvents", resource: Arn.logStream(c, group, str(i, "logStreamName")) }];
    },
  },
  "CloudWatchLogs.DescribeLogStreams": {
    actions: ["logs:DescribeLogStreams"],
    permissions: onLogGroups("logs:DescribeLogStreams"),
  },
  "CloudWatchLogs.StartQuery": {
    actions: ["logs:StartQuery"],
    permissions: onLogGroups("logs:StartQuery"),
  },
  "CloudWatchLogs.GetQueryResults": { actions: ["logs:GetQueryResults"] },
  "CloudWatchLogs.StopQuery": { actions: ["logs:StopQuery"] },
  "CloudWatchLogs.StartLiveTail": {
    actions: ["logs:StartLiveTail"],
    permissions: onLogGroups("logs:StartLiveTail"),
  },
  "CloudWatch.GetMetricData": { actions: ["cloudwatch:GetMetricData"] },
  "EventBridge.PutRule": {
    actions: ["events:PutRule"],
    permissions: (i, c) => [
      { action: "events:PutRule", resource: Arn.rule(c, str(i, "Name"), i.EventBusName as string | undefined) },
    ],
  },
  "EventBridge.PutTargets": {
    actions: ["events:PutTargets", "iam:PassRole"],
    // every target role is passed to EventBridge
    permissions: (i, c) => {
      const targets = Array.isArray(i.Targets) ? (i.Targets as { RoleArn?: unknown }[]) : [];
      return [
        { action: "events:PutTargets", resource: Arn.rule(c, str(i, "Rule"), i.EventBusName as string | undefined) },
        ...targets
          .map((t) => t.RoleArn)
          .filter((r): r is string => typeof r === "string")
          .map((r) => ({
            action: "iam:PassRole",
            resource: r,
            conditions: { "iam:PassedToService": "events.amazonaws.com" },
          })),
      ];
    },
  },
  "EventBridge.DeleteRule": {
    actions: ["events:DeleteRule"],
    permissions: (i, c) => [
      { action: "events:DeleteRule", resource: Arn.rule(c, str(i, "Name"), i.EventBusName as string | undefined) },
    ],
  },
  "EventBridge.RemoveTargets": {
    actions: ["events:RemoveTargets"],
    permissions: (i, c) => [
      { action: "events:RemoveTargets", resource: Arn.rule(c, str(i, "Rule"), i.EventBusName as string | undefined) },
    ],
  },
  "EventBridge.DescribeRule": {
    actions: ["events:DescribeRule"],
    permissions: (i, c) => [
      { action: "events:DescribeRule", resource: Arn.rule(c, str(i, "Name"), i.EventBusName as string | undefined) },
    ],
  },
  "EventBridge.ListTargetsByRule": {
    actions: ["events:ListTargetsByRule"],
    permissions: (i, c) => [
      {
        action: "events:ListTargetsByRule",
        resource: Arn.rule(c, str(i, "Rule"), i.EventBusName as string | undefined),
      },
    ],
  },
  // autodeploy (with `Autodeploy=true`)
  "CodeBuild.BatchGetProjects": {
    actions: ["codebuild:BatchGetProjects"],
    permissions: (i, c) => strs(i, "names").map((n) => ({ action: "codebuild:BatchGetProjects", resource: Arn.project(c, n) })),
  },
  "CodeBuild.CreateProject": {
    actions: ["codebuild:CreateProject", "iam:PassRole"],
    // the service role is passed to CodeBuild
    permissions: (i, c) => [
      { action: "codebuild:CreateProject", resource: Arn.project(c, str(i, "name")) },
      { action: "iam:PassRole", resource: str(i, "serviceRole"), conditions: { "iam:PassedToService": "codebuild.amazonaws.com" } },
    ],
  },
  "CodeBuild.StartBuild": {
    actions: ["codebuild:StartBuild"],
    permissions: (i, c) => [
      { action: "codebuild:StartBuild", resource: Arn.project(c, str(i, "projectName")) },
      ...(typeof i.serviceRoleOverride === "string"
        ? [{ action: "iam:PassRole", resource: i.serviceRoleOverride, conditions: { "iam:PassedToService": "codebuild.amazonaws.com" } }]
        : []),
    ],
  },
  "CodeBuild.BatchGetBuilds": {
    actions: ["codebuild:BatchGetBuilds"],
    permissions: (i, c) => strs(i, "ids").map((id) => ({ action: "codebuild:BatchGetBuilds", resource: Arn.project(c, id) })),
  },
  "CodeBuild.StopBuild": {
    actions: ["codebuild:StopBuild"],
    permissions: (i, c) => [{ action: "codebuild:StopBuild", resource: Arn.project(c, str(i, "id")) }],
  },
  "SSM.PutParameter": {
    actions: ["ssm:PutParameter"],
    permissions: (i, c) => [{ action: "ssm:PutParameter", resource: Arn.parameter(c, str(i, "Name")) }],
  },
  "SSM.DeleteParameter": {
    actions: ["ssm:DeleteParameter"],
    permissions: (i, c) => [{ action: "ssm:DeleteParameter", resource: Arn.parameter(c, str(i, "Name")) }],
  },
} satisfies Record<string, OperationSpec>;

export type Operation = keyof typeof OPERATIONS;

export function isOperation(name: string): name is Operation {
  return Object.hasOwn(OPERATIONS, name);
}

/** The IAM actions of an operation. */
export function operationActions(operation: Operation): string[] {
  return OPERATIONS[operation].actions;
}

/**
 * The authorizations one call needs, with the resource ARNs derived from its input
 * (bucket -> `arn:aws:s3:::bucket`, key -> `arn:aws:s3:::bucket/key`, log group ->
 * `arn:aws:logs:region:account:log-group:NAME:*`, function name -> its ARN, ...).
 */
export function requiredPermissions(operation: string, input: Input, ctx: ArnContext): RequiredPermission[] {
  if (!isOperation(operation)) {
    throw new Error(`Unknown operation "${operation}": add it to OPERATIONS in packages/workspace-template`);
  }
  const spec: OperationSpec = OPERATIONS[operation];
  if (spec.permissions) return spec.permissions(input, ctx);
  return spec.actions.map((action) => ({ action }));
}

export interface OperationCheck {
  operation: string;
  allowed: boolean;
  required: RequiredPermission[];
  denied: (RequiredPermission & Pick<Evaluation, "unresolved">)[];
}

/**
 * Whether the role generated for `variant` allows one call. `context.region` is the
 * region the call was made in; `context.parameters` carries `ConnectionId` and
 * `ConsoleAccountId`.
 */
export function checkOperation(
  variant: PolicyVariant,
  operation: string,
  input: Input,
  context: EvalContext & { region: string },
): OperationCheck {
  const required = requiredPermissions(operation, input, context);
  const denied: OperationCheck["denied"] = [];
  for (const r of required) {
    const result = explain(variant, r.action, r.resource, {
      ...context,
      conditions: { ...context.conditions, ...r.conditions },
    });
    if (!result.allowed) denied.push({ ...r, unresolved: result.unresolved });
  }
  return { operation, allowed: denied.length === 0, required, denied };
}
