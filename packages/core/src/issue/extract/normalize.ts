/**
 * Message parameterisation for grouping errors that have no usable stack, after Sentry's
 * `normalize_message` (research §2.1): keep the first two non-empty lines (adding `...` when
 * more were cut), then replace the variable parts with placeholders, in this order: email,
 * url, hostname, ip, trace ids, uuid, sha1, md5, dates, durations, hex, git sha, floats,
 * ints, and quoted values or booleans on the right of `=`.
 *
 * The patterns are one alternation scanned once, left to right. Each alternative either
 * starts with a literal or is guarded by a word boundary and has no nested overlapping
 * quantifiers, so the scan is linear; the input is also capped (a hash needs no more).
 */

const MAX_INPUT = 4096;

const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const TLD =
  "(?:com|net|org|io|dev|app|co|ai|cloud|info|biz|edu|gov|us|uk|de|fr|jp|cn|in|br|ru|nl|eu|ca|au|es|it|ch|se|no|me|tv|xyz|site|tech|online|internal|local|localhost)";

/** [placeholder, pattern] in priority order. */
const PARTS: ReadonlyArray<[string, string]> = [
  ["email", String.raw`(?<![\w.%+-])[\w.%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}\b`],
  ["url", String.raw`\b[A-Za-z][A-Za-z0-9+.-]{1,15}:\/\/[^\s"'<>()\[\]{},]+`],
  ["ip", String.raw`\b(?:\d{1,3}\.){3}\d{1,3}\b|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){3,7}[0-9A-Fa-f]{1,4}\b|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}\b`],
  ["hostname", String.raw`(?<![A-Za-z0-9.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+${TLD}\b`],
  ["traceparent", String.raw`\b00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}\b|\b(?:Root=)?1-[0-9a-f]{8}-[0-9a-f]{24}\b`],
  ["uuid", String.raw`\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b`],
  ["sha1", String.raw`\b[0-9a-fA-F]{40}\b`],
  ["md5", String.raw`\b[0-9a-fA-F]{32}\b`],
  [
    "date",
    [
      String.raw`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?`,
      String.raw`\b${DAY}, \d{1,2} ${MONTH} \d{4} \d{2}:\d{2}:\d{2}(?: (?:GMT|UTC|[+-]\d{4}))?`,
      String.raw`\b${DAY} ${MONTH} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}(?: GMT[+-]\d{4})?(?: \([^)\n]{1,64}\))?`,
      String.raw`\b\d{1,2}\/\d{1,2}\/\d{2,4}\b`,
      String.raw`\b\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?: ?[AaPp][Mm])?\b`,
    ].join("|"),
  ],
  ["duration", String.raw`\b\d+(?:\.\d+)?\s?(?:ms|us|µs|ns|s|sec|secs|seconds?|minutes?|mins?|hours?|h)\b`],
  ["hex", String.raw`\b0[xX][0-9a-fA-F]+\b|\b(?=[0-9a-f]*\d)[0-9a-f]{8,128}\b|\b(?=[0-9A-F]*\d)[0-9A-F]{8,128}\b`],
  ["git_sha", String.raw`\b(?=[0-9a-f]{0,6}\d)(?=[0-9a-f]{0,6}[a-f])[0-9a-f]{7}\b`],
  ["float", String.raw`(?<![\w.])-?\d+\.\d+(?![\w.])`],
  ["int", String.raw`(?<![\w.])-?\d+(?![\w.])`],
  ["quoted_str", String.raw`(?<==)(?:"[^"\n]{0,200}"|'[^'\n]{0,200}')`],
  ["bool", String.raw`(?<==)(?:true|false|True|False)\b`],
];

const NAMES = PARTS.map(([name]) => name);
export const SCANNER = new RegExp(PARTS.map(([name, re]) => `(?<${name}>${re})`).join("|"), "g");

/** The first two non-empty lines, and whether more were cut. */
function firstLines(message: string): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let start = 0;
  while (start <= message.length && lines.length <= 2) {
    let end = message.indexOf("\n", start);
    if (end === -1) end = message.length;
    const line = message.slice(start, end).replace(/\r$/, "").trim();
    if (line !== "") {
      if (lines.length === 2) return { lines, cut: true };
      lines.push(line);
    }
    start = end + 1;
  }
  return { lines, cut: false };
}

/** Replace the variable parts of a message with `<placeholder>`s. */
export function parameterize(text: string): string {
  const input = text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text;
  return input.replace(SCANNER, (...args) => {
    const groups = args[args.length - 1] as Record<string, string | undefined>;
    for (const name of NAMES) if (groups[name] !== undefined) return `<${name}>`;
    return args[0] as string;
  });
}

/** The message as it takes part in a fingerprint. */
export function normalizeMessage(message: string): string {
  const { lines, cut } = firstLines(message.indexOf("\r") === -1 ? message : message.replace(/\r\n?/g, "\n"));
  return lines.map(parameterize).join("\n") + (cut ? "..." : "");
}
