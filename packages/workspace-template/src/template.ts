/**
 * The CloudFormation template a workspace deploys (in us-east-1) to connect an AWS account.
 *
 * It creates:
 * - `Role`: the role the console assumes. It trusts only the console's AWS account, and
 *   only with the connection's external id (`sts:ExternalId`), for sessions of at most
 *   an hour. Its permissions are one of the policy variants (`policy.ts`).
 * - `ForwarderRole` and `BootstrapRule`: the EventBridge rule that forwards the SST
 *   bootstrap buckets' S3 events of this region to the console's bus, with the role it
 *   uses to put them there (`events:PutEvents` on that bus only). The console creates the
 *   same rule in other regions itself, passing the same role (`names.ts`).
 * - `Connection`: a `Custom::ConsoleConnection` whose service token is the console's, so
 *   the console hears of Create, Update and Delete with the account id, region and role.
 * - a `Rules` assertion that the stack is deployed in us-east-1.
 * - Optional, with `Autodeploy=true` (condition `AutodeployEnabled`): `RunnerRole`, the
 *   role CodeBuild runs a customer's `sst deploy` with (by default `AdministratorAccess`,
 *   which is what deploying arbitrary SST components needs; the customer may name a
 *   narrower managed policy in `AutodeployRunnerPolicyArn`), and `AutodeployPolicy`, the
 *   console role's grants to create the `console-<connection>-autodeploy` CodeBuild project,
 *   pass it the runner role, start, read and stop its builds, read their logs and hand each
 *   build its secrets (`permissions.ts`, `AUTODEPLOY_GRANTS`).
 *
 * Parameters carry the connection id and the external id secret (never the workspace id),
 * and the console's account id, service token and bus ARN, whose defaults are the values
 * of the console deployment that serves the template.
 */
import {
  BOOTSTRAP_RULE_DESCRIPTION,
  BUS_TARGET_ID,
  EXTERNAL_ID_MAX_LENGTH,
  EXTERNAL_ID_MIN_LENGTH,
  NAME_PREFIX,
  PATTERNS,
  TEMPLATE_REGION,
  TEMPLATE_VERSION,
  bootstrapEventPattern,
  isAccountId,
  isConnectionId,
  isExternalId,
} from "./names";
import { AUTODEPLOY_LOG_GROUP, AUTODEPLOY_SECRETS } from "./permissions";
import {
  AUTODEPLOY_POLICY_NAME,
  INLINE_POLICY_NAME,
  autodeployPolicy,
  MANAGED_POLICIES,
  inlinePolicy,
  isPolicyVariant,
  managedPolicyArn,
  type PolicyVariant,
} from "./policy";

export const PARAMETERS = {
  connectionId: "ConnectionId",
  externalId: "ExternalId",
  consoleAccountId: "ConsoleAccountId",
  serviceToken: "ServiceToken",
  consoleBusArn: "ConsoleBusArn",
  autodeploy: "Autodeploy",
  autodeployRunnerPolicyArn: "AutodeployRunnerPolicyArn",
} as const;
export type ParameterName = (typeof PARAMETERS)[keyof typeof PARAMETERS];

export const LOGICAL_IDS = {
  role: "Role",
  forwarderRole: "ForwarderRole",
  bootstrapRule: "BootstrapRule",
  connection: "Connection",
  runnerRole: "RunnerRole",
  autodeployPolicy: "AutodeployPolicy",
} as const;

/** The template condition that holds when the customer turned autodeploy on. */
export const AUTODEPLOY_CONDITION = "AutodeployEnabled";
/** The runner role's default managed policy: `sst deploy` creates and changes any kind of resource. */
export const DEFAULT_RUNNER_POLICY_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

export const CUSTOM_RESOURCE_TYPE = "Custom::ConsoleConnection";

/** The properties the console's custom resource handler receives (besides ServiceToken). */
export interface ConnectionResourceProperties {
  ConnectionId: string;
  AccountId: string;
  Region: string;
  RoleArn: string;
  Version: string;
  PolicyVariant: PolicyVariant;
  /** `"true"` when the stack's autodeploy part is on (a change sends the console an Update). */
  Autodeploy: "true" | "false";
}

export interface TemplateOptions {
  /** Default `least`. */
  variant?: PolicyVariant;
  /** The console's AWS account id: the only account the role trusts. */
  consoleAccountId: string;
  /** The console's EventBridge bus ARN: where bootstrap bucket events are forwarded. */
  consoleBusArn: string;
  /**
   * The console's custom resource handler: a Lambda function or SNS topic ARN in us-east-1
   * (CloudFormation calls it from the stack's region; it must let the customer account call it).
   */
  serviceToken: string;
  /**
   * Parameter defaults for the per-connection values. Normally the quick-create link passes
   * them; a default external id is readable by anyone who can read the template, so use it
   * for tests and local setups only.
   */
  defaults?: { connectionId?: string; externalId?: string };
  /**
   * Leave the `Custom::ConsoleConnection` resource (and the `ServiceToken` parameter) out;
   * default: included. For emulators that cannot run the service token (moto looks it up
   * as a Lambda function of the stack's own account, fails CreateStack with a 404 when it
   * is not there, and would run it in Docker when it is), and for consoles that nothing in
   * AWS can call back (a laptop: the user presses "Check" instead).
   */
  customResource?: boolean;
}

export class TemplateOptionsError extends Error {
  readonly code = "validation";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "TemplateOptionsError";
  }
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface CfnParameter {
  Type: "String";
  Description: string;
  Default?: string;
  AllowedValues?: string[];
  NoEcho?: boolean;
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  ConstraintDescription?: string;
}

export interface CfnResource {
  Type: string;
  Condition?: string;
  DependsOn?: string[];
  Properties: { [key: string]: Json };
}

export interface CfnTemplate {
  AWSTemplateFormatVersion: "2010-09-09";
  Description: string;
  Metadata: { [key: string]: Json };
  /** Every parameter of `PARAMETERS`, except `ServiceToken` when the custom resource is left out. */
  Parameters: Partial<Record<ParameterName, CfnParameter>>;
  Rules: { [key: string]: Json };
  Conditions: { [key: string]: Json };
  Resources: { [logicalId: string]: CfnResource };
  Outputs: { [key: string]: { Description: string; Value: Json; Condition?: string } };
}

const ref = (name: string) => ({ Ref: name });
const subst = (value: string) => ({ "Fn::Sub": value });

function validate(options: TemplateOptions) {
  const variant = options.variant ?? "least";
  if (!isPolicyVariant(variant)) {
    throw new TemplateOptionsError("variant", `Unknown policy variant "${variant}": use least, readonly or admin`);
  }
  if (!isAccountId(options.consoleAccountId)) {
    throw new TemplateOptionsError("consoleAccountId", "The console account id must be 12 digits");
  }
  if (!new RegExp(PATTERNS.busArn).test(options.consoleBusArn)) {
    throw new TemplateOptionsError("consoleBusArn", "The console bus ARN must be an EventBridge event bus ARN");
  }
  if (!new RegExp(PATTERNS.serviceToken).test(options.serviceToken)) {
    throw new TemplateOptionsError(
      "serviceToken",
      "The service token must be a Lambda function or SNS topic ARN in us-east-1 (the stack's region)",
    );
  }
  const { connectionId, externalId } = options.defaults ?? {};
  if (connectionId !== undefined && !isConnectionId(connectionId)) {
    throw new TemplateOptionsError("connectionId", "The connection id must be 26 lowercase letters or digits");
  }
  if (externalId !== undefined && !isExternalId(externalId)) {
    throw new TemplateOptionsError(
      "externalId",
      `The external id must be ${EXTERNAL_ID_MIN_LENGTH} to ${EXTERNAL_ID_MAX_LENGTH} url-safe characters (A-Z a-z 0-9 _ -)`,
    );
  }
  return variant;
}

function parameters(options: TemplateOptions): Partial<Record<ParameterName, CfnParameter>> {
  const { connectionId, externalId } = options.defaults ?? {};
  const all: Record<ParameterName, CfnParameter> = {
    ConnectionId: {
      Type: "String",
      Description: "The id of this connection in Console (not a secret).",
      AllowedPattern: PATTERNS.connectionId,
      MinLength: 26,
      MaxLength: 26,
      ConstraintDescription: "26 lowercase letters or digits",
      ...(connectionId !== undefined ? { Default: connectionId } : {}),
    },
    ExternalId: {
      Type: "String",
      Description: "The secret Console presents when it assumes the role (sts:ExternalId).",
      NoEcho: true,
      AllowedPattern: PATTERNS.externalId,
      MinLength: EXTERNAL_ID_MIN_LENGTH,
      MaxLength: EXTERNAL_ID_MAX_LENGTH,
      ConstraintDescription: `${EXTERNAL_ID_MIN_LENGTH} to ${EXTERNAL_ID_MAX_LENGTH} url-safe characters (A-Z a-z 0-9 _ -)`,
      ...(externalId !== undefined ? { Default: externalId } : {}),
    },
    ConsoleAccountId: {
      Type: "String",
      Description: "The AWS account Console runs in: the only account the role trusts.",
      AllowedPattern: PATTERNS.accountId,
      ConstraintDescription: "12 digits",
      Default: options.consoleAccountId,
    },
    ServiceToken: {
      Type: "String",
      Description: "Console's handler that hears of this stack's creation, updates and deletion.",
      AllowedPattern: PATTERNS.serviceToken,
      ConstraintDescription: "a Lambda function or SNS topic ARN in us-east-1",
      Default: options.serviceToken,
    },
    ConsoleBusArn: {
      Type: "String",
      Description: "Console's EventBridge bus, where SST bootstrap bucket events are forwarded.",
      AllowedPattern: PATTERNS.busArn,
      ConstraintDescription: "an EventBridge event bus ARN",
      Default: options.consoleBusArn,
    },
    Autodeploy: {
      Type: "String",
      Description:
        "Let Console deploy your apps from git pushes: adds a CodeBuild runner role and lets Console run builds with it in this account.",
      AllowedValues: ["false", "true"],
      Default: "false",
    },
    AutodeployRunnerPolicyArn: {
      Type: "String",
      Description:
        "The managed policy the autodeploy runner (sst deploy) gets. AdministratorAccess by default, because a deploy may create any resource; name a narrower policy of yours to restrict it.",
      AllowedPattern: "^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$",
      ConstraintDescription: "an IAM managed policy ARN",
      Default: DEFAULT_RUNNER_POLICY_ARN,
    },
  };
  if (options.customResource === false) {
    // nothing uses it without the custom resource (and CloudFormation warns of unused parameters)
    const { ServiceToken: _, ...rest } = all;
    return rest;
  }
  return all;
}

function roleResource(variant: PolicyVariant): CfnResource {
  const policy = inlinePolicy(variant);
  const managed = MANAGED_POLICIES[variant];
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      RoleName: subst(`${NAME_PREFIX}\${ConnectionId}`),
      Description: "Lets Console read and manage the SST apps of this account",
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: subst("arn:${AWS::Partition}:iam::${ConsoleAccountId}:root") },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": ref(PARAMETERS.externalId) } },
          },
        ],
      },
      ...(managed.length ? { ManagedPolicyArns: managed.map(managedPolicyArn) } : {}),
      ...(policy
        ? { Policies: [{ PolicyName: INLINE_POLICY_NAME, PolicyDocument: policy as unknown as Json }] }
        : {}),
    },
  };
}

function forwarderRoleResource(): CfnResource {
  return {
    Type: "AWS::IAM::Role",
    Properties: {
      RoleName: subst(`${NAME_PREFIX}\${ConnectionId}-forwarder`),
      Description: "Lets EventBridge forward SST bootstrap bucket events to Console's bus",
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: "forward-to-console",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: ref(PARAMETERS.consoleBusArn) }],
          },
        },
      ],
    },
  };
}

function bootstrapRuleResource(): CfnResource {
  return {
    Type: "AWS::Events::Rule",
    Properties: {
      Name: subst(`${NAME_PREFIX}\${ConnectionId}-bootstrap`),
      Description: BOOTSTRAP_RULE_DESCRIPTION,
      State: "ENABLED",
      EventPattern: bootstrapEventPattern() as unknown as Json,
      Targets: [
        {
          Id: BUS_TARGET_ID,
          Arn: ref(PARAMETERS.consoleBusArn),
          RoleArn: { "Fn::GetAtt": [LOGICAL_IDS.forwarderRole, "Arn"] },
        },
      ],
    },
  };
}

function runnerRoleResource(): CfnResource {
  return {
    Type: "AWS::IAM::Role",
    Condition: AUTODEPLOY_CONDITION,
    Properties: {
      RoleName: subst(`${NAME_PREFIX}\${ConnectionId}-runner`),
      Description: "Runs sst deploy for Console autodeploy (the CodeBuild project's service role); restrict it with AutodeployRunnerPolicyArn",
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "codebuild.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ref("AWS::AccountId") } },
          },
        ],
      },
      ManagedPolicyArns: [ref(PARAMETERS.autodeployRunnerPolicyArn)],
      Policies: [
        {
          PolicyName: "console-runner",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "BuildLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: [subst(AUTODEPLOY_LOG_GROUP), subst(`${AUTODEPLOY_LOG_GROUP}:*`)],
              },
              {
                Sid: "BuildSecrets",
                Effect: "Allow",
                Action: ["ssm:GetParameters"],
                Resource: [subst(AUTODEPLOY_SECRETS)],
              },
            ],
          },
        },
      ],
    },
  };
}

function autodeployPolicyResource(variant: PolicyVariant): CfnResource | undefined {
  const policy = autodeployPolicy(variant);
  if (!policy) return undefined;
  return {
    Type: "AWS::IAM::Policy",
    Condition: AUTODEPLOY_CONDITION,
    Properties: {
      PolicyName: AUTODEPLOY_POLICY_NAME,
      PolicyDocument: policy as unknown as Json,
      Roles: [ref(LOGICAL_IDS.role)],
    },
  };
}

function connectionResource(variant: PolicyVariant): CfnResource {
  return {
    Type: CUSTOM_RESOURCE_TYPE,
    // the console scans right after Create: the forwarding rule must exist by then
    DependsOn: [LOGICAL_IDS.bootstrapRule],
    Properties: {
      ServiceToken: ref(PARAMETERS.serviceToken),
      ConnectionId: ref(PARAMETERS.connectionId),
      AccountId: ref("AWS::AccountId"),
      Region: ref("AWS::Region"),
      RoleArn: { "Fn::GetAtt": [LOGICAL_IDS.role, "Arn"] },
      Version: TEMPLATE_VERSION,
      PolicyVariant: variant,
      Autodeploy: ref(PARAMETERS.autodeploy),
    },
  };
}

/** Builds the template. Throws `TemplateOptionsError` on bad options. */
export function buildTemplate(options: TemplateOptions): CfnTemplate {
  const variant = validate(options);
  const resources: Record<string, CfnResource> = {
    [LOGICAL_IDS.role]: roleResource(variant),
    [LOGICAL_IDS.forwarderRole]: forwarderRoleResource(),
    [LOGICAL_IDS.bootstrapRule]: bootstrapRuleResource(),
  };
  resources[LOGICAL_IDS.runnerRole] = runnerRoleResource();
  const autodeploy = autodeployPolicyResource(variant);
  if (autodeploy) resources[LOGICAL_IDS.autodeployPolicy] = autodeploy;
  if (options.customResource !== false) resources[LOGICAL_IDS.connection] = connectionResource(variant);

  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `Connects this AWS account to Console (policy: ${variant}). Deploy in ${TEMPLATE_REGION}.`,
    Metadata: {
      "AWS::CloudFormation::Interface": {
        ParameterGroups: [
          { Label: { default: "Connection" }, Parameters: [PARAMETERS.connectionId, PARAMETERS.externalId] },
          {
            Label: { default: "Console (leave as is)" },
            Parameters: [
              PARAMETERS.consoleAccountId,
              ...(options.customResource === false ? [] : [PARAMETERS.serviceToken]),
              PARAMETERS.consoleBusArn,
            ],
          },
          { Label: { default: "Autodeploy (optional)" }, Parameters: [PARAMETERS.autodeploy, PARAMETERS.autodeployRunnerPolicyArn] },
        ],
        ParameterLabels: {
          ConnectionId: { default: "Connection id" },
          ExternalId: { default: "External id" },
          ConsoleAccountId: { default: "Console account id" },
          ...(options.customResource === false ? {} : { ServiceToken: { default: "Console handler" } }),
          ConsoleBusArn: { default: "Console event bus" },
          Autodeploy: { default: "Deploy from git pushes" },
          AutodeployRunnerPolicyArn: { default: "Runner policy" },
        },
      },
    },
    Parameters: parameters(options),
    Rules: {
      DeployInUsEast1: {
        Assertions: [
          {
            Assert: { "Fn::Equals": [ref("AWS::Region"), TEMPLATE_REGION] },
            AssertDescription: `This stack must be created in ${TEMPLATE_REGION}; Console scans every region from there.`,
          },
        ],
      },
    },
    Conditions: {
      [AUTODEPLOY_CONDITION]: { "Fn::Equals": [ref(PARAMETERS.autodeploy), "true"] },
    },
    Resources: resources,
    Outputs: {
      RoleArn: {
        Description: "The role Console assumes",
        Value: { "Fn::GetAtt": [LOGICAL_IDS.role, "Arn"] },
      },
      ConnectionId: {
        Description: "The Console connection this stack belongs to",
        Value: ref(PARAMETERS.connectionId),
      },
      RunnerRoleArn: {
        Description: "The role autodeploy builds run with",
        Value: { "Fn::GetAtt": [LOGICAL_IDS.runnerRole, "Arn"] },
        Condition: AUTODEPLOY_CONDITION,
      },
    },
  };
}

/** The template as the JSON text CloudFormation reads. */
export function templateJson(options: TemplateOptions): string {
  return `${JSON.stringify(buildTemplate(options), null, 2)}\n`;
}
