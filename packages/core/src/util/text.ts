/**
 * Bounded text for bounded columns. MySQL's TEXT holds 65,535 *bytes* (utf8mb4: up
 * to 4 per character), VARCHAR(n) holds n characters (code points); JavaScript
 * strings count UTF-16 units. Cutting by `.slice` can overflow a TEXT (multibyte
 * text) or leave half a surrogate pair; these cut on a character boundary.
 */

/** A TEXT column's capacity in bytes. */
export const TEXT_BYTES = 65_535;

/** At most `maxBytes` of UTF-8, cut on a character boundary (never half a character). */
export function cutBytes(value: string, maxBytes: number): string {
  // Every UTF-16 unit encodes to at most 3 bytes (a surrogate pair, two units, to 4).
  if (value.length * 3 <= maxBytes) return value;
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length <= maxBytes) return value;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString("utf8");
}

/** At most `max` characters (code points, as VARCHAR counts them), never half a surrogate pair. */
export function cutChars(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max;
  const code = value.charCodeAt(end - 1);
  // A high surrogate at the cut would be left alone: drop it.
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return value.slice(0, end);
}
