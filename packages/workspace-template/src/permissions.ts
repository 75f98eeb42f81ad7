/**
 * What the console does in a customer account, feature by feature: the IAM actions and
 * the resources they are scoped to. The `least` policy of the template is built from this
 * table and nothing else, so the template and the console's code cannot drift apart.
 *
 * Resources are CloudFormation `Fn::Sub` strings. Besides the pseudo parameters
 * (`${AWS::Partition}`, `${AWS::AccountId}`) they may name the template's parameters
 * `${ConnectionId}` and `${ConsoleAccountId}`. `"*"` is used only for actions that have
 * no resource type in the IAM service authorization reference (they cannot be scoped):
 * ec2:DescribeRegions, lambda:ListFunctions, logs:GetQueryResults, logs:StopQuery and
 * cloudwatch:GetMetricData.
 */
import { BOOTSTRAP_BUCKET_PREFIXES as B, NAME_PREFIX } from "./names";

export const FEATURES = ["discovery", "issues", "logs", "invoke", "usage"] as const;
export type Feature = (typeof FEATURES)[number];
/** Features the customer turns on with a template parameter (their grants live in a policy of their own). */
export const OPTIONAL_FEATURES = ["autodeploy"] as const;
export type OptionalFeature = (typeof OPTIONAL_FEATURES)[number];

export interface Grant {
  /** Statement id in the generated policy (alphanumeric). */
  sid: string;
  feature: Feature | OptionalFeature;
  /** Why the console needs it (shown in docs and reviews). */
  purpose: string;
  actions: string[];
  /** `Fn::Sub` strings, or `"*"` for actions without resource-level permissions. */
  resources: string[];
  /** IAM condition block (operator -> key -> value), e.g. `iam:PassedToService`. */
  condition?: Record<string, Record<string, string | string[]>>;
}

const ARN = "arn:${AWS::Partition}";
const ACCOUNT = "${AWS::AccountId}";

const bucket = (prefix: string) => `${ARN}:s3:::${prefix}*`;
const objects = (prefix: string) => `${ARN}:s3:::${prefix}*/*`;

/** Lambda log groups, and everything under them (log streams). */
export const LAMBDA_LOG_GROUPS = `${ARN}:logs:*:${ACCOUNT}:log-group:/aws/lambda/*`;
/** Any log group of the account: `DescribeLogGroups` is authorized against the account's log groups, not one of them. */
export const ALL_LOG_GROUPS = `${ARN}:logs:*:${ACCOUNT}:log-group:*`;
/** The console's CloudWatch Logs destinations (in the console's account) that subscription filters point to. */
export const CONSOLE_DESTINATIONS = `${ARN}:logs:*:\${ConsoleAccountId}:destination:*`;
export const FUNCTIONS = `${ARN}:lambda:*:${ACCOUNT}:function:*`;
export const CONSOLE_RULES = `${ARN}:events:*:${ACCOUNT}:rule/${NAME_PREFIX}\${ConnectionId}-*`;
export const FORWARDER_ROLE = `${ARN}:iam::${ACCOUNT}:role/${NAME_PREFIX}\${ConnectionId}-forwarder`;
/** The role the console itself assumes (the connection's own role). */
export const OWN_ROLE = `${ARN}:iam::${ACCOUNT}:role/${NAME_PREFIX}\${ConnectionId}`;
/** SSM parameter ARNs drop the name's leading slash: `/sst/bootstrap` -> `parameter/sst/bootstrap`. */
export const BOOTSTRAP_PARAMETER = `${ARN}:ssm:*:${ACCOUNT}:parameter/sst/bootstrap`;
export const V2_BOOTSTRAP_STACK = `${ARN}:cloudformation:*:${ACCOUNT}:stack/SSTBootstrap/*`;

export const GRANTS: Grant[] = [
  // discovery: find SST apps and stages in every region, and keep them fresh
  {
    sid: "DiscoveryOwnRole",
    feature: "discovery",
    purpose: "confirm, when connecting, that the role the console assumed is this connection's role, as the stack created it",
    actions: ["iam:GetRole"],
    resources: [OWN_ROLE],
  },
  {
    sid: "DiscoveryRegions",
    feature: "discovery",
    purpose: "list the enabled regions to scan",
    actions: ["ec2:DescribeRegions"],
    resources: ["*"],
  },
  {
    sid: "DiscoveryBootstrapParameter",
    feature: "discovery",
    purpose: "read the SST v3 bootstrap parameter that names the state and asset buckets",
    actions: ["ssm:GetParameter"],
    resources: [BOOTSTRAP_PARAMETER],
  },
  {
    sid: "DiscoveryBootstrapStack",
    feature: "discovery",
    purpose: "read the SST v2 SSTBootstrap stack outputs (its bucket)",
    actions: ["cloudformation:DescribeStacks"],
    resources: [V2_BOOTSTRAP_STACK],
  },
  {
    sid: "DiscoveryBootstrapBuckets",
    feature: "discovery",
    purpose: "list state files, and turn on EventBridge notifications on the bootstrap buckets",
    actions: ["s3:ListBucket", "s3:GetBucketNotification", "s3:PutBucketNotification"],
    resources: [bucket(B.state), bucket(B.v2)],
  },
  {
    sid: "DiscoveryBootstrapObjects",
    feature: "discovery",
    purpose: "read SST v3 state files and SST v2 stack metadata",
    actions: ["s3:GetObject"],
    resources: [objects(B.state), objects(B.v2)],
  },
  {
    sid: "DiscoveryFunctions",
    feature: "discovery",
    purpose: "read function runtime, handler and size",
    actions: ["lambda:GetFunction"],
    resources: [FUNCTIONS],
  },
  {
    sid: "DiscoveryListFunctions",
    feature: "discovery",
    purpose: "list functions (no resource-level permissions exist for this action)",
    actions: ["lambda:ListFunctions"],
    resources: ["*"],
  },
  {
    sid: "DiscoveryRules",
    feature: "discovery",
    purpose: "forward bootstrap bucket events from other regions to the console, and remove those rules on disconnect",
    actions: [
      "events:PutRule",
      "events:PutTargets",
      "events:DeleteRule",
      "events:RemoveTargets",
      "events:DescribeRule",
      "events:ListTargetsByRule",
    ],
    resources: [CONSOLE_RULES],
  },
  {
    sid: "DiscoveryPassForwarderRole",
    feature: "discovery",
    purpose: "give the forwarding rules the stack's forwarder role",
    actions: ["iam:PassRole"],
    resources: [FORWARDER_ROLE],
    condition: { StringEquals: { "iam:PassedToService": "events.amazonaws.com" } },
  },
  // issues: subscribe to Lambda logs, map stack traces with source maps
  {
    sid: "IssuesSubscriptions",
    feature: "issues",
    purpose: "put, inspect and remove the subscription filters that send errors to the console",
    actions: [
      "logs:PutSubscriptionFilter",
      "logs:DeleteSubscriptionFilter",
      "logs:DescribeSubscriptionFilters",
      "logs:CreateLogGroup",
    ],
    resources: [LAMBDA_LOG_GROUPS],
  },
  {
    sid: "IssuesDestination",
    feature: "issues",
    purpose: "point subscription filters at the console's destinations",
    actions: ["logs:PutSubscriptionFilter"],
    resources: [CONSOLE_DESTINATIONS],
  },
  {
    sid: "IssuesLogGroups",
    feature: "issues",
    purpose: "find which function log groups exist",
    actions: ["logs:DescribeLogGroups"],
    resources: [ALL_LOG_GROUPS],
  },
  {
    sid: "IssuesSourceMapBuckets",
    feature: "issues",
    purpose: "find source maps in the asset (v3) and bootstrap (v2) buckets",
    actions: ["s3:ListBucket"],
    resources: [bucket(B.asset), bucket(B.v2)],
  },
  {
    sid: "IssuesSourceMaps",
    feature: "issues",
    purpose: "read source maps",
    actions: ["s3:GetObject"],
    resources: [objects(B.asset), objects(B.v2)],
  },
  // logs: past logs, search, live tail
  {
    sid: "LogsRead",
    feature: "logs",
    purpose: "read, search and tail function logs",
    actions: [
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:DescribeLogStreams",
      "logs:StartQuery",
      "logs:StartLiveTail",
    ],
    resources: [LAMBDA_LOG_GROUPS],
  },
  {
    sid: "LogsQueryResults",
    feature: "logs",
    purpose: "fetch or stop a Logs Insights query (no resource-level permissions exist for these actions)",
    actions: ["logs:GetQueryResults", "logs:StopQuery"],
    resources: ["*"],
  },
  // invoke
  {
    sid: "InvokeFunctions",
    feature: "invoke",
    purpose: "invoke a function and replay invocations",
    actions: ["lambda:InvokeFunction"],
    resources: [FUNCTIONS],
  },
  // usage
  {
    sid: "UsageMetrics",
    feature: "usage",
    purpose: "count invocations per function (no resource-level permissions exist for this action)",
    actions: ["cloudwatch:GetMetricData"],
    resources: ["*"],
  },
];

/** The autodeploy project (one per connection, in each region the console deploys to). */
export const AUTODEPLOY_PROJECTS = `${ARN}:codebuild:*:${ACCOUNT}:project/${NAME_PREFIX}\${ConnectionId}-autodeploy`;
/** The runner role: the CodeBuild project's service role. */
export const RUNNER_ROLE = `${ARN}:iam::${ACCOUNT}:role/${NAME_PREFIX}\${ConnectionId}-runner`;
/** One build's secrets (SSM SecureString parameters; the ARN drops the name's leading slash). */
export const AUTODEPLOY_SECRETS = `${ARN}:ssm:*:${ACCOUNT}:parameter/console/\${ConnectionId}/autodeploy/*`;
/** The autodeploy project's log group and its streams. */
export const AUTODEPLOY_LOG_GROUP = `${ARN}:logs:*:${ACCOUNT}:log-group:/aws/codebuild/${NAME_PREFIX}\${ConnectionId}-autodeploy`;

/**
 * What the console does in a customer account when autodeploy is on (`Autodeploy=true`):
 * a policy of its own on the console's role, attached only then. Exactly the calls of
 * `packages/core/src/autodeploy/codebuild.ts`, each scoped to the connection's project,
 * runner role, secrets and log group.
 */
export const AUTODEPLOY_GRANTS: Grant[] = [
  {
    sid: "AutodeployProject",
    feature: "autodeploy",
    purpose: "create the autodeploy CodeBuild project once per region, start builds in it, read their state and stop them",
    actions: [
      "codebuild:BatchGetProjects",
      "codebuild:CreateProject",
      "codebuild:StartBuild",
      "codebuild:BatchGetBuilds",
      "codebuild:StopBuild",
    ],
    resources: [AUTODEPLOY_PROJECTS],
  },
  {
    sid: "AutodeployPassRunnerRole",
    feature: "autodeploy",
    purpose: "give the project the runner role (the role `sst deploy` runs with), to CodeBuild only",
    actions: ["iam:PassRole"],
    resources: [RUNNER_ROLE],
    condition: { StringEquals: { "iam:PassedToService": "codebuild.amazonaws.com" } },
  },
  {
    sid: "AutodeploySecrets",
    feature: "autodeploy",
    purpose: "hand a build its checkout token and the stage's variables as a SecureString it reads by name, and delete it after the build",
    actions: ["ssm:PutParameter", "ssm:DeleteParameter"],
    resources: [AUTODEPLOY_SECRETS],
  },
  {
    sid: "AutodeployLogs",
    feature: "autodeploy",
    purpose: "read a build's log lines",
    actions: ["logs:GetLogEvents"],
    resources: [`${AUTODEPLOY_LOG_GROUP}:log-stream:*`],
  },
];

/** Every IAM action the console uses when autodeploy is on (besides `ALL_ACTIONS`). */
export const AUTODEPLOY_ACTIONS: string[] = [...new Set(AUTODEPLOY_GRANTS.flatMap((g) => g.actions))];

/** The IAM actions each feature uses. */
export const FEATURE_ACTIONS: Record<Feature, string[]> = Object.fromEntries(
  FEATURES.map((f) => [f, [...new Set(GRANTS.filter((g) => g.feature === f).flatMap((g) => g.actions))]]),
) as Record<Feature, string[]>;

/** Every IAM action the console uses in a customer account. */
export const ALL_ACTIONS: string[] = [...new Set(GRANTS.flatMap((g) => g.actions))];

/**
 * The actions of `ALL_ACTIONS` that the AWS managed policy `ReadOnlyAccess` grants, as
 * listed in its policy document (checked against version of 2025-09). The `readonly`
 * variant adds an inline policy with the others (the "write list").
 */
export const READ_ONLY_ACCESS_PATTERNS: string[] = [
  "cloudformation:Describe*",
  "cloudformation:Get*",
  "cloudformation:List*",
  "cloudwatch:Describe*",
  "cloudwatch:Get*",
  "cloudwatch:List*",
  "ec2:Describe*",
  "ec2:Get*",
  "events:Describe*",
  "events:List*",
  "iam:Get*",
  "iam:List*",
  "lambda:Get*",
  "lambda:List*",
  "logs:Describe*",
  "logs:Get*",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:StopQuery",
  "logs:StartLiveTail",
  "logs:StopLiveTail",
  "s3:Get*",
  "s3:List*",
  "ssm:Describe*",
  "ssm:Get*",
  "ssm:List*",
  "sts:GetCallerIdentity",
];

/** Actions AWS never checks (no permission is required to call them). */
export const ALWAYS_ALLOWED_ACTIONS = ["sts:GetCallerIdentity"];
