/**
 * Pure parsing of what SST leaves in an AWS account, for discovery: bootstrap records,
 * bucket key layouts, state bodies (gzip or plain), v3/v4 Pulumi checkpoints and v2 stack
 * metadata, turned into one stage model with a content hash. No AWS calls here; the
 * scanner lists and fetches, this module reads.
 *
 * Layouts and their sources: packages/testkit/src/sst/README.md.
 */
export * from "./error";
export * from "./types";
export { MAX_BODY_BYTES, decodeBody, isGzip, parseJsonBody, type Body } from "./body";
export {
  V3_BOOTSTRAP_PARAMETER,
  V3_LEGACY_ASSET_PARAMETER,
  V2_BOOTSTRAP_STACK,
  parseV3Bootstrap,
  parseV3LegacyAssetParameter,
  parseV2BootstrapOutputs,
  type V3Bootstrap,
  type V2Bootstrap,
} from "./bootstrap";
export {
  V3_STAGE_PREFIX,
  V2_STACK_METADATA_PREFIX,
  V2_APP_METADATA_PREFIX,
  parseV3StateKey,
  parseV3StageKey,
  v3StageKey,
  v3UpdateKey,
  parseV2StackMetadataKey,
  parseV2AppMetadataKey,
  v2StackMetadataKey,
  v2AppMetadataKey,
  groupV2Keys,
  v3SourcemapKey,
  v3SourcemapPrefix,
  type V3StateKey,
  type V3StateKind,
  type V2StackMetadataKey,
  type V2StageKeys,
} from "./keys";
export { parseUrn, urnName, buildUrn, type Urn } from "./urn";
export { PULUMI_SIG_KEY, PULUMI_SECRET_SIG, isPulumiSecret, dropSecrets, plainOutputs } from "./secret";
export { isLiveDescription, lambdaLiveSignals, V2_LIVE_HANDLERS, type LambdaConfigLike } from "./live";
export {
  LAMBDA_TYPE,
  FUNCTION_COMPONENT_TYPE,
  SSR_SITE_TYPES,
  parseLambdaArn,
  parseV3Checkpoint,
  type LambdaArn,
  type CheckpointParse,
} from "./v3";
export {
  parseV2StackMetadata,
  parseV2AppMetadata,
  buildV2Stage,
  readV2Stage,
  type V2MetadataEntry,
  type V2StackInput,
  type V2StackObject,
} from "./v2";
export { readV3Stage, type V3StageObject } from "./read";
export { stageHash, canonicalJson } from "./hash";
