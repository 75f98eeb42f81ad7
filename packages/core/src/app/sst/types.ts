/**
 * The stage model discovery builds from SST state, the same for v3/v4 (Pulumi checkpoints)
 * and v2 (CloudFormation stack metadata), so everything downstream (storage, issues, logs,
 * usage) deals with one shape.
 */
import type { SstErrorCode } from "./error";

export type SstVersion = "v3" | "v2";

export interface StageResource {
  /** Unique within the stage: the Pulumi URN (v3), the construct address (v2) or the stack name (v2 stacks). */
  key: string;
  /** Pulumi type (`sst:aws:Function`, `aws:s3/bucketV2:BucketV2`) or v2 construct type (`Function`, `Api`, `Stack`). */
  type: string;
  /** Pulumi resource name / v2 construct id. */
  name: string;
  /** Key of the parent resource (v3: parent URN, v2: the stack name). */
  parent?: string;
  /** v3: true for cloud resources, false for components. */
  custom?: boolean;
  /** v3: the provider id of a cloud resource (e.g. the Lambda function name). */
  physicalId?: string;
  /** v3: plain outputs, Pulumi secrets and `__` keys dropped. v2: the construct's `data`. */
  outputs: Record<string, unknown>;
  /** v3: Pulumi `created` / `modified` timestamps (ISO). */
  createdAt?: string;
  modifiedAt?: string;
}

export type LiveSignal =
  /** v3 `sst:aws:Function` output `_live` (only written under `sst dev`). */
  | "component_live"
  /** v3 `sst:aws:Function` output `_metadata.dev === true`. */
  | "component_dev"
  /** Lambda description `live` or `… (live)`. */
  | "description"
  /** Lambda environment has `SST_FUNCTION_ID` (only set on live stubs), when readable. */
  | "environment"
  /** Runtime and handler of SST's live stub (`provided.al2023` + `bootstrap`, v2 `live-lambda.handler`). */
  | "runtime_handler"
  /** v2: the stage's `appMetadata` says `mode: "dev"`. */
  | "app_mode_dev";

export interface StageFunction {
  /** Unique within the stage: the Lambda resource URN (v3) or construct address (v2). */
  key: string;
  /** v3: URN of the `sst:aws:Function` component, when the Lambda has one. */
  componentKey?: string;
  /** Component (v3) or construct (v2) name as written in sst.config.ts, e.g. `Api`. */
  component: string;
  /** Lambda function name. */
  name: string;
  arn: string;
  region: string;
  accountId: string;
  runtime?: string;
  /** The handler the Lambda runs (`bootstrap` for a v3 live stub). */
  handler?: string;
  /** The handler in the source, e.g. `packages/functions/src/api.handler`. */
  sourceHandler?: string;
  description?: string;
  memorySize?: number;
  /** Seconds. */
  timeout?: number;
  /** Bytes of the deployed code package. */
  codeSize?: number;
  architecture?: string;
  logGroup: string;
  live: boolean;
  liveSignals: LiveSignal[];
  /** Created by SST for a site or a helper rather than by the user (SSR servers, `_metadata.internal`). */
  internal: boolean;
  /** v3: time of the stage's last update (`manifest.time`); v2: last write of the stack metadata. */
  deployedAt?: string;
  /** v3: Pulumi `modified` of the Lambda resource. */
  modifiedAt?: string;
  /** v2: the CloudFormation stack holding the function. */
  stack?: string;
  /** v2: SST could not upload a source map for it. */
  missingSourcemap?: boolean;
  /** v2: names of bound Config secrets. */
  secrets?: string[];
}

export interface StageModel {
  sst: SstVersion;
  app: string;
  stage: string;
  /** v3: region of the default AWS provider; v2: region of the bootstrap bucket, when given. */
  region?: string;
  /** Time of the last deploy (v3 `manifest.time`; v2 latest stack metadata write, when given). */
  deployedAt?: string;
  /**
   * A personal (developer) stage: functions run live (`sst dev`). Nothing in AWS records
   * this directly: it is inferred from the stage's functions (./live.ts).
   */
  personal: boolean;
  /** v2: `appMetadata` mode, when the object exists. */
  mode?: "deploy" | "dev";
  /** v2: CloudFormation stack names of the stage. */
  stacks?: string[];
  resources: StageResource[];
  functions: StageFunction[];
  /** Things that were skipped or looked odd while parsing (a malformed resource entry, a bad stack file). */
  warnings: string[];
}

export type RemovedReason =
  /** An empty `app/<app>/<stage>.json` (left by `sst remove` without purge). */
  | "empty_file"
  /** A checkpoint with no resources (SST's own rule for "stage does not exist"). */
  | "no_resources"
  /** v2: no stack metadata objects left. */
  | "no_stacks";

export type StageReadResult =
  | { status: "ok"; app: string; stage: string; model: StageModel; hash: string }
  | { status: "removed"; app: string; stage: string; reason: RemovedReason }
  | { status: "skipped"; app?: string; stage?: string; reason: SstErrorCode; message: string };
