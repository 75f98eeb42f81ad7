/**
 * What the console's own functions may do in AWS beyond what SST's links grant, as
 * plain data: infra/permissions.ts and infra/stream.ts make the IAM statements from
 * it, and the tests that record the console's calls (test/aws/console-calls.test.ts)
 * check every call against it, so the code and the policy cannot drift apart.
 * `<account>` stands for the console's own account.
 */
export const OWN_PERMISSIONS = {
  /** Reaching a customer account: only through a role its connection stack made. */
  assumeCustomerRoles: {
    actions: ["sts:AssumeRole"],
    resources: ["arn:aws:iam::*:role/console-*"],
  },
  /** CloudWatch Logs destinations per connection and region (packages/core/src/issue/destination.ts). */
  logDestinations: {
    actions: ["logs:PutDestination", "logs:PutDestinationPolicy", "logs:DeleteDestination"],
    resources: ["arn:aws:logs:*:<account>:destination:console-*"],
  },
} as const;

/** A statement's resources for the console's account. */
export function ownResources(resources: readonly string[], account: string): string[] {
  return resources.map((r) => r.replace("<account>", account));
}
