/**
 * The event subscribers, listed once. Plain data with no imports, so that
 * infra/bus.ts can read it at deploy time: on AWS each entry becomes one Lambda
 * (handler `lambda.handler`, told which subscriber it is by `SUBSCRIBER=<name>`)
 * behind one EventBridge rule on the console's bus. What each one runs is in
 * ./index.ts, keyed by the same names and type-checked against `event`; locally the
 * in-process bus runs the same functions.
 *
 * To add a subscriber: one entry here, one `run` in ./index.ts.
 */
export const SUBSCRIBERS = [
  { name: "ScanOnConnect", event: "account.connected", timeout: "15 minutes" },
  { name: "ScanOnRequest", event: "account.scan_requested", timeout: "15 minutes" },
  { name: "Disconnect", event: "account.disconnect_requested", timeout: "15 minutes" },
  { name: "CleanupWorkspace", event: "workspace.deleted", timeout: "15 minutes" },
  { name: "SubscribeStage", event: "stage.updated", timeout: "15 minutes" },
  { name: "UnsubscribeStage", event: "stage.removed", timeout: "5 minutes" },
  { name: "AlertIssue", event: "issue.detected", timeout: "2 minutes" },
  { name: "AlertRateLimited", event: "issue.rate_limited", timeout: "2 minutes" },
  { name: "AlertSubscriptionWarning", event: "subscription.warning", timeout: "2 minutes" },
  { name: "AlertDeployFailed", event: "deploy.failed", timeout: "2 minutes" },
] as const;

export type SubscriberEntry = (typeof SUBSCRIBERS)[number];
export type SubscriberName = SubscriberEntry["name"];

/** The Lambda handler every subscriber function runs (see ./lambda.ts). */
export const SUBSCRIBER_HANDLER = "packages/functions/src/subscribers/lambda.handler";
