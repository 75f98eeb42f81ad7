import { describe, expect, it } from "vitest";
import {
  AUTODEPLOY_ACTIONS,
  AUTODEPLOY_CONDITION,
  DEFAULT_RUNNER_POLICY_ARN,
  allows,
  autodeployProjectName,
  runnerRoleName,
  BUS_TARGET_ID,
  CUSTOM_RESOURCE_TYPE,
  LOGICAL_IDS,
  POLICY_VARIANTS,
  TEMPLATE_REGION,
  TEMPLATE_VERSION,
  TemplateOptionsError,
  bootstrapEventPattern,
  bootstrapRuleInputs,
  bootstrapRuleName,
  buildTemplate,
  forwarderRoleArn,
  forwarderRoleName,
  isWatchedBucket,
  roleName,
  ruleNamePrefix,
  templateJson,
} from "./index";
import { CONNECTION_ID, CONSOLE_ACCOUNT, EXTERNAL_ID, OPTIONS } from "./test-fixtures";

const template = buildTemplate(OPTIONS);
const props = (id: string) => template.Resources[id]!.Properties as Record<string, any>;

describe("parameters", () => {
  it("has exactly the connection, secret and console parameters (never a workspace id)", () => {
    expect(Object.keys(template.Parameters).sort()).toEqual(
      ["Autodeploy", "AutodeployRunnerPolicyArn", "ConnectionId", "ConsoleAccountId", "ConsoleBusArn", "ExternalId", "ServiceToken"].sort(),
    );
    expect(templateJson(OPTIONS)).not.toMatch(/workspace.?id/i);
  });

  it("validates the connection id and hides the external id", () => {
    expect(template.Parameters.ConnectionId).toMatchObject({
      AllowedPattern: "^[0-9a-z]{26}$",
      MinLength: 26,
      MaxLength: 26,
    });
    expect(template.Parameters.ExternalId).toMatchObject({ NoEcho: true, MinLength: 32 });
    const pattern = new RegExp(template.Parameters.ExternalId!.AllowedPattern!);
    expect(pattern.test(EXTERNAL_ID)).toBe(true);
    expect(pattern.test("has spaces and $igns")).toBe(false);
    expect(template.Parameters.ConsoleAccountId!.AllowedPattern).toBe("^[0-9]{12}$");
  });

  it("defaults the console's values to the builder options, and nothing else", () => {
    expect(template.Parameters.ConsoleAccountId!.Default).toBe(CONSOLE_ACCOUNT);
    expect(template.Parameters.ConsoleBusArn!.Default).toBe(OPTIONS.consoleBusArn);
    expect(template.Parameters.ServiceToken!.Default).toBe(OPTIONS.serviceToken);
    expect(template.Parameters.ConnectionId!.Default).toBeUndefined();
    expect(template.Parameters.ExternalId!.Default).toBeUndefined();
  });

  it("the parameter patterns accept the option values they default to", () => {
    for (const p of Object.values(template.Parameters)) {
      if (p?.Default !== undefined && p.AllowedPattern) expect(p.Default).toMatch(new RegExp(p.AllowedPattern));
    }
  });

  it("takes valid per-connection defaults", () => {
    const t = buildTemplate({ ...OPTIONS, defaults: { connectionId: CONNECTION_ID, externalId: EXTERNAL_ID } });
    expect(t.Parameters.ConnectionId!.Default).toBe(CONNECTION_ID);
    expect(t.Parameters.ExternalId!.Default).toBe(EXTERNAL_ID);
  });
});

describe("builder options", () => {
  const rejects = (options: Parameters<typeof buildTemplate>[0], field: string) => {
    let error: unknown;
    try {
      buildTemplate(options);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateOptionsError);
    expect((error as TemplateOptionsError).field).toBe(field);
    expect((error as TemplateOptionsError).code).toBe("validation");
  };

  it("rejects a bad connection id", () => {
    rejects({ ...OPTIONS, defaults: { connectionId: "01J9Z8Y7X6W5V4T3S2R1Q0P9N8" } }, "connectionId");
    rejects({ ...OPTIONS, defaults: { connectionId: "short" } }, "connectionId");
    rejects({ ...OPTIONS, defaults: { connectionId: `${CONNECTION_ID}0` } }, "connectionId");
  });

  it("rejects a short or non url-safe external id", () => {
    rejects({ ...OPTIONS, defaults: { externalId: EXTERNAL_ID.slice(0, 31) } }, "externalId");
    rejects({ ...OPTIONS, defaults: { externalId: `${EXTERNAL_ID.slice(0, 31)}+` } }, "externalId");
    rejects({ ...OPTIONS, defaults: { externalId: "a".repeat(129) } }, "externalId");
  });

  it("rejects bad console values and variants", () => {
    rejects({ ...OPTIONS, consoleAccountId: "12345" }, "consoleAccountId");
    rejects({ ...OPTIONS, consoleBusArn: "arn:aws:sqs:us-east-1:111122223333:queue" }, "consoleBusArn");
    rejects({ ...OPTIONS, serviceToken: "https://example.com/hook" }, "serviceToken");
    rejects({ ...OPTIONS, serviceToken: OPTIONS.serviceToken.replace("us-east-1", "eu-west-1") }, "serviceToken");
    rejects({ ...OPTIONS, variant: "root" as never }, "variant");
  });
});

describe("role", () => {
  const role = props(LOGICAL_IDS.role);

  it("is named after the connection and lasts at most an hour", () => {
    expect(role.RoleName).toEqual({ "Fn::Sub": "console-${ConnectionId}" });
    expect(roleName(CONNECTION_ID)).toBe(`console-${CONNECTION_ID}`);
    expect(role.MaxSessionDuration).toBe(3600);
  });

  it("trusts only the console's account, with the external id", () => {
    const statements = role.AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toEqual({
      Effect: "Allow",
      Principal: { AWS: { "Fn::Sub": "arn:${AWS::Partition}:iam::${ConsoleAccountId}:root" } },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
    });
  });
});

describe("bootstrap bucket forwarding", () => {
  const rule = props(LOGICAL_IDS.bootstrapRule);
  const forwarder = props(LOGICAL_IDS.forwarderRole);

  it("forwards S3 object events of state (v3) and bootstrap (v2) buckets to the console's bus", () => {
    expect(template.Resources[LOGICAL_IDS.bootstrapRule]!.Type).toBe("AWS::Events::Rule");
    expect(rule.EventPattern).toEqual({
      source: ["aws.s3"],
      "detail-type": ["Object Created", "Object Deleted"],
      detail: { bucket: { name: [{ prefix: "sst-state-" }, { prefix: "sstbootstrap-" }] } },
    });
    expect(rule.Targets).toEqual([
      { Id: BUS_TARGET_ID, Arn: { Ref: "ConsoleBusArn" }, RoleArn: { "Fn::GetAtt": ["ForwarderRole", "Arn"] } },
    ]);
    expect(rule.Name).toEqual({ "Fn::Sub": "console-${ConnectionId}-bootstrap" });
  });

  it("gives the forwarder role events:PutEvents on the bus only, trusted by EventBridge of this account", () => {
    expect(forwarder.RoleName).toEqual({ "Fn::Sub": "console-${ConnectionId}-forwarder" });
    expect(forwarder.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(forwarder.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
    });
    expect(forwarder.Policies).toEqual([
      {
        PolicyName: "forward-to-console",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: { Ref: "ConsoleBusArn" } }],
        },
      },
    ]);
  });

  it("the console's rules in other regions use the same name, pattern and role", () => {
    const inputs = bootstrapRuleInputs({
      connectionId: CONNECTION_ID,
      accountId: "444455556666",
      busArn: OPTIONS.consoleBusArn,
    });
    expect(inputs.putRule.Name).toBe(`console-${CONNECTION_ID}-bootstrap`);
    expect(inputs.putRule.Name).toBe(bootstrapRuleName(CONNECTION_ID));
    expect(inputs.putRule.Name.startsWith(ruleNamePrefix(CONNECTION_ID))).toBe(true);
    expect(JSON.parse(inputs.putRule.EventPattern)).toEqual(rule.EventPattern);
    expect(inputs.putRule.Description).toBe(rule.Description);
    expect(inputs.putTargets.Targets).toEqual([
      {
        Id: BUS_TARGET_ID,
        Arn: OPTIONS.consoleBusArn,
        RoleArn: `arn:aws:iam::444455556666:role/${forwarderRoleName(CONNECTION_ID)}`,
      },
    ]);
    expect(forwarderRoleArn("444455556666", CONNECTION_ID)).toBe(inputs.putTargets.Targets[0]!.RoleArn);
    // the CloudFormation names, once substituted, are the same
    expect(rule.Name["Fn::Sub"].replace("${ConnectionId}", CONNECTION_ID)).toBe(inputs.putRule.Name);
    expect(forwarder.RoleName["Fn::Sub"].replace("${ConnectionId}", CONNECTION_ID)).toBe(forwarderRoleName(CONNECTION_ID));
  });

  it("watches state and v2 bootstrap buckets, not asset buckets", () => {
    expect(isWatchedBucket("sst-state-abcdefghijkl")).toBe(true);
    expect(isWatchedBucket("sstbootstrap-myapp-1a2b3c")).toBe(true);
    expect(isWatchedBucket("sst-asset-abcdefghijkl")).toBe(false);
    expect(bootstrapEventPattern().detail.bucket.name).toHaveLength(2);
  });
});

describe("custom resource", () => {
  it("tells the console the connection, account, region and role, with a version", () => {
    const resource = template.Resources[LOGICAL_IDS.connection]!;
    expect(resource.Type).toBe(CUSTOM_RESOURCE_TYPE);
    expect(resource.Type).toBe("Custom::ConsoleConnection");
    expect(resource.Properties).toEqual({
      ServiceToken: { Ref: "ServiceToken" },
      ConnectionId: { Ref: "ConnectionId" },
      AccountId: { Ref: "AWS::AccountId" },
      Region: { Ref: "AWS::Region" },
      RoleArn: { "Fn::GetAtt": ["Role", "Arn"] },
      Version: TEMPLATE_VERSION,
      PolicyVariant: "least",
      // turning autodeploy on or off changes the resource: CloudFormation tells the console
      Autodeploy: { Ref: "Autodeploy" },
    });
    expect(resource.DependsOn).toContain(LOGICAL_IDS.bootstrapRule);
  });

  it("is left out on request, and so is the service token parameter", () => {
    const t = buildTemplate({ ...OPTIONS, customResource: false });
    expect(t.Resources[LOGICAL_IDS.connection]).toBeUndefined();
    expect(t.Parameters.ServiceToken).toBeUndefined();
    expect(Object.keys(t.Resources).sort()).toEqual(["AutodeployPolicy", "BootstrapRule", "ForwarderRole", "Role", "RunnerRole"]);
    expect(JSON.stringify(t)).not.toContain("ServiceToken");
  });
});

describe("template", () => {
  it("asserts it is deployed in us-east-1", () => {
    expect(TEMPLATE_REGION).toBe("us-east-1");
    expect(template.Rules).toEqual({
      DeployInUsEast1: {
        Assertions: [
          {
            Assert: { "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"] },
            AssertDescription: expect.any(String),
          },
        ],
      },
    });
  });

  it("outputs the role ARN and the connection id", () => {
    expect(template.Outputs.RoleArn!.Value).toEqual({ "Fn::GetAtt": ["Role", "Arn"] });
    expect(template.Outputs.ConnectionId!.Value).toEqual({ Ref: "ConnectionId" });
  });

  it("every Ref and Fn::Sub names a parameter, a pseudo parameter or a resource", () => {
    for (const variant of POLICY_VARIANTS) {
      for (const customResource of [true, false]) {
        const t = buildTemplate({ ...OPTIONS, variant, customResource });
        const known = new Set([
          ...Object.keys(t.Parameters),
          ...Object.keys(t.Resources),
          "AWS::AccountId",
          "AWS::Region",
          "AWS::Partition",
        ]);
        const names: string[] = [];
        const walk = (v: unknown) => {
          if (Array.isArray(v)) v.forEach(walk);
          else if (v && typeof v === "object") {
            for (const [k, x] of Object.entries(v)) {
              if (k === "Ref" && typeof x === "string") names.push(x);
              else if (k === "Fn::Sub" && typeof x === "string") {
                for (const m of x.matchAll(/\$\{([^}]+)\}/g)) names.push(m[1]!);
              } else if (k === "Fn::GetAtt" && Array.isArray(x)) names.push(String(x[0]));
              else walk(x);
            }
          }
        };
        walk(t.Resources);
        walk(t.Outputs);
        walk(t.Rules);
        expect(names.filter((n) => !known.has(n))).toEqual([]);
      }
    }
  });

  it("serialises to JSON with a trailing newline", () => {
    const json = templateJson(OPTIONS);
    expect(json.endsWith("}\n")).toBe(true);
    expect(JSON.parse(json)).toEqual(template);
  });
});

describe("autodeploy (optional part)", () => {
  const runner = template.Resources[LOGICAL_IDS.runnerRole]!;
  const policy = template.Resources[LOGICAL_IDS.autodeployPolicy]!;

  it("is off by default and turned on by the Autodeploy parameter only", () => {
    expect(template.Parameters.Autodeploy).toMatchObject({ AllowedValues: ["false", "true"], Default: "false" });
    expect(template.Conditions[AUTODEPLOY_CONDITION]).toEqual({ "Fn::Equals": [{ Ref: "Autodeploy" }, "true"] });
    expect(runner.Condition).toBe(AUTODEPLOY_CONDITION);
    expect(policy.Condition).toBe(AUTODEPLOY_CONDITION);
    expect(template.Outputs.RunnerRoleArn!.Condition).toBe(AUTODEPLOY_CONDITION);
  });

  it("gives the runner role to CodeBuild of this account only, with the policy the customer names (AdministratorAccess unless told)", () => {
    const p = runner.Properties as Record<string, any>;
    expect(p.RoleName).toEqual({ "Fn::Sub": "console-${ConnectionId}-runner" });
    expect(runnerRoleName(CONNECTION_ID)).toBe(`console-${CONNECTION_ID}-runner`);
    expect(p.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "codebuild.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
      },
    ]);
    expect(p.ManagedPolicyArns).toEqual([{ Ref: "AutodeployRunnerPolicyArn" }]);
    expect(template.Parameters.AutodeployRunnerPolicyArn!.Default).toBe(DEFAULT_RUNNER_POLICY_ARN);
    expect(new RegExp(template.Parameters.AutodeployRunnerPolicyArn!.AllowedPattern!).test("arn:aws:iam::444455556666:policy/sst-deployer")).toBe(true);
    // Its own needs: write its build logs, read its builds' secrets (nothing else).
    const own = p.Policies[0].PolicyDocument.Statement.flatMap((s: { Action: string[] }) => s.Action).sort();
    expect(own).toEqual(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParameters"]);
  });

  it("attaches the console role's autodeploy grants to that role only, and leaves them out of the admin variant", () => {
    const p = policy.Properties as Record<string, any>;
    expect(p.Roles).toEqual([{ Ref: LOGICAL_IDS.role }]);
    expect(new Set(p.PolicyDocument.Statement.flatMap((s: { Action: string[] }) => s.Action))).toEqual(new Set(AUTODEPLOY_ACTIONS));
    const inline = (props(LOGICAL_IDS.role).Policies[0].PolicyDocument.Statement as { Action: string[] }[]).flatMap((s) => s.Action);
    expect(inline.filter((a) => a.startsWith("codebuild:"))).toEqual([]);
    const admin = buildTemplate({ ...OPTIONS, variant: "admin" });
    expect(admin.Resources[LOGICAL_IDS.autodeployPolicy]).toBeUndefined();
    expect(admin.Resources[LOGICAL_IDS.runnerRole]).toBeDefined();
  });

  it("the evaluator attaches the autodeploy policy only when the parameter says true", () => {
    const arn = `arn:aws:codebuild:eu-west-1:444455556666:project/${autodeployProjectName(CONNECTION_ID)}`;
    const on = { accountId: "444455556666", region: "eu-west-1", parameters: { ConnectionId: CONNECTION_ID, ConsoleAccountId: CONSOLE_ACCOUNT, Autodeploy: "true" } };
    expect(allows("least", "codebuild:StartBuild", arn, on)).toBe(true);
    expect(allows("least", "codebuild:StartBuild", arn, { ...on, parameters: { ...on.parameters, Autodeploy: "false" } })).toBe(false);
    const { Autodeploy: _, ...unsaid } = on.parameters;
    expect(allows("least", "codebuild:StartBuild", arn, { ...on, parameters: unsaid })).toBe(false);
    expect(allows("least", "codebuild:StartBuild", arn.replace(CONNECTION_ID, "0".repeat(26)), on)).toBe(false);
  });
});
