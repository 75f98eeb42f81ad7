/** Relative times ("3 min ago") that stay fresh, and exact times in the viewer's zone. */
import { createSignal } from "solid-js";

const [now, setNow] = createSignal(Date.now());
let timer: ReturnType<typeof setInterval> | undefined;
let users = 0;

/** The current time, updated every 30 seconds while something shows a relative time. */
export function useNow(): () => number {
  return now;
}

export function retainClock(): () => void {
  users++;
  if (!timer) {
    setNow(Date.now());
    timer = setInterval(() => setNow(Date.now()), 30_000);
  }
  return () => {
    users--;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const dateFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", year: "numeric" });
const exactFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "long",
});

export function formatRelative(time: Date | string | number, reference: number = Date.now()): string {
  const date = time instanceof Date ? time : new Date(time);
  const ms = date.getTime();
  if (Number.isNaN(ms)) return "—";
  const diff = reference - ms;
  const future = diff < 0;
  const abs = Math.abs(diff);
  const wrap = (text: string) => (future ? `in ${text}` : `${text} ago`);
  // Small clock differences between server and browser are not "the future".
  if (abs < 45_000 || (future && abs < 120_000)) return "just now";
  if (abs < HOUR) return wrap(`${Math.max(1, Math.round(abs / MINUTE))} min`);
  if (abs < DAY) return wrap(`${Math.round(abs / HOUR)} h`);
  const days = Math.round(abs / DAY);
  if (days === 1) return future ? "tomorrow" : "yesterday";
  if (days < 30) return wrap(`${days} days`);
  return dateFormat.format(date);
}

export function formatExact(time: Date | string | number): string {
  const date = time instanceof Date ? time : new Date(time);
  if (Number.isNaN(date.getTime())) return "";
  return exactFormat.format(date);
}
