/**
 * Fingerprint rules written by users, after Sentry's server-side fingerprinting: a rule
 * matches errors on their type, message, Lambda function and frame files (globs), and
 * either replaces the fingerprint with fixed values ("all these are one issue") or refines
 * the default one with `{{ default }}` plus extra values ("split this issue by X").
 *
 * Rules are data from users, so they are validated (zod) and matched with a linear-time
 * glob matcher rather than compiled into regular expressions.
 */
import { z } from "zod";
import type { DetectedError } from "./types";

export const FingerprintRuleSchema = z
  .object({
    /** Shown in the UI and in the fingerprint's explanation. */
    name: z.string().max(200).optional(),
    match: z
      .object({
        /** Glob on the error type, case-sensitive: `TRPCError`, `*Timeout*`. */
        type: z.string().min(1).max(500).optional(),
        /** Glob on the message, case-insensitive: `Rate exceeded*`. */
        message: z.string().min(1).max(1000).optional(),
        /** Glob on the Lambda function name: `*-api-*`. */
        function: z.string().min(1).max(500).optional(),
        /** Glob matched against every frame's file (original and generated): `*src/db/*`. */
        file: z.string().min(1).max(500).optional(),
      })
      .refine((m) => m.type !== undefined || m.message !== undefined || m.function !== undefined || m.file !== undefined, {
        message: "a rule needs at least one of type, message, function, file",
      }),
    /**
     * The fingerprint: fixed values replace the default grouping; `{{ default }}` keeps it and
     * adds the other values. `{{ type }}`, `{{ message }}` (normalised) and `{{ function }}`
     * are replaced by the error's.
     */
    fingerprint: z.array(z.string().min(1).max(200)).min(1).max(10),
  })
  .strict();

export type FingerprintRule = z.infer<typeof FingerprintRuleSchema>;

/** Validate rules supplied by a user; throws a ZodError listing what is wrong. */
export function parseRules(input: unknown): FingerprintRule[] {
  return z.array(FingerprintRuleSchema).max(200).parse(input);
}

const MAX_SUBJECT = 2000;

/**
 * Glob match: `*` any run of characters, `?` one character, everything else literal.
 * The classic two-pointer algorithm with one backtrack point: O(n*m) at worst, linear in
 * practice, never exponential.
 */
export function globMatch(pattern: string, subject: string, ignoreCase = false): boolean {
  let p = ignoreCase ? pattern.toLowerCase() : pattern;
  let s = subject.length > MAX_SUBJECT ? subject.slice(0, MAX_SUBJECT) : subject;
  if (ignoreCase) s = s.toLowerCase();
  p = p.replace(/\*{2,}/g, "*");
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === "?" || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = si;
    } else if (star !== -1) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

export interface RuleSubject {
  error: DetectedError;
  functionName?: string;
}

export function ruleMatches(rule: FingerprintRule, { error, functionName }: RuleSubject): boolean {
  const m = rule.match;
  if (m.type !== undefined && !globMatch(m.type, error.type)) return false;
  if (m.message !== undefined && !globMatch(m.message, error.message, true)) return false;
  if (m.function !== undefined && (functionName === undefined || !globMatch(m.function, functionName))) return false;
  if (m.file !== undefined) {
    const frames = [...error.frames, ...(error.causes ?? []).flatMap((c) => c.frames)];
    const hit = frames.some((f) => globMatch(m.file!, f.file) || (f.generated !== undefined && globMatch(m.file!, f.generated.file)));
    if (!hit) return false;
  }
  return true;
}

/** The first rule that matches, if any. */
export function findRule(rules: readonly FingerprintRule[], subject: RuleSubject): FingerprintRule | undefined {
  for (const r of rules) if (ruleMatches(r, subject)) return r;
  return undefined;
}
