/** Path parameters as the router gives them (still percent-encoded). */

/** `my%20app` → `my app`; a malformed escape stays as it is. */
export function decodeParam(value: string | undefined): string {
  if (value === undefined) return "";
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
