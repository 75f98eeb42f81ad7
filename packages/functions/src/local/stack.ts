/**
 * Deploys a connection stack into an emulated customer account, the way its owner
 * would from the quick-create link (without the custom resource: the emulator
 * cannot call the console back, so the console checks the role itself).
 */
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { PARAMETERS, buildTemplate } from "@console/workspace-template";
import type { ConnectInfo } from "@console/core/account";
import { actAsAccount } from "@console/testkit/aws";

export async function deployConnectionStack(input: {
  endpoint: string;
  accountId: string;
  info: ConnectInfo;
  /** Parameters the owner changes from the link's (e.g. `{ Autodeploy: "true" }`). */
  parameters?: Record<string, string>;
}): Promise<string> {
  const { info } = input;
  const cfn = actAsAccount(
    new CloudFormationClient({
      region: "us-east-1",
      endpoint: input.endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    }),
    input.accountId,
  );
  const template = buildTemplate({
    consoleAccountId: info.parameters[PARAMETERS.consoleAccountId]!,
    consoleBusArn: info.parameters[PARAMETERS.consoleBusArn]!,
    serviceToken: info.parameters[PARAMETERS.serviceToken] ?? "arn:aws:lambda:us-east-1:000000000000:function:unused",
    customResource: false,
  });
  const parameters = Object.entries({ ...info.parameters, ...input.parameters })
    .filter(([k]) => k in (template.Parameters as Record<string, unknown>))
    .map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  const created = await cfn.send(
    new CreateStackCommand({
      StackName: info.stackName,
      TemplateBody: JSON.stringify(template),
      Parameters: parameters,
      Capabilities: ["CAPABILITY_NAMED_IAM"],
    }),
  );
  for (let i = 0; i < 100; i++) {
    const described = await cfn.send(new DescribeStacksCommand({ StackName: created.StackId }));
    const status = described.Stacks?.[0]?.StackStatus ?? "";
    if (status === "CREATE_COMPLETE") break;
    if (status.endsWith("FAILED") || status.startsWith("ROLLBACK")) {
      throw new Error(`The connection stack failed: ${status} ${described.Stacks?.[0]?.StackStatusReason ?? ""}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  cfn.destroy();
  return input.accountId;
}
