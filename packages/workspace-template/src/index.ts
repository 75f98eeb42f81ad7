/**
 * The CloudFormation template a workspace deploys to connect an AWS account, built from
 * typed code, with everything the console's own code must agree with: resource names,
 * the forwarding rule's pattern, the IAM actions of each feature, the AWS operations the
 * console calls and an evaluator of the generated policies.
 */
export * from "./names";
export * from "./permissions";
export * from "./policy";
export * from "./template";
export * from "./evaluate";
export * from "./operations";
export * from "./quick-create";
export { wildcardMatch, actionMatches } from "./match";
