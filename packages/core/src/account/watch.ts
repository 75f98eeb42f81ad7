/**
 * Watching a region of a customer account for deploys, and the mirror that undoes it.
 *
 * Watching: EventBridge notifications on the SST bootstrap buckets (turned on only
 * when they were off), and, outside the connection stack's region, the forwarding
 * rule to the console's bus (inside it, the stack made the rule). The scan records
 * what it turned on in `aws_region`; `unwatch` turns off exactly that, so nothing
 * the console did not create is touched.
 *
 * PutBucketNotificationConfiguration replaces the whole configuration, so a
 * bucket's other notifications are read first and written back as they were.
 */
import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";
import { DeleteRuleCommand, DescribeRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand, type EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { BUS_TARGET_ID, TEMPLATE_REGION, bootstrapEventPattern, bootstrapRuleInputs, bootstrapRuleName } from "@console/workspace-template";
import { ConsoleIdentity } from "./config";

function errorName(err: unknown) {
  return (err as { name?: string })?.name ?? "Error";
}

/** Turns EventBridge notifications of `bucket` on or off; true when this call changed them. */
async function setEventBridgeNotifications(s3: S3Client, bucket: string, on: boolean): Promise<boolean> {
  const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  if (!!current.EventBridgeConfiguration === on) return false;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        TopicConfigurations: current.TopicConfigurations,
        QueueConfigurations: current.QueueConfigurations,
        LambdaFunctionConfigurations: current.LambdaFunctionConfigurations,
        ...(on ? { EventBridgeConfiguration: {} } : {}),
      },
    }),
  );
  return true;
}

export namespace Watch {
  /** Turns on EventBridge notifications for `bucket` when they are off; true when this call turned them on. */
  export function bucket(s3: S3Client, bucket: string): Promise<boolean> {
    return setEventBridgeNotifications(s3, bucket, true);
  }

  /** Turns off the notifications the console turned on; true when this call turned them off. */
  export function unwatchBucket(s3: S3Client, bucket: string): Promise<boolean> {
    return setEventBridgeNotifications(s3, bucket, false);
  }

  /**
   * Outside the stack's region, the console creates the forwarding rule itself.
   * True when the region has the console's rule (made now or before).
   */
  export async function rule(events: EventBridgeClient, input: { region: string; connectionId: string; accountId: string }): Promise<boolean> {
    if (input.region === TEMPLATE_REGION) return false;
    const name = bootstrapRuleName(input.connectionId);
    try {
      const rule = await events.send(new DescribeRuleCommand({ Name: name }));
      if (rule.EventPattern && JSON.stringify(JSON.parse(rule.EventPattern)) === JSON.stringify(bootstrapEventPattern())) return true;
    } catch (err) {
      if (errorName(err) !== "ResourceNotFoundException") throw err;
    }
    const inputs = bootstrapRuleInputs({ connectionId: input.connectionId, accountId: input.accountId, busArn: await ConsoleIdentity.busArn() });
    await events.send(new PutRuleCommand(inputs.putRule));
    await events.send(new PutTargetsCommand(inputs.putTargets));
    return true;
  }

  /** Deletes a forwarding rule the console made; false when it was gone already. */
  export async function unwatchRule(events: EventBridgeClient, name: string): Promise<boolean> {
    try {
      await events.send(new RemoveTargetsCommand({ Rule: name, Ids: [BUS_TARGET_ID] }));
      await events.send(new DeleteRuleCommand({ Name: name }));
      return true;
    } catch (err) {
      if (errorName(err) === "ResourceNotFoundException") return false;
      throw err;
    }
  }
}
