/** Events per hour over the last 7 days (uPlot, components/BarChart.tsx). */
import { createMemo } from "solid-js";
import { BarChart } from "../../../components/BarChart";
import { Section } from "../../../components/Page";
import type { IssueDetail } from "../../../lib/api";
import { plural } from "../../../lib/format";
import { formatHour } from "../../../lib/issues";
import styles from "./IssueDetail.module.css";

export function Histogram(props: { detail: IssueDetail }) {
  const start = () => new Date(props.detail.hourly.start).getTime();
  const counts = () => props.detail.hourly.counts;
  const total = () => counts().reduce((a, b) => a + b, 0);
  const peak = createMemo(() => {
    let best = -1;
    let at = 0;
    counts().forEach((c, i) => {
      if (c > best) {
        best = c;
        at = i;
      }
    });
    return { count: Math.max(0, best), at };
  });
  const label = () =>
    total() === 0
      ? "No events in the last 7 days"
      : `${plural(total(), "event")} in the last 7 days; the busiest hour, ${formatHour(start() + peak().at * 3_600_000)}, had ${peak().count}`;
  return (
    <Section
      title="Events per hour"
      id="histogram"
      description={`${plural(total(), "event")} in the last 7 days, in your time zone. Use the arrow keys on the chart to read each hour.`}
    >
      <div class={styles.chartCard}>
        <BarChart
          variant="histogram"
          values={counts()}
          start={start()}
          step={3_600_000}
          label={label()}
          tooltip={(i, n) => `${formatHour(start() + i * 3_600_000)} · ${plural(n, "event")}`}
        />
      </div>
    </Section>
  );
}
