/**
 * The permission policies of the console's role, in three variants:
 *
 * - `least` (default): an inline policy with exactly the grants of `permissions.ts`.
 * - `readonly`: the AWS managed `ReadOnlyAccess` policy, plus an inline policy with the
 *   actions of those grants that `ReadOnlyAccess` does not include (the write list),
 *   scoped the same way.
 * - `admin`: the AWS managed `AdministratorAccess` policy, for users who ask for it.
 */
import { actionMatches } from "./match";
import { AUTODEPLOY_GRANTS, GRANTS, READ_ONLY_ACCESS_PATTERNS, type Grant } from "./permissions";

export const POLICY_VARIANTS = ["least", "readonly", "admin"] as const;
export type PolicyVariant = (typeof POLICY_VARIANTS)[number];

export function isPolicyVariant(value: string): value is PolicyVariant {
  return (POLICY_VARIANTS as readonly string[]).includes(value);
}

export type Sub = { "Fn::Sub": string };
/** A plain string, or a CloudFormation `Fn::Sub` when it names a parameter or pseudo parameter. */
export type CfnString = string | Sub;

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: CfnString[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export function sub(value: string): CfnString {
  return value.includes("${") ? { "Fn::Sub": value } : value;
}

/** AWS managed policies attached in each variant (by name). */
export const MANAGED_POLICIES: Record<PolicyVariant, string[]> = {
  least: [],
  readonly: ["ReadOnlyAccess"],
  admin: ["AdministratorAccess"],
};

export function managedPolicyArn(name: string): Sub {
  return { "Fn::Sub": `arn:\${AWS::Partition}:iam::aws:policy/${name}` };
}

/** Whether the managed `ReadOnlyAccess` policy includes this action (for the actions the console uses). */
export function readOnlyAccessIncludes(action: string): boolean {
  return READ_ONLY_ACCESS_PATTERNS.some((p) => actionMatches(p, action));
}

function statement(grant: Grant, actions: string[]): PolicyStatement {
  return {
    Sid: grant.sid,
    Effect: "Allow",
    Action: actions,
    Resource: grant.resources.map(sub),
    ...(grant.condition ? { Condition: grant.condition } : {}),
  };
}

function policyOf(variant: PolicyVariant, grants: Grant[]): PolicyDocument | undefined {
  if (variant === "admin") return undefined;
  const statements: PolicyStatement[] = [];
  for (const grant of grants) {
    const actions = variant === "least" ? grant.actions : grant.actions.filter((a) => !readOnlyAccessIncludes(a));
    if (actions.length) statements.push(statement(grant, actions));
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** The inline policy of the role, or undefined when the variant has none. */
export function inlinePolicy(variant: PolicyVariant): PolicyDocument | undefined {
  return policyOf(variant, GRANTS);
}

/**
 * The policy the template attaches to the role when autodeploy is on (`Autodeploy=true`),
 * or undefined when the variant needs none (`admin`).
 */
export function autodeployPolicy(variant: PolicyVariant): PolicyDocument | undefined {
  return policyOf(variant, AUTODEPLOY_GRANTS);
}

/** The name of the role's autodeploy policy. */
export const AUTODEPLOY_POLICY_NAME = "console-autodeploy";

/** The name of the role's inline policy. */
export const INLINE_POLICY_NAME = "console";
