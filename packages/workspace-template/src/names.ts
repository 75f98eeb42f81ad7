/**
 * Names and shapes shared by the template and by the console's own code.
 *
 * The stack creates, in its own region (us-east-1), the EventBridge rule that forwards
 * the SST bootstrap buckets' S3 events to the console's bus. Buckets in other regions send
 * their events to the default bus of their own region, so the console creates a rule with
 * the same name and pattern there itself, passing the forwarder role the stack created.
 * Both sides build those values from this file, so they cannot drift apart; the least
 * privilege policy scopes `events:*Rule*` and `iam:PassRole` to exactly these names.
 */

/** The only region the stack may be deployed to (asserted by the template's `Rules`). */
export const TEMPLATE_REGION = "us-east-1";

/**
 * Sent to the console in the custom resource's `Version` property. Bump it when the
 * template changes in a way the console must know about: CloudFormation then sends an
 * Update to the console when the customer updates the stack.
 */
export const TEMPLATE_VERSION = "1";

/** Prefix of every name the stack and the console create in a customer account. */
export const NAME_PREFIX = "console-";

/**
 * Parameter constraints, as CloudFormation `AllowedPattern` strings (the builder checks
 * its options with the same expressions).
 */
export const PATTERNS = {
  /** A workspace connection id: a lowercase ULID-like string of 26 characters. */
  connectionId: "^[0-9a-z]{26}$",
  /** The external id secret: url-safe characters (length checked separately). */
  externalId: "^[A-Za-z0-9_-]+$",
  accountId: "^[0-9]{12}$",
  /** A custom resource service token: a Lambda function or SNS topic ARN, in the stack's region (us-east-1). */
  serviceToken: "^arn:aws:(lambda|sns):us-east-1:[0-9]{12}:[A-Za-z0-9._:-]+$",
  /** An EventBridge bus ARN (the console's bus, in the console's account). */
  busArn: "^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$",
} as const;

export const EXTERNAL_ID_MIN_LENGTH = 32;
export const EXTERNAL_ID_MAX_LENGTH = 128;

export function isConnectionId(value: string): boolean {
  return new RegExp(PATTERNS.connectionId).test(value);
}

export function isExternalId(value: string): boolean {
  return (
    value.length >= EXTERNAL_ID_MIN_LENGTH &&
    value.length <= EXTERNAL_ID_MAX_LENGTH &&
    new RegExp(PATTERNS.externalId).test(value)
  );
}

export function isAccountId(value: string): boolean {
  return new RegExp(PATTERNS.accountId).test(value);
}

/** `console-<connectionId>`: the role the console assumes. */
export function roleName(connectionId: string): string {
  return `${NAME_PREFIX}${connectionId}`;
}

export function roleArn(accountId: string, connectionId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName(connectionId)}`;
}

/** `console-<connectionId>-forwarder`: the role EventBridge uses to put events on the console's bus. */
export function forwarderRoleName(connectionId: string): string {
  return `${NAME_PREFIX}${connectionId}-forwarder`;
}

export function forwarderRoleArn(accountId: string, connectionId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${forwarderRoleName(connectionId)}`;
}

/** Every rule the stack or the console creates for a connection starts with this. */
export function ruleNamePrefix(connectionId: string): string {
  return `${NAME_PREFIX}${connectionId}-`;
}

/** The bootstrap-bucket forwarding rule: the same name in every region. */
export function bootstrapRuleName(connectionId: string): string {
  return `${ruleNamePrefix(connectionId)}bootstrap`;
}

/** The target id of the console's bus on the forwarding rule. */
export const BUS_TARGET_ID = "console-bus";

/** The CloudFormation stack name the quick-create link proposes. */
export function stackName(connectionId: string): string {
  return `${NAME_PREFIX}${connectionId}`;
}

/**
 * SST bootstrap bucket name prefixes. v3+ keeps its state in `sst-state-<id>` and its
 * assets (source maps among them) in `sst-asset-<id>`; v2 keeps both stack metadata and
 * source maps in the `SSTBootstrap` stack's CDK-named bucket `sstbootstrap-<...>`.
 */
export const BOOTSTRAP_BUCKET_PREFIXES = {
  state: "sst-state-",
  asset: "sst-asset-",
  v2: "sstbootstrap-",
} as const;

/**
 * Buckets whose S3 events are forwarded: v3 state buckets and v2 bootstrap buckets. Asset
 * buckets are read for source maps only; their uploads do not change a stage.
 */
export const WATCHED_BUCKET_PREFIXES = [BOOTSTRAP_BUCKET_PREFIXES.state, BOOTSTRAP_BUCKET_PREFIXES.v2] as const;

export function isWatchedBucket(bucket: string): boolean {
  return WATCHED_BUCKET_PREFIXES.some((p) => bucket.startsWith(p));
}

export interface BootstrapEventPattern {
  source: ["aws.s3"];
  "detail-type": ["Object Created", "Object Deleted"];
  detail: { bucket: { name: { prefix: string }[] } };
}

/** The EventBridge pattern of the forwarding rule (S3 "EventBridge notifications" events). */
export function bootstrapEventPattern(): BootstrapEventPattern {
  return {
    source: ["aws.s3"],
    "detail-type": ["Object Created", "Object Deleted"],
    detail: { bucket: { name: WATCHED_BUCKET_PREFIXES.map((prefix) => ({ prefix })) } },
  };
}

export const BOOTSTRAP_RULE_DESCRIPTION = "Forwards SST bootstrap bucket events to Console";

/**
 * The inputs of the EventBridge `PutRule` and `PutTargets` calls the console makes in a
 * region other than the stack's, shaped like the AWS SDK v3 command inputs.
 */
export function bootstrapRuleInputs(input: {
  connectionId: string;
  accountId: string;
  busArn: string;
  partition?: string;
}) {
  const name = bootstrapRuleName(input.connectionId);
  return {
    putRule: {
      Name: name,
      Description: BOOTSTRAP_RULE_DESCRIPTION,
      EventPattern: JSON.stringify(bootstrapEventPattern()),
      State: "ENABLED" as const,
    },
    putTargets: {
      Rule: name,
      Targets: [
        {
          Id: BUS_TARGET_ID,
          Arn: input.busArn,
          RoleArn: forwarderRoleArn(input.accountId, input.connectionId, input.partition),
        },
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------
// Autodeploy (the template's optional part, `Autodeploy=true`)

/**
 * `console-<connectionId>-autodeploy`: the CodeBuild project the console creates in each
 * region it deploys to (one per connection and region; builds of every app and stage run
 * in it, each with its own buildspec), and its log group `/aws/codebuild/<project>`.
 */
export function autodeployProjectName(connectionId: string): string {
  return `${NAME_PREFIX}${connectionId}-autodeploy`;
}

export function autodeployLogGroup(connectionId: string): string {
  return `/aws/codebuild/${autodeployProjectName(connectionId)}`;
}

/** `console-<connectionId>-runner`: the role CodeBuild runs `sst deploy` with (the project's service role). */
export function runnerRoleName(connectionId: string): string {
  return `${NAME_PREFIX}${connectionId}-runner`;
}

export function runnerRoleArn(accountId: string, connectionId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${runnerRoleName(connectionId)}`;
}

/**
 * Where one build's secrets (the checkout token and the stage's variables) wait for it:
 * an SSM SecureString `/console/<connectionId>/autodeploy/<runId>` the console writes before
 * the build and deletes after it. The build names it, never its value.
 */
export function autodeploySecretPrefix(connectionId: string): string {
  return `/console/${connectionId}/autodeploy/`;
}

export function autodeploySecretName(connectionId: string, runId: string): string {
  return `${autodeploySecretPrefix(connectionId)}${runId}`;
}
