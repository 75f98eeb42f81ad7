/** The console's bucket of uploaded source-map bodies (metadata stays in the database). */
export const sourcemapBucket = new sst.aws.Bucket("SourceMaps");
