/**
 * Where customer log events arrive. Customer log groups are subscribed to CloudWatch
 * Logs destinations in this account (one per connection and region, made at run time
 * by the console, each admitting only that customer's account). Destinations write to
 * one Kinesis data stream (not Firehose: its buffering adds minutes).
 */
import { OWN_PERMISSIONS, ownResources } from "../packages/core/src/aws/own-permissions";

export const stream = new sst.aws.KinesisStream("IssueStream");

const account = aws.getCallerIdentityOutput({}).accountId;

/** A destination must be in its log group's region, so CloudWatch Logs of every region may write. */
const regions = aws.getRegionsOutput({}).names;

export const destinationRole = new aws.iam.Role("IssueDestinationRole", {
  assumeRolePolicy: regions.apply((names) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: names.map((r) => `logs.${r}.amazonaws.com`) }, Action: "sts:AssumeRole" }],
    }),
  ),
  inlinePolicies: [
    {
      name: "put-records",
      policy: $jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["kinesis:PutRecord", "kinesis:PutRecords"], Resource: stream.arn }],
      }),
    },
  ],
});

/** Environment of every function that subscribes log groups. */
export const issuesEnvironment = {
  ISSUES_STREAM_ARN: stream.arn,
  ISSUES_DESTINATION_ROLE_ARN: destinationRole.arn,
};

/** And its permissions on the console's own destinations. */
export const destinationPermissions = [
  {
    actions: [...OWN_PERMISSIONS.logDestinations.actions],
    resources: account.apply((id) => ownResources(OWN_PERMISSIONS.logDestinations.resources, id)),
  },
  { actions: ["iam:PassRole"], resources: [destinationRole.arn] },
];
