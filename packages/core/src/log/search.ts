/**
 * Text search in log lines with CloudWatch Logs' filter-pattern syntax for unstructured
 * events (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html):
 *
 *   error timeout        both terms (AND), case-sensitive substrings
 *   "Task timed out"     a phrase (quoted; `\"` escapes a quote)
 *   ?ERROR ?WARN         any of the `?` terms (OR); a pattern is either AND or OR terms
 *   ERROR -healthcheck   an excluded term (with at least one included term)
 *   { $.level = "ERROR" } JSON patterns go to CloudWatch as they are (no local check)
 *
 * The pattern is sent to FilterLogEvents so AWS does the filtering, and the same rules are
 * applied to what comes back: AWS is the authority, our check keeps an emulator (looser
 * than AWS) and a changed pattern from showing lines that do not match.
 */
export interface ParsedPattern {
  json: boolean;
  all: string[];
  any: string[];
  none: string[];
}

function tokens(q: string): { text: string; prefix: "" | "?" | "-" }[] {
  const out: { text: string; prefix: "" | "?" | "-" }[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q[i]!)) i++;
    if (i >= q.length) break;
    let prefix: "" | "?" | "-" = "";
    if (q[i] === "?" || q[i] === "-") {
      prefix = q[i] as "?" | "-";
      i++;
    }
    let text = "";
    if (q[i] === '"') {
      i++;
      while (i < q.length && q[i] !== '"') {
        if (q[i] === "\\" && i + 1 < q.length) i++;
        text += q[i]!;
        i++;
      }
      i++; // closing quote (or end)
    } else {
      while (i < q.length && !/\s/.test(q[i]!)) text += q[i++]!;
    }
    if (text !== "") out.push({ text, prefix });
  }
  return out;
}

export function parsePattern(q: string): ParsedPattern {
  const t = q.trim();
  if (t.startsWith("{") || t.startsWith("[")) return { json: true, all: [], any: [], none: [] };
  const p: ParsedPattern = { json: false, all: [], any: [], none: [] };
  for (const tok of tokens(t)) (tok.prefix === "?" ? p.any : tok.prefix === "-" ? p.none : p.all).push(tok.text);
  return p;
}

/** The pattern to send to FilterLogEvents: terms quoted so punctuation is literal. */
export function toFilterPattern(q: string): string {
  const p = parsePattern(q);
  if (p.json) return q.trim();
  const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  if (p.any.length) return p.any.map((s) => `?${quote(s)}`).join(" ");
  return [...p.all.map(quote), ...p.none.map((s) => `-${quote(s)}`)].join(" ");
}

/** Whether a message matches, by the same rules as CloudWatch (JSON patterns: always true). */
export function matchesPattern(p: ParsedPattern, message: string): boolean {
  if (p.json) return true;
  if (p.any.length) return p.any.some((s) => message.includes(s));
  if (!p.all.every((s) => message.includes(s))) return false;
  return !p.none.some((s) => message.includes(s));
}
