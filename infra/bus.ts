/**
 * The console's event bus. Domain events (source "console") are published here
 * after their transaction commits, and each subscriber runs as its own Lambda.
 * Customer accounts forward their bootstrap buckets' S3 events here too (see
 * infra/connect.ts for the rule that admits them).
 */
export const bus = new sst.aws.Bus("Bus");
