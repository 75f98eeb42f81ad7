/**
 * A small, pure IAM evaluator for the role's generated policies, so tests can assert that
 * every AWS call the console makes through the assumed role is allowed by the `least`
 * policy (and that others are not).
 *
 * It reads the `Role` resource of a generated template: its inline policy documents
 * (Allow and Deny statements; `*` and `?` wildcards in Action and Resource; `Fn::Sub` and
 * `Ref` resolved from the context; conditions
 * with the String and Arn operators) and its managed policies, modelled as follows:
 * `AdministratorAccess` allows everything, `ReadOnlyAccess` allows the read actions of
 * `READ_ONLY_ACCESS_PATTERNS` (the services the console uses; anything else is denied).
 * It does not model permission boundaries, SCPs or resource policies.
 */
import { actionMatches, wildcardMatch } from "./match";
import { ALWAYS_ALLOWED_ACTIONS, READ_ONLY_ACCESS_PATTERNS } from "./permissions";
import type { PolicyVariant } from "./policy";
import { LOGICAL_IDS, buildTemplate, type CfnTemplate } from "./template";

export interface EvalContext {
  /** The customer account (`${AWS::AccountId}`). */
  accountId: string;
  /** `${AWS::Region}`; default us-east-1 (the stack's region). */
  region?: string;
  /** `${AWS::Partition}`; default `aws`. */
  partition?: string;
  /**
   * Template parameter values, e.g. `{ ConnectionId, ConsoleAccountId }`. `evaluate` and
   * `templateAllows` fall back to the template's defaults; `allows` and `explain` never do.
   */
  parameters?: Record<string, string>;
  /** Request condition keys, e.g. `{ "iam:PassedToService": "events.amazonaws.com" }`. */
  conditions?: Record<string, string>;
}

interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: unknown;
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export class EvaluationError extends Error {
  override name = "EvaluationError";
}

export class MissingParameterError extends EvaluationError {
  override name = "MissingParameterError";
  constructor(readonly parameter: string) {
    super(`No value for \${${parameter}}: pass it in context.parameters`);
  }
}

function resolve(value: unknown, template: CfnTemplate, ctx: EvalContext, options: EvalOptions): string {
  const lookup = (name: string): string => {
    switch (name) {
      case "AWS::AccountId":
        return ctx.accountId;
      case "AWS::Region":
        return ctx.region ?? "us-east-1";
      case "AWS::Partition":
        return ctx.partition ?? "aws";
    }
    const given = ctx.parameters?.[name];
    if (given !== undefined) return given;
    const fallback = (template.Parameters as Record<string, { Default?: string } | undefined>)[name]?.Default;
    if (options.parameterDefaults && fallback !== undefined) return fallback;
    throw new MissingParameterError(name);
  };
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (typeof obj["Fn::Sub"] === "string") {
      return (obj["Fn::Sub"] as string).replace(/\$\{([^}!]+)\}/g, (_, name: string) => lookup(name));
    }
    if (typeof obj.Ref === "string") return lookup(obj.Ref);
  }
  throw new EvaluationError(`Cannot resolve ${JSON.stringify(value)}`);
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function conditionHolds(
  condition: Statement["Condition"],
  template: CfnTemplate,
  ctx: EvalContext,
  options: EvalOptions,
): boolean {
  if (!condition) return true;
  const request = new Map(Object.entries(ctx.conditions ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [operator, block] of Object.entries(condition)) {
    const ifExists = operator.endsWith("IfExists");
    const op = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    for (const [key, expected] of Object.entries(block)) {
      const actual = request.get(key.toLowerCase());
      if (actual === undefined) {
        if (ifExists) continue;
        return false;
      }
      const values = list(expected).map((v) => resolve(v, template, ctx, options));
      let ok: boolean;
      switch (op) {
        case "StringEquals":
        case "ArnEquals":
          ok = values.includes(actual);
          break;
        case "StringEqualsIgnoreCase":
          ok = values.some((v) => v.toLowerCase() === actual.toLowerCase());
          break;
        case "StringLike":
        case "ArnLike":
          ok = values.some((v) => wildcardMatch(v, actual));
          break;
        case "StringNotEquals":
          ok = !values.includes(actual);
          break;
        default:
          throw new EvaluationError(`Condition operator ${operator} is not supported by this evaluator`);
      }
      if (!ok) return false;
    }
  }
  return true;
}

function managedStatements(arn: string): Statement[] {
  const name = arn.split(":policy/")[1];
  switch (name) {
    case "AdministratorAccess":
      return [{ Effect: "Allow", Action: "*", Resource: "*" }];
    case "ReadOnlyAccess":
      return [{ Effect: "Allow", Action: READ_ONLY_ACCESS_PATTERNS, Resource: "*" }];
    default:
      throw new EvaluationError(`Managed policy ${arn} is not modelled by this evaluator`);
  }
}

/** The statements of the role in a template, inline and managed. */
function roleStatements(template: CfnTemplate, ctx: EvalContext, options: EvalOptions): Statement[] {
  const role = template.Resources[LOGICAL_IDS.role];
  if (!role) throw new EvaluationError("The template has no role");
  const props = role.Properties as {
    Policies?: { PolicyDocument: { Statement: Statement[] } }[];
    ManagedPolicyArns?: unknown[];
  };
  const statements: Statement[] = [];
  for (const policy of props.Policies ?? []) statements.push(...policy.PolicyDocument.Statement);
  for (const arn of props.ManagedPolicyArns ?? []) statements.push(...managedStatements(resolve(arn, template, ctx, options)));
  // Policies attached to the role by resources of their own (the autodeploy part), when their condition holds.
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== "AWS::IAM::Policy") continue;
    const attached = resource.Properties as { Roles?: unknown[]; PolicyDocument?: { Statement: Statement[] } };
    if (!(attached.Roles ?? []).some((r) => (r as { Ref?: string })?.Ref === LOGICAL_IDS.role)) continue;
    if (resource.Condition && !templateCondition(template, resource.Condition, ctx, options)) continue;
    statements.push(...(attached.PolicyDocument?.Statement ?? []));
  }
  return statements;
}

/**
 * Whether a template condition holds (`Fn::Equals` of parameters and strings). A parameter
 * the context does not give makes it false when defaults are not used (`explain`): an
 * optional part is on only when the caller says so.
 */
function templateCondition(template: CfnTemplate, name: string, ctx: EvalContext, options: EvalOptions): boolean {
  const condition = (template.Conditions as Record<string, unknown> | undefined)?.[name] as { "Fn::Equals"?: unknown[] } | undefined;
  const equals = condition?.["Fn::Equals"];
  if (!Array.isArray(equals) || equals.length !== 2) throw new EvaluationError(`Condition ${name} is not modelled by this evaluator`);
  try {
    return resolve(equals[0], template, ctx, options) === resolve(equals[1], template, ctx, options);
  } catch (err) {
    if (err instanceof MissingParameterError) return false;
    throw err;
  }
}

export interface Evaluation {
  allowed: boolean;
  /** Sids (or indexes) of the statements that allowed or denied the request. */
  matched: string[];
  /** Parameters a statement needed but the context did not give: those statements did not match. */
  unresolved: string[];
}

interface EvalOptions {
  /** Fall back to the template's parameter defaults (true for real templates, false for `allows`). */
  parameterDefaults: boolean;
}

/**
 * Evaluates one request against the role of `template`: `action` on `resourceArn` (omit
 * it, or pass `"*"`, for actions without resource-level permissions).
 */
export function evaluate(
  template: CfnTemplate,
  action: string,
  resourceArn: string | undefined,
  ctx: EvalContext,
  options: EvalOptions = { parameterDefaults: true },
): Evaluation {
  const result: Evaluation = { allowed: false, matched: [], unresolved: [] };
  if (ALWAYS_ALLOWED_ACTIONS.some((a) => actionMatches(a, action))) return { ...result, allowed: true };
  const resource = resourceArn ?? "*";
  const statements = roleStatements(template, ctx, options);
  for (const [i, s] of statements.entries()) {
    if (!list(s.Action).some((a) => actionMatches(String(a), action))) continue;
    let resourceMatch = false;
    for (const r of list(s.Resource)) {
      try {
        if (wildcardMatch(resolve(r, template, ctx, options), resource)) resourceMatch = true;
      } catch (err) {
        if (!(err instanceof MissingParameterError)) throw err;
        result.unresolved.push(err.parameter);
      }
    }
    if (!resourceMatch || !conditionHolds(s.Condition, template, ctx, options)) continue;
    result.matched.push(s.Sid ?? String(i));
    if (s.Effect === "Deny") return { ...result, allowed: false };
    result.allowed = true;
  }
  return result;
}

/** Whether the role of `template` may perform `action` on `resourceArn`. */
export function templateAllows(
  template: CfnTemplate,
  action: string,
  resourceArn: string | undefined,
  ctx: EvalContext,
): boolean {
  return evaluate(template, action, resourceArn, ctx).allowed;
}

const PLACEHOLDER = {
  consoleAccountId: "000000000000",
  consoleBusArn: "arn:aws:events:us-east-1:000000000000:event-bus/console",
  serviceToken: "arn:aws:lambda:us-east-1:000000000000:function:console-connect",
};
const cache = new Map<PolicyVariant, CfnTemplate>();

/** The generated template of a variant, as `allows` reads it (its console values are placeholders, never used). */
export function templateFor(variant: PolicyVariant): CfnTemplate {
  let template = cache.get(variant);
  if (!template) {
    template = buildTemplate({ ...PLACEHOLDER, variant });
    cache.set(variant, template);
  }
  return template;
}

/**
 * Evaluates a request against the role generated for `variant`. Statements scoped by the
 * connection (EventBridge rules, the forwarder role) or by the console's account (log
 * destinations) need `ConnectionId` and `ConsoleAccountId` in `context.parameters`;
 * without them those statements do not match (and `unresolved` says so).
 */
export function explain(
  variant: PolicyVariant,
  action: string,
  resourceArn: string | undefined,
  context: EvalContext,
): Evaluation {
  return evaluate(templateFor(variant), action, resourceArn, context, { parameterDefaults: false });
}

/** Whether the role generated for `variant` may perform `action` on `resourceArn` (see `explain`). */
export function allows(
  variant: PolicyVariant,
  action: string,
  resourceArn: string | undefined,
  context: EvalContext,
): boolean {
  return explain(variant, action, resourceArn, context).allowed;
}
