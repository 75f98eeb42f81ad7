/**
 * Text that people choose (workspace names, who invited whom) put into emails the
 * console sends on their behalf. Such text is one line, capped, and cannot carry a
 * link a mail client would make clickable: a workspace named
 * "Acme\nYour account is locked: https://evil.example" must not become a phishing
 * email signed by the console.
 */

/** Control, format (bidi overrides, zero-width) and line/paragraph separator characters. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** Something a mail client would link: a scheme URL, a www. host, or a bare domain (not the domain of an email address). */
const LINKABLE =
  /\b[a-z][a-z0-9+.-]*:\/\/\S*|\bwww\.\S+|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?![@\w-])(?:\/\S*)?/giu;

/** `a.b/c` becomes `a[.]b/c`, `https://` becomes `https[:]//`: readable, never a link. */
function defang(token: string): string {
  return token.replace(/\./g, "[.]").replace(/:/g, "[:]");
}

/**
 * `text` as one line of at most `max` characters (code points): invisible and
 * line-breaking characters become spaces, runs of spaces one space, and links are
 * neutralised.
 */
export function inlineText(text: string, max: number): string {
  const line = text.normalize("NFC").replace(INVISIBLE, " ").replace(/\s+/g, " ").trim().replace(LINKABLE, defang);
  const chars = [...line];
  if (chars.length <= max) return line;
  return `${chars.slice(0, Math.max(1, max - 1)).join("").trimEnd()}…`;
}
