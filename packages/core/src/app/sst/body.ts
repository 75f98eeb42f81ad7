/**
 * Reading S3 object bodies written by SST. Since v4.13.1 (`state.compress`) SST may gzip
 * state objects and upload them with `ContentEncoding: gzip`; its own reader sniffs the
 * gzip magic bytes and reads plain JSON otherwise, so we do the same and never trust the
 * Content-Encoding header (the SDK does not inflate bodies for us).
 */
import { gunzipSync } from "node:zlib";
import { SstStateError } from "./error";

/** Largest inflated body we accept. State files of big apps reach tens of MB. */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

export type Body = Uint8Array | string;

export function isGzip(body: Body): boolean {
  if (typeof body === "string") return false;
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

/** Returns the text of a body, inflating it when it carries the gzip magic bytes. */
export function decodeBody(body: Body, options: { maxBytes?: number } = {}): string {
  if (typeof body === "string") return stripBom(body);
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  let bytes: Uint8Array = body;
  if (isGzip(body)) {
    try {
      bytes = gunzipSync(body, { maxOutputLength: maxBytes });
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
        throw new SstStateError("too_large", `gzipped body inflates to more than ${maxBytes} bytes`);
      }
      throw new SstStateError("invalid_gzip", `gzipped body does not inflate: ${e.message}`);
    }
  } else if (body.length > maxBytes) {
    throw new SstStateError("too_large", `body is larger than ${maxBytes} bytes`);
  }
  return stripBom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
}

/**
 * Parses a JSON body. An empty (or whitespace-only) body gives `undefined`: SST leaves an
 * empty `app/<app>/<stage>.json` behind when a stage is removed without `purge`.
 */
export function parseJsonBody(body: Body, options: { maxBytes?: number } = {}): unknown {
  const text = decodeBody(body, options);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SstStateError("invalid_json", `body is not valid JSON: ${(err as Error).message}`);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
