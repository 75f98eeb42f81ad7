/**
 * One invocation in a function's logs: a summary that opens (status, start, duration,
 * memory, cold start, the error or first line), then its lines with JSON pretty-printed and
 * the error lines highlighted, each error linked to its issue, and Replay when its event is known.
 */
import ChevronRight from "lucide-solid/icons/chevron-right";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import Snowflake from "lucide-solid/icons/snowflake";
import { For, Show, createMemo, createUniqueId } from "solid-js";
import { Badge } from "../../components/Badge";
import { Button, ButtonLink } from "../../components/Button";
import { CopyButton } from "../../components/CopyButton";
import type { Invocation, LambdaFunction } from "../../lib/api";
import { cx } from "../../lib/cx";
import { formatClock, isPlatformLine } from "../../lib/issues";
import { STATUS_LABEL, STATUS_TONE, formatDuration } from "../../lib/logs";
import { formatExact } from "../../lib/time";
import { LogViewer } from "../issues/LogViewer";
import { useStage } from "../stage/stage-context";
import styles from "./Function.module.css";

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

function when(ms: number): string {
  const d = new Date(ms);
  const today = new Date();
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? formatClock(ms) : `${dayFormat.format(d)} ${formatClock(ms)}`;
}

/** A line without Lambda's text prefix (`<ISO time>\t<request id>\t`), which the row already shows. */
function withoutPrefix(message: string): string {
  return message.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z\s+[0-9a-fA-F-]{8,}\s+/, "");
}

export function InvocationRow(props: {
  invocation: Invocation;
  fn: LambdaFunction;
  open: boolean;
  onToggle: () => void;
  replayable: boolean;
  onReplay: () => void;
}) {
  const { path } = useStage();
  const bodyId = `invocation-${createUniqueId()}`;
  const inv = () => props.invocation;
  const outside = () => inv().requestId === null;
  const errorIds = createMemo(() => inv().errors.flatMap((e) => e.eventIds));
  const failed = () => inv().status === "error" || inv().status === "timeout" || inv().status === "oom";
  /** What the row says in one line: its first error, or its first line of its own. */
  const summary = createMemo(() => {
    const e = inv().errors[0];
    if (e) return { error: true, text: `${e.type}: ${e.message}` };
    const line = inv().lines.find((l) => !isPlatformLine(l.message));
    return { error: false, text: line ? withoutPrefix(line.message).replace(/\s+/g, " ").trim() : "" };
  });
  const issueHref = (type: string) => {
    const base = path("issues");
    return `${base}${base.includes("?") ? "&" : "?"}function=${encodeURIComponent(props.fn.name)}&q=${encodeURIComponent(type)}`;
  };
  const label = () => (outside() ? `Lines outside invocations at ${formatExact(inv().start)}` : `Invocation ${inv().requestId}`);

  return (
    <li class={cx(styles.invocation, failed() && styles.failed, props.open && styles.open)} data-request={inv().requestId ?? undefined} data-status={inv().status}>
      <button type="button" class={styles.summary} aria-expanded={props.open} aria-controls={bodyId} aria-label={`${label()}, ${STATUS_LABEL[inv().status]}`} onClick={() => props.onToggle()}>
        <ChevronRight class={styles.chevron} aria-hidden="true" />
        <time class={styles.when} dateTime={new Date(inv().start).toISOString()} title={formatExact(inv().start)}>
          {when(inv().start)}
        </time>
        <span class={styles.facts}>
          <Badge tone={STATUS_TONE[inv().status]}>{outside() ? "Outside invocations" : STATUS_LABEL[inv().status]}</Badge>
          <Show when={inv().initDuration !== null}>
            <span class={styles.cold} title={`Cold start: init took ${formatDuration(inv().initDuration)}`}>
              <Snowflake aria-hidden="true" />
              Cold start
            </span>
          </Show>
          <Show when={!outside()}>
            <span class={styles.figure} title={inv().billedDuration !== null ? `Billed ${formatDuration(inv().billedDuration)}` : undefined}>
              <span class="visually-hidden">Duration </span>
              {formatDuration(inv().duration)}
            </span>
            <Show when={inv().maxMemoryUsed !== null || inv().memorySize !== null}>
              <span class={styles.figure} title="Memory used of the memory size">
                <span class="visually-hidden">Memory </span>
                {inv().maxMemoryUsed ?? "—"} / {inv().memorySize ?? "—"} MB
              </span>
            </Show>
          </Show>
        </span>
        <span class={cx(styles.preview, summary().error && styles.previewError)}>{summary().text}</span>
      </button>
      <Show when={props.open}>
        <div id={bodyId} class={styles.detail}>
          <div class={styles.detailHead}>
            <Show when={inv().requestId}>
              {(id) => (
                <span class={styles.request}>
                  <span class={styles.subtle}>Request</span>
                  <span class={styles.mono} title={id()}>
                    {id()}
                  </span>
                  <CopyButton value={id()} label="request id" size="sm" />
                </span>
              )}
            </Show>
            <Show when={inv().initDuration !== null}>
              <span class={styles.subtle}>Init {formatDuration(inv().initDuration)}</span>
            </Show>
            <Show when={inv().billedDuration !== null}>
              <span class={styles.subtle}>Billed {formatDuration(inv().billedDuration)}</span>
            </Show>
            <Show when={props.replayable}>
              <Button size="sm" icon={<RotateCcw aria-hidden="true" />} onClick={() => props.onReplay()}>
                Replay
              </Button>
            </Show>
          </div>
          <Show when={inv().errors.length > 0}>
            <ul class={styles.errors} aria-label="Errors">
              <For each={inv().errors}>
                {(e) => (
                  <li class={styles.errorItem}>
                    <span class={styles.errorMessage}>
                      <strong>{e.type}</strong> {e.message}
                    </span>
                    <ButtonLink size="sm" variant="ghost" href={issueHref(e.type)}>
                      Its issue
                    </ButtonLink>
                  </li>
                )}
              </For>
            </ul>
          </Show>
          <LogViewer lines={inv().lines} errorIds={errorIds()} label={`Log lines of ${label()}`} pretty />
        </div>
      </Show>
    </li>
  );
}
