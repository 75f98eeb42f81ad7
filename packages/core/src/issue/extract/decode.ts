/**
 * CloudWatch Logs subscription payloads, as a Kinesis record or a Lambda destination
 * carries them: base64 of gzip of `{messageType, owner, logGroup, logStream,
 * subscriptionFilters, logEvents: [{id, timestamp, message}]}`. `CONTROL_MESSAGE` payloads
 * only check that the destination is reachable and hold no log events.
 */
import { gunzipSync } from "node:zlib";
import { z } from "zod";

export const LogEventSchema = z.object({
  // CloudWatch Logs sends ids as strings; some emitters (the AWS emulator) send numbers.
  id: z.union([z.string(), z.number().transform(String)]).optional(),
  timestamp: z.number(),
  message: z.string(),
});

export const SubscriptionPayloadSchema = z.object({
  messageType: z.string(),
  owner: z.string().optional(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()).optional(),
  logEvents: z.array(LogEventSchema),
});

export type SubscriptionPayload = z.infer<typeof SubscriptionPayloadSchema>;

/**
 * Largest inflated payload accepted. CloudWatch Logs sends at most ~1 MB of events per
 * payload (a Kinesis record is at most 1 MiB compressed); anything inflating beyond this is a
 * decompression bomb, not logs (a 400 KB record could inflate to 300 MB).
 */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/** Why a record is not a usable payload: the key of the per-reason malformed counts. */
export type PayloadErrorReason = "not_gzip" | "gzip" | "too_large" | "not_json" | "not_payload";

/** A record that is not a subscription payload: counted and reported, never retried. */
export class PayloadError extends Error {
  constructor(
    message: string,
    readonly reason: PayloadErrorReason = "not_payload",
  ) {
    super(message);
    this.name = "PayloadError";
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decode one payload from gzip bytes, base64 text of gzip bytes, or JSON text.
 * Throws PayloadError when it is none of these or not a subscription payload.
 */
export function decodeSubscriptionPayload(data: string | Uint8Array): SubscriptionPayload {
  let text: string;
  if (typeof data === "string") {
    const t = data.trim();
    if (t.startsWith("{")) text = t;
    else {
      const bytes = Buffer.from(t, "base64");
      if (!isGzip(bytes)) throw new PayloadError("not gzip after base64 decoding", "not_gzip");
      text = gunzip(bytes);
    }
  } else {
    text = isGzip(data) ? gunzip(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PayloadError("payload is not JSON", "not_json");
  }
  return subscriptionPayloadOf(json);
}

/** A subscription payload already parsed from JSON, checked. Throws PayloadError when it is not one. */
export function subscriptionPayloadOf(json: unknown): SubscriptionPayload {
  const parsed = SubscriptionPayloadSchema.safeParse(json);
  if (!parsed.success) throw new PayloadError(`not a subscription payload: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`.trim());
  return parsed.data;
}

function gunzip(bytes: Uint8Array): string {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }).toString("utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new PayloadError(`gzip: inflates to more than ${MAX_INFLATED_BYTES} bytes`, "too_large");
    throw new PayloadError(`gzip: ${(err as Error).message}`, "gzip");
  }
}

/** Data messages carry log events; control messages only test reachability. */
export function isDataMessage(p: SubscriptionPayload): boolean {
  return p.messageType === "DATA_MESSAGE";
}
