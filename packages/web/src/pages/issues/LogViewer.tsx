/**
 * The log lines of one invocation: monospace, START/END/REPORT (Lambda's own lines)
 * dimmed, the lines of the error highlighted, JSON messages pretty-printed on demand.
 */
import Braces from "lucide-solid/icons/braces";
import { For, Show, createMemo, createSignal } from "solid-js";
import type { LogLine } from "../../lib/api";
import { cx } from "../../lib/cx";
import { formatClock, isErrorLine, isPlatformLine, jsonOf, prefixOfJson } from "../../lib/issues";
import { formatExact } from "../../lib/time";
import styles from "./LogViewer.module.css";

export function LogViewer(props: { lines: LogLine[]; errorIds: string[]; label: string; /** JSON lines start pretty-printed. */ pretty?: boolean }) {
  const ids = createMemo(() => new Set(props.errorIds));
  const sorted = createMemo(() => [...props.lines].sort((a, b) => a.timestamp - b.timestamp));
  return (
    <ol class={styles.log} aria-label={props.label}>
      <For each={sorted()}>{(line) => <Line line={line} error={isErrorLine(line, ids())} pretty={props.pretty} />}</For>
    </ol>
  );
}

function Line(props: { line: LogLine; error: boolean; pretty?: boolean }) {
  // Lambda's own JSON records (platform.start, platform.report) stay on one line.
  const [pretty, setPretty] = createSignal((props.pretty ?? false) && !isPlatformLine(props.line.message));
  const platform = () => isPlatformLine(props.line.message);
  const json = createMemo(() => jsonOf(props.line.message));
  return (
    <li
      class={cx(styles.line, platform() && styles.platform, props.error && styles.error)}
      data-error={props.error ? "" : undefined}
    >
      <time class={styles.time} dateTime={new Date(props.line.timestamp).toISOString()} title={formatExact(props.line.timestamp)}>
        {formatClock(props.line.timestamp)}
      </time>
      <Show when={props.error}>
        <span class="visually-hidden">Error: </span>
      </Show>
      <div class={styles.body}>
        <Show
          when={pretty() && json() !== undefined}
          fallback={<span class={styles.message}>{props.line.message.replace(/\n+$/, "")}</span>}
        >
          <Show when={prefixOfJson(props.line.message)}>
            {(prefix) => <span class={styles.message}>{prefix().trimEnd()}</span>}
          </Show>
          <pre class={styles.json}>{JSON.stringify(json(), null, 2)}</pre>
        </Show>
      </div>
      <Show when={json() !== undefined}>
        <button
          type="button"
          class={styles.jsonToggle}
          aria-pressed={pretty()}
          aria-label={pretty() ? "Show the line as logged" : "Format the JSON of this line"}
          title={pretty() ? "Show the line as logged" : "Format JSON"}
          onClick={() => setPretty(!pretty())}
        >
          <Braces aria-hidden="true" />
        </button>
      </Show>
    </li>
  );
}
