/**
 * The one error type of SST state parsing. Each failure has a stable code, so a scan can
 * count and report skipped stages by reason instead of crashing on one bad object.
 */
const SstErrorCodes = [
  /** The body is not valid JSON (after gunzip when it was gzipped). */
  "invalid_json",
  /** The body starts with the gzip magic bytes but does not inflate (truncated, corrupt). */
  "invalid_gzip",
  /** The body inflates to more than the allowed size. */
  "too_large",
  /** Valid JSON, but not the shape SST writes (no checkpoint, resources not a list, ...). */
  "unexpected_shape",
  /** The SSM bootstrap parameter is not the JSON SST writes. */
  "invalid_bootstrap",
  /** An S3 key that is not one of SST's layouts. */
  "invalid_key",
] as const;

export type SstErrorCode = (typeof SstErrorCodes)[number];

export class SstStateError extends Error {
  constructor(
    readonly code: SstErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "SstStateError";
  }
}

export function isSstStateError(err: unknown): err is SstStateError {
  return err instanceof SstStateError;
}
