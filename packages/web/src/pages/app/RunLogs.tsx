/**
 * A run's log: polled every 1.5 s until the server says it is complete (src/data/autodeploy.ts),
 * marked live meanwhile. The view follows new lines while it is scrolled to the end; once
 * the reader scrolls up it stays where it is, and "Jump to latest" brings it back.
 */
import ArrowDown from "lucide-solid/icons/arrow-down";
import { For, Match, Show, Switch, createEffect, createSignal, on } from "solid-js";
import { Button } from "../../components/Button";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { SkeletonRows } from "../../components/Skeleton";
import { useRunLogs } from "../../data/autodeploy";
import { useWorkspace } from "../../layout/workspace-context";
import { describeError, type Run } from "../../lib/api";
import { atBottom, isActive } from "../../lib/autodeploy";
import { plural } from "../../lib/format";
import { formatClock } from "../../lib/issues";
import { formatExact } from "../../lib/time";
import logStyles from "../issues/LogViewer.module.css";
import styles from "./Autodeploy.module.css";

export function RunLogs(props: { run: Run }) {
  const { workspace } = useWorkspace();
  const logs = useRunLogs(
    () => workspace().id,
    () => props.run.appId,
    () => props.run.id,
  );
  const [following, setFollowing] = createSignal(true);
  let box: HTMLOListElement | undefined;

  const lines = () => logs.data?.lines ?? [];
  const live = () => !!logs.data && !logs.data.done;

  // New lines: keep the end in view while following.
  createEffect(
    on(
      () => lines().length,
      () => {
        if (box && following()) box.scrollTop = box.scrollHeight;
      },
    ),
  );

  const jump = () => {
    setFollowing(true);
    if (box) box.scrollTop = box.scrollHeight;
  };

  return (
    <Section
      title="Logs"
      id="logs"
      actions={
        <span class={styles.logHead}>
          <Show when={live()}>
            <span class={styles.live} role="status">
              <span class={styles.liveDot} aria-hidden="true" />
              Live
            </span>
          </Show>
          <Show when={logs.data}>
            <span>{plural(lines().length, "line")}</span>
          </Show>
        </span>
      }
    >
      <Switch>
        <Match when={logs.error && !logs.data}>
          <ErrorState title="Could not load the logs" error={logs.error} onRetry={() => logs.refetch()} />
        </Match>
        <Match when={!logs.data}>
          <SkeletonRows rows={4} columns={2} label="Loading the logs" />
        </Match>
        <Match when={logs.data}>
          <Show when={logs.data!.dropped > 0}>
            <p class={styles.help}>The first {plural(logs.data!.dropped, "line")} are not shown (the page keeps the latest lines).</p>
          </Show>
          <Show when={logs.error && live()}>
            <p class={styles.help} role="status">
              Could not load new lines ({describeError(logs.error)}). Trying again…
            </p>
          </Show>
          <div class={styles.logWrap}>
            <ol
              ref={box}
              class={logStyles.log}
              aria-label="Run log"
              aria-live="off"
              tabIndex={0}
              onScroll={(e) => setFollowing(atBottom(e.currentTarget))}
            >
              <For
                each={lines()}
                fallback={
                  <li class={styles.logEmpty}>
                    {logs.data!.done
                      ? "This run wrote no log."
                      : props.run.status === "queued"
                        ? "The run has not started yet: its log appears here when it does."
                        : "Waiting for the first lines…"}
                  </li>
                }
              >
                {(line) => (
                  <li class={logStyles.line}>
                    <time class={logStyles.time} dateTime={new Date(line.timestamp).toISOString()} title={formatExact(line.timestamp)}>
                      {formatClock(line.timestamp)}
                    </time>
                    <div class={logStyles.body}>
                      <span class={logStyles.message}>{line.message.replace(/\n+$/, "")}</span>
                    </div>
                  </li>
                )}
              </For>
            </ol>
            <Show when={!following() && lines().length > 0}>
              <Button class={styles.jump} size="sm" icon={<ArrowDown aria-hidden="true" />} onClick={jump}>
                Jump to latest
              </Button>
            </Show>
          </div>
          <Show when={!isActive(props.run) && live()}>
            <p class={styles.help}>Reading the rest of the log…</p>
          </Show>
        </Match>
      </Switch>
    </Section>
  );
}
