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

/** A record that is not a subscription payload: counted and reported, never retried. */
export class PayloadError extends Error {
  constructor(message: string) {
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
      if (!isGzip(bytes)) throw new PayloadError("not gzip after base64 decoding");
      text = gunzip(bytes);
    }
  } else {
    text = isGzip(data) ? gunzip(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PayloadError("payload is not JSON");
  }
  const parsed = SubscriptionPayloadSchema.safeParse(json);
  if (!parsed.success) throw new PayloadError(`not a subscription payload: ${parsed.error.issues[0]?.path.join(".") ?? ""} ${parsed.error.issues[0]?.message ?? ""}`.trim());
  return parsed.data;
}

function gunzip(bytes: Uint8Array): string {
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch (err) {
    throw new PayloadError(`gzip: ${(err as Error).message}`);
  }
}

/** Data messages carry log events; control messages only test reachability. */
export function isDataMessage(p: SubscriptionPayload): boolean {
  return p.messageType === "DATA_MESSAGE";
}
