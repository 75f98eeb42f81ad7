/**
 * Creates the template on the emulator's CloudFormation (moto_server, started by the root
 * test setup) in a "customer" account, and reads back what it made.
 *
 * Moto gaps this test works around:
 * - A `Custom::` resource: moto looks its ServiceToken up as a Lambda function of the
 *   stack's own account and invokes it (in Docker); with the console's token it fails the
 *   CreateStack call (404). The template is built with `customResource: false` here.
 * - Moto neither enforces IAM policies nor reports managed policies attached through
 *   CloudFormation, so permissions are checked by the evaluator (policy.test.ts) instead.
 * - Moto does not mask NoEcho parameters in DescribeStacks.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
} from "@aws-sdk/client-cloudformation";
import {
  DescribeRuleCommand,
  EventBridgeClient,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { GetRoleCommand, IAMClient, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BUS_TARGET_ID,
  POLICY_VARIANTS,
  bootstrapEventPattern,
  bootstrapRuleInputs,
  bootstrapRuleName,
  buildTemplate,
  forwarderRoleArn,
  forwarderRoleName,
  roleName,
  stackName,
  type PolicyVariant,
} from "./index";
import { CONSOLE_ACCOUNT, EXTERNAL_ID, OPTIONS } from "./test-fixtures";

const endpoint = process.env.AWS_ENDPOINT_URL;

/** A fresh customer account per run, so runs against one emulator never see each other. */
const account = String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000));
let stacks = 0;
const connectionId = (variant: PolicyVariant) =>
  `${variant.slice(0, 4)}${++stacks}${Math.random().toString(36).slice(2)}`.padEnd(26, "0").slice(0, 26);

type Client = { middlewareStack: { add: (...args: any[]) => void } };
function inAccount<T extends Client>(client: T): T {
  client.middlewareStack.add(
    (next: (args: any) => Promise<unknown>) => (args: { request: { headers: Record<string, string> } }) => {
      args.request.headers["x-moto-account-id"] = account;
      return next(args);
    },
    { step: "build", name: "motoAccount" },
  );
  return client;
}

function clients(region = "us-east-1") {
  const config = {
    region,
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  return {
    cfn: inAccount(new CloudFormationClient(config)),
    iam: inAccount(new IAMClient(config)),
    events: inAccount(new EventBridgeClient(config)),
  };
}

async function createStack(variant: PolicyVariant) {
  const id = connectionId(variant);
  const { cfn } = clients();
  const template = buildTemplate({ ...OPTIONS, variant, customResource: false });
  await cfn.send(
    new CreateStackCommand({
      StackName: stackName(id),
      TemplateBody: JSON.stringify(template),
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      Parameters: [
        { ParameterKey: "ConnectionId", ParameterValue: id },
        { ParameterKey: "ExternalId", ParameterValue: EXTERNAL_ID },
      ],
    }),
  );
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName(id) }));
  return { id, stack: Stacks![0]! };
}

describe("on the emulator", () => {
  beforeAll(() => {
    if (!endpoint) throw new Error("AWS_ENDPOINT_URL is not set: run under the root vitest config (it starts moto_server)");
  });

  it("creates the role, trusted by the console's account with the external id", async () => {
    const { id, stack } = await createStack("least");
    expect(stack.StackStatus).toBe("CREATE_COMPLETE");
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs).toEqual({
      RoleArn: `arn:aws:iam::${account}:role/${roleName(id)}`,
      ConnectionId: id,
    });

    const { iam } = clients();
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName(id) }));
    expect(Role!.MaxSessionDuration).toBe(3600);
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${CONSOLE_ACCOUNT}:root` },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
        },
      ],
    });
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName(id) }));
    expect(PolicyNames).toEqual(["console"]);

    const forwarder = await iam.send(new GetRoleCommand({ RoleName: forwarderRoleName(id) }));
    expect(forwarder.Role!.Arn).toBe(forwarderRoleArn(account, id));
    const trust = JSON.parse(decodeURIComponent(forwarder.Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement[0].Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": account } });
    const forwarderPolicies = await iam.send(new ListRolePoliciesCommand({ RoleName: forwarderRoleName(id) }));
    expect(forwarderPolicies.PolicyNames).toEqual(["forward-to-console"]);
  });

  it("creates the forwarding rule with its pattern and the console's bus as target", async () => {
    const { id } = await createStack("least");
    const { events } = clients();
    const rule = await events.send(new DescribeRuleCommand({ Name: bootstrapRuleName(id) }));
    expect(rule.State).toBe("ENABLED");
    expect(JSON.parse(rule.EventPattern!)).toEqual(bootstrapEventPattern());
    const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: bootstrapRuleName(id) }));
    expect(Targets).toEqual([{ Id: BUS_TARGET_ID, Arn: OPTIONS.consoleBusArn, RoleArn: forwarderRoleArn(account, id) }]);
  });

  it("the console's rule in another region matches the stack's rule", async () => {
    const { id } = await createStack("least");
    const home = clients("us-east-1").events;
    const other = clients("eu-west-1").events;
    const inputs = bootstrapRuleInputs({ connectionId: id, accountId: account, busArn: OPTIONS.consoleBusArn });
    await other.send(new PutRuleCommand(inputs.putRule));
    await other.send(new PutTargetsCommand(inputs.putTargets));

    const [a, b] = await Promise.all([
      home.send(new DescribeRuleCommand({ Name: bootstrapRuleName(id) })),
      other.send(new DescribeRuleCommand({ Name: bootstrapRuleName(id) })),
    ]);
    expect(JSON.parse(b.EventPattern!)).toEqual(JSON.parse(a.EventPattern!));
    expect(b.Description).toBe(a.Description);
    const [ta, tb] = await Promise.all([
      home.send(new ListTargetsByRuleCommand({ Rule: bootstrapRuleName(id) })),
      other.send(new ListTargetsByRuleCommand({ Rule: bootstrapRuleName(id) })),
    ]);
    expect(tb.Targets).toEqual(ta.Targets);
  });

  it.each(POLICY_VARIANTS.filter((v) => v !== "least"))("creates the %s variant", async (variant) => {
    const { id, stack } = await createStack(variant);
    expect(stack.StackStatus).toBe("CREATE_COMPLETE");
    const { iam } = clients();
    const { PolicyNames } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName(id) }));
    expect(PolicyNames).toEqual(variant === "admin" ? [] : ["console"]);
  });

  it("deletes everything with the stack", async () => {
    const { id } = await createStack("admin");
    const { cfn, iam } = clients();
    await cfn.send(new DeleteStackCommand({ StackName: stackName(id) }));
    await expect(iam.send(new GetRoleCommand({ RoleName: roleName(id) }))).rejects.toThrow();
    await expect(iam.send(new GetRoleCommand({ RoleName: forwarderRoleName(id) }))).rejects.toThrow();
  });
});
