import { onCleanup } from "solid-js";
import { formatExact, formatRelative, retainClock, useNow } from "../lib/time";

/** "3 min ago", with the exact time in the viewer's zone on hover. */
export function RelativeTime(props: { time: string | Date | number; class?: string }) {
  onCleanup(retainClock());
  const now = useNow();
  const iso = () => {
    const d = new Date(props.time);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  };
  return (
    <time class={props.class} dateTime={iso()} title={formatExact(props.time)}>
      {formatRelative(props.time, now())}
    </time>
  );
}
