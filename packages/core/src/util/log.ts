/**
 * Structured logs for the console's own operations. Never pass secrets (codes,
 * tokens, external ids, credentials): callers log ids and counts only.
 */
import { env } from "../env";

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof levels, "silent">;

function serialize(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function write(level: Level, message: string, data?: Record<string, unknown>) {
  if (levels[level] < levels[env.LOG_LEVEL]) return;
  const fields = data ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, serialize(v)])) : undefined;
  const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...fields });
  if (level === "error" || level === "warn") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export const log = {
  debug: (m: string, d?: Record<string, unknown>) => write("debug", m, d),
  info: (m: string, d?: Record<string, unknown>) => write("info", m, d),
  warn: (m: string, d?: Record<string, unknown>) => write("warn", m, d),
  error: (m: string, d?: Record<string, unknown>) => write("error", m, d),
};
