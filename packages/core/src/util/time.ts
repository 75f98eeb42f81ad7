/** The start of the hour (UTC) that `time` (ms) falls in: the bucket of hourly counts and quotas. */
export function hourOf(time: number): Date {
  return new Date(Math.floor(time / 3_600_000) * 3_600_000);
}
