import { describe, expect, it } from "vitest";
import {
  ALL_ACTIONS,
  FEATURES,
  FEATURE_ACTIONS,
  GRANTS,
  LOGICAL_IDS,
  allows,
  buildTemplate,
  evaluate,
  explain,
  inlinePolicy,
  readOnlyAccessIncludes,
  templateAllows,
  type CfnTemplate,
} from "./index";
import { wildcardMatch } from "./match";
import { CONNECTION_ID, CONSOLE_ACCOUNT, CUSTOMER_ACCOUNT, OPTIONS, ctx } from "./test-fixtures";

const role = (variant: "least" | "readonly" | "admin") =>
  buildTemplate({ ...OPTIONS, variant }).Resources[LOGICAL_IDS.role]!.Properties as Record<string, any>;

/** A concrete ARN a resource pattern stands for (every `*` filled in). */
function sample(pattern: string): string | undefined {
  if (pattern === "*") return undefined;
  return pattern
    .replaceAll("${AWS::Partition}", "aws")
    .replaceAll("${AWS::AccountId}", CUSTOMER_ACCOUNT)
    .replaceAll("${ConnectionId}", CONNECTION_ID)
    .replaceAll("${ConsoleAccountId}", CONSOLE_ACCOUNT)
    .replaceAll("*", "eu-west-1x");
}

describe("least policy", () => {
  const least = role("least");
  const statements = least.Policies[0].PolicyDocument.Statement as { Action: string[]; Resource: unknown[] }[];

  it("has no managed policy and no wildcard action", () => {
    expect(least.ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(least)).not.toMatch(/AdministratorAccess|ReadOnlyAccess/);
    for (const s of statements) {
      for (const action of s.Action) {
        expect(action).not.toContain("*");
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    }
  });

  it("uses a * resource only for actions that have no resource-level permissions", () => {
    const unscoped = statements.filter((s) => s.Resource.includes("*")).flatMap((s) => s.Action);
    expect(unscoped.sort()).toEqual(
      [
        "ec2:DescribeRegions",
        "lambda:ListFunctions",
        "logs:GetQueryResults",
        "logs:StopQuery",
        "cloudwatch:GetMetricData",
      ].sort(),
    );
  });

  it("contains exactly the feature actions", () => {
    expect(new Set(statements.flatMap((s) => s.Action))).toEqual(new Set(ALL_ACTIONS));
    expect(Object.keys(FEATURE_ACTIONS)).toEqual([...FEATURES]);
    expect(FEATURE_ACTIONS.discovery).toEqual(
      expect.arrayContaining([
        "ec2:DescribeRegions",
        "ssm:GetParameter",
        "s3:ListBucket",
        "s3:GetObject",
        "cloudformation:DescribeStacks",
        "lambda:GetFunction",
        "lambda:ListFunctions",
        "s3:GetBucketNotification",
        "s3:PutBucketNotification",
        "events:PutRule",
        "events:PutTargets",
        "events:DeleteRule",
        "events:RemoveTargets",
        "events:DescribeRule",
        "iam:PassRole",
      ]),
    );
    expect(FEATURE_ACTIONS.issues).toEqual(
      expect.arrayContaining([
        "logs:PutSubscriptionFilter",
        "logs:DeleteSubscriptionFilter",
        "logs:DescribeSubscriptionFilters",
        "logs:CreateLogGroup",
        "logs:DescribeLogGroups",
        "s3:GetObject",
        "s3:ListBucket",
      ]),
    );
    expect(FEATURE_ACTIONS.logs.sort()).toEqual(
      [
        "logs:FilterLogEvents",
        "logs:GetLogEvents",
        "logs:DescribeLogStreams",
        "logs:StartQuery",
        "logs:GetQueryResults",
        "logs:StopQuery",
        "logs:StartLiveTail",
      ].sort(),
    );
    expect(FEATURE_ACTIONS.invoke).toEqual(["lambda:InvokeFunction"]);
    expect(FEATURE_ACTIONS.usage).toEqual(["cloudwatch:GetMetricData"]);
  });

  it("allows every action of every feature on the resources it is granted for", () => {
    for (const grant of GRANTS) {
      for (const action of grant.actions) {
        for (const pattern of grant.resources) {
          const conditions = grant.condition?.StringEquals as Record<string, string> | undefined;
          const result = explain("least", action, sample(pattern), { ...ctx(), conditions });
          expect(result.allowed, `${grant.sid} ${action} on ${sample(pattern)}`).toBe(true);
        }
      }
    }
  });

  it("denies unrelated actions", () => {
    const denied: [string, string | undefined][] = [
      ["s3:DeleteBucket", "arn:aws:s3:::sst-state-abcdefghijkl"],
      ["s3:DeleteObject", "arn:aws:s3:::sst-state-abcdefghijkl/app/my-app/prod.json"],
      ["s3:PutObject", "arn:aws:s3:::sst-asset-abcdefghijkl/sourcemap/x.map"],
      ["iam:CreateUser", `arn:aws:iam::${CUSTOMER_ACCOUNT}:user/mallory`],
      ["iam:CreateRole", `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/console-${CONNECTION_ID}-forwarder`],
      ["iam:PutRolePolicy", `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/console-${CONNECTION_ID}`],
      ["lambda:UpdateFunctionCode", `arn:aws:lambda:us-east-1:${CUSTOMER_ACCOUNT}:function:my-app-prod-api`],
      ["lambda:DeleteFunction", `arn:aws:lambda:us-east-1:${CUSTOMER_ACCOUNT}:function:my-app-prod-api`],
      ["logs:DeleteLogGroup", `arn:aws:logs:us-east-1:${CUSTOMER_ACCOUNT}:log-group:/aws/lambda/fn:*`],
      ["logs:PutLogEvents", `arn:aws:logs:us-east-1:${CUSTOMER_ACCOUNT}:log-group:/aws/lambda/fn:*`],
      ["ssm:PutParameter", `arn:aws:ssm:us-east-1:${CUSTOMER_ACCOUNT}:parameter/sst/bootstrap`],
      ["ssm:GetParameters", undefined],
      ["ec2:RunInstances", undefined],
      ["sts:AssumeRole", `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/admin`],
      ["cloudformation:DeleteStack", `arn:aws:cloudformation:us-east-1:${CUSTOMER_ACCOUNT}:stack/SSTBootstrap/x`],
      ["events:PutEvents", `arn:aws:events:us-east-1:${CUSTOMER_ACCOUNT}:event-bus/default`],
    ];
    for (const [action, resource] of denied) {
      expect(allows("least", action, resource, ctx()), `${action} on ${resource}`).toBe(false);
    }
  });

  it("scopes each action to the resources of its purpose", () => {
    const c = ctx("eu-west-1");
    const denied: [string, string | undefined][] = [
      // other buckets and parameters
      ["s3:GetObject", "arn:aws:s3:::customer-data/secrets.json"],
      ["s3:ListBucket", "arn:aws:s3:::customer-data"],
      ["s3:PutBucketNotification", "arn:aws:s3:::sst-asset-abcdefghijkl"],
      ["s3:PutBucketNotification", "arn:aws:s3:::customer-data"],
      ["ssm:GetParameter", `arn:aws:ssm:eu-west-1:${CUSTOMER_ACCOUNT}:parameter/sst/my-app/prod/Secret/KEY/value`],
      ["ssm:GetParameter", `arn:aws:ssm:eu-west-1:${CUSTOMER_ACCOUNT}:parameter/sst/passphrase/app/prod`],
      ["cloudformation:DescribeStacks", `arn:aws:cloudformation:eu-west-1:${CUSTOMER_ACCOUNT}:stack/other/x`],
      ["cloudformation:DescribeStacks", undefined],
      // other accounts; a bucket is not an object
      ["lambda:InvokeFunction", "arn:aws:lambda:eu-west-1:999999999999:function:fn"],
      ["s3:GetObject", "arn:aws:s3:::sst-state-abcdefghijkl"],
      // log groups that are not Lambda's, destinations not the console's
      ["logs:FilterLogEvents", `arn:aws:logs:eu-west-1:${CUSTOMER_ACCOUNT}:log-group:/ecs/web:*`],
      ["logs:PutSubscriptionFilter", `arn:aws:logs:eu-west-1:${CUSTOMER_ACCOUNT}:log-group:/ecs/web:*`],
      ["logs:PutSubscriptionFilter", "arn:aws:logs:eu-west-1:999999999999:destination:other"],
      // other rules and roles
      ["events:PutRule", `arn:aws:events:eu-west-1:${CUSTOMER_ACCOUNT}:rule/other-rule`],
      ["events:DeleteRule", `arn:aws:events:eu-west-1:${CUSTOMER_ACCOUNT}:rule/console-0000000000000000000000000a-bootstrap`],
      ["iam:PassRole", `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/console-${CONNECTION_ID}`],
    ];
    for (const [action, resource] of denied) {
      expect(allows("least", action, resource, c), `${action} on ${resource}`).toBe(false);
    }
  });

  it("passes the forwarder role only to EventBridge", () => {
    const arn = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/console-${CONNECTION_ID}-forwarder`;
    const pass = (service?: string) =>
      allows("least", "iam:PassRole", arn, {
        ...ctx(),
        conditions: service ? { "iam:PassedToService": service } : {},
      });
    expect(pass("events.amazonaws.com")).toBe(true);
    expect(pass("lambda.amazonaws.com")).toBe(false);
    expect(pass()).toBe(false);
  });

  it("says which parameters a scoped statement needed", () => {
    const rule = `arn:aws:events:us-east-1:${CUSTOMER_ACCOUNT}:rule/console-${CONNECTION_ID}-bootstrap`;
    const result = explain("least", "events:PutRule", rule, { accountId: CUSTOMER_ACCOUNT });
    expect(result.allowed).toBe(false);
    expect(result.unresolved).toEqual(["ConnectionId"]);
    expect(explain("least", "events:PutRule", rule, ctx())).toMatchObject({ allowed: true, matched: ["DiscoveryRules"] });
  });

  it("fits IAM's inline policy size limit", () => {
    const resolved = JSON.stringify(inlinePolicy("least"))
      .replaceAll("${AWS::Partition}", "aws-us-gov")
      .replaceAll("${AWS::AccountId}", CUSTOMER_ACCOUNT)
      .replaceAll("${ConnectionId}", CONNECTION_ID)
      .replaceAll("${ConsoleAccountId}", CONSOLE_ACCOUNT);
    expect(resolved.length).toBeLessThan(10_240);
  });
});

describe("readonly policy", () => {
  const readonly = role("readonly");

  it("attaches ReadOnlyAccess and adds only the write list inline", () => {
    expect(readonly.ManagedPolicyArns).toEqual([{ "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess" }]);
    const inline = (readonly.Policies[0].PolicyDocument.Statement as { Action: string[] }[]).flatMap((s) => s.Action);
    expect([...new Set(inline)].sort()).toEqual(
      [
        "s3:PutBucketNotification",
        "events:PutRule",
        "events:PutTargets",
        "events:DeleteRule",
        "events:RemoveTargets",
        "iam:PassRole",
        "logs:PutSubscriptionFilter",
        "logs:DeleteSubscriptionFilter",
        "logs:CreateLogGroup",
        "lambda:InvokeFunction",
      ].sort(),
    );
    expect(JSON.stringify(readonly)).not.toContain("AdministratorAccess");
  });

  it("allows every feature action, read ones anywhere and write ones where the least policy does", () => {
    for (const grant of GRANTS) {
      for (const action of grant.actions) {
        for (const pattern of grant.resources) {
          const conditions = grant.condition?.StringEquals as Record<string, string> | undefined;
          expect(allows("readonly", action, sample(pattern), { ...ctx(), conditions }), action).toBe(true);
        }
      }
    }
    expect(allows("readonly", "s3:GetObject", "arn:aws:s3:::customer-data/secrets.json", ctx())).toBe(true);
    expect(allows("readonly", "s3:PutBucketNotification", "arn:aws:s3:::customer-data", ctx())).toBe(false);
    expect(allows("readonly", "s3:DeleteBucket", "arn:aws:s3:::sst-state-x", ctx())).toBe(false);
    expect(allows("readonly", "iam:CreateUser", undefined, ctx())).toBe(false);
    expect(allows("readonly", "lambda:UpdateFunctionCode", undefined, ctx())).toBe(false);
  });

  it("models ReadOnlyAccess from its policy document", () => {
    expect(readOnlyAccessIncludes("logs:StartLiveTail")).toBe(true);
    expect(readOnlyAccessIncludes("logs:FilterLogEvents")).toBe(true);
    expect(readOnlyAccessIncludes("events:DescribeRule")).toBe(true);
    expect(readOnlyAccessIncludes("lambda:InvokeFunction")).toBe(false);
    expect(readOnlyAccessIncludes("logs:PutSubscriptionFilter")).toBe(false);
  });
});

describe("admin policy", () => {
  it("attaches AdministratorAccess only", () => {
    const admin = role("admin");
    expect(admin.ManagedPolicyArns).toEqual([
      { "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess" },
    ]);
    expect(admin.Policies).toBeUndefined();
    expect(allows("admin", "iam:CreateUser", undefined, ctx())).toBe(true);
    expect(allows("admin", "s3:DeleteBucket", "arn:aws:s3:::anything", ctx())).toBe(true);
  });
});

describe("evaluator", () => {
  const template = (statements: unknown[], managed: string[] = []): CfnTemplate =>
    ({
      Parameters: { Bucket: { Type: "String", Default: "from-default" } },
      Resources: {
        Role: {
          Type: "AWS::IAM::Role",
          Properties: {
            Policies: [{ PolicyName: "p", PolicyDocument: { Version: "2012-10-17", Statement: statements } }],
            ManagedPolicyArns: managed.map((m) => ({ "Fn::Sub": `arn:\${AWS::Partition}:iam::aws:policy/${m}` })),
          },
        },
      },
    }) as unknown as CfnTemplate;
  const c = { accountId: "123456789012", region: "eu-central-1" };

  it("matches * and ? wildcards", () => {
    expect(wildcardMatch("arn:aws:s3:::sst-state-*", "arn:aws:s3:::sst-state-abc")).toBe(true);
    expect(wildcardMatch("arn:aws:s3:::sst-state-*", "arn:aws:s3:::sst-asset-abc")).toBe(false);
    expect(wildcardMatch("a*b*c", "a-b-x-c")).toBe(true);
    expect(wildcardMatch("a?c", "abc")).toBe(true);
    expect(wildcardMatch("a?c", "abbc")).toBe(false);
    expect(wildcardMatch("*", "")).toBe(true);
    expect(wildcardMatch("arn:*", "*")).toBe(false);
  });

  it("resolves Fn::Sub pseudo parameters from the context and parameters from their defaults", () => {
    const t = template([
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [{ "Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${AWS::Region}/${AWS::AccountId}/*" }],
      },
    ]);
    expect(templateAllows(t, "s3:getobject", "arn:aws:s3:::from-default/eu-central-1/123456789012/k", c)).toBe(true);
    expect(templateAllows(t, "s3:GetObject", "arn:aws:s3:::from-default/us-east-1/123456789012/k", c)).toBe(false);
    expect(
      templateAllows(t, "s3:GetObject", "arn:aws:s3:::given/eu-central-1/123456789012/k", {
        ...c,
        parameters: { Bucket: "given" },
      }),
    ).toBe(true);
  });

  it("requires a * resource statement for actions without a resource", () => {
    const t = template([{ Effect: "Allow", Action: "ec2:Describe*", Resource: "arn:aws:ec2:*" }]);
    expect(templateAllows(t, "ec2:DescribeRegions", undefined, c)).toBe(false);
    const star = template([{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }]);
    expect(templateAllows(star, "ec2:DescribeRegions", undefined, c)).toBe(true);
    expect(templateAllows(star, "ec2:RunInstances", undefined, c)).toBe(false);
  });

  it("lets an explicit Deny win, and reports the matching statements", () => {
    const t = template([
      { Sid: "All", Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "NoDelete", Effect: "Deny", Action: "s3:Delete*", Resource: "arn:aws:s3:::keep*" },
    ]);
    expect(evaluate(t, "s3:DeleteBucket", "arn:aws:s3:::keep-me", c)).toMatchObject({
      allowed: false,
      matched: ["All", "NoDelete"],
    });
    expect(templateAllows(t, "s3:DeleteBucket", "arn:aws:s3:::other", c)).toBe(true);
  });

  it("evaluates String and Arn conditions", () => {
    const t = template([
      {
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "*",
        Condition: { StringLike: { "iam:PassedToService": "events.*" }, StringEqualsIfExists: { "aws:x": "1" } },
      },
    ]);
    expect(templateAllows(t, "iam:PassRole", undefined, { ...c, conditions: { "iam:passedtoservice": "events.amazonaws.com" } })).toBe(true);
    expect(
      templateAllows(t, "iam:PassRole", undefined, {
        ...c,
        conditions: { "iam:PassedToService": "events.amazonaws.com", "aws:x": "2" },
      }),
    ).toBe(false);
    expect(templateAllows(t, "iam:PassRole", undefined, c)).toBe(false);
  });

  it("models ReadOnlyAccess and AdministratorAccess, and refuses other managed policies", () => {
    expect(templateAllows(template([], ["ReadOnlyAccess"]), "s3:GetObject", "arn:aws:s3:::x/y", c)).toBe(true);
    expect(templateAllows(template([], ["ReadOnlyAccess"]), "s3:PutObject", "arn:aws:s3:::x/y", c)).toBe(false);
    expect(templateAllows(template([], ["AdministratorAccess"]), "s3:PutObject", "arn:aws:s3:::x/y", c)).toBe(true);
    expect(() => templateAllows(template([], ["PowerUserAccess"]), "s3:GetObject", "arn:aws:s3:::x/y", c)).toThrow(
      /not modelled/,
    );
  });

  it("never requires a permission for sts:GetCallerIdentity", () => {
    expect(allows("least", "sts:GetCallerIdentity", undefined, ctx())).toBe(true);
  });
});
