/**
 * EventBridge notifications of a bootstrap bucket. PutBucketNotificationConfiguration
 * replaces the whole configuration, so the bucket's other notifications are read
 * first and written back as they were.
 */
import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";

/** Turns EventBridge notifications on or off; true when this call changed them. */
export async function setEventBridgeNotifications(s3: S3Client, bucket: string, on: boolean): Promise<boolean> {
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
