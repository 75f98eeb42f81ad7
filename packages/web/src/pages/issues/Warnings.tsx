/**
 * What stops issues from arriving: the hourly soft limit (issues paused until a time) and
 * functions whose logs Console could not subscribe to (with Retry).
 *
 * - `StageWarnings`: on a stage's Issues tab, one amber row per warning, each with Retry.
 * - `WorkspaceWarnings`: on the workspace's Issues page, the rate limit and a summary of
 *   the subscription warnings by stage (Retry lives on each stage's tab).
 */
import { A } from "@solidjs/router";
import CirclePause from "lucide-solid/icons/circle-pause";
import RefreshCw from "lucide-solid/icons/refresh-cw";
import TriangleAlert from "lucide-solid/icons/triangle-alert";
import { useQueryClient } from "@tanstack/solid-query";
import { For, Show, createMemo, createSignal } from "solid-js";
import { Banner } from "../../components/Banner";
import { Button } from "../../components/Button";
import { toast } from "../../components/Toast";
import { useRetryWarning, useWarnings, warningsQuery } from "../../data/issues";
import { useWorkspace } from "../../layout/workspace-context";
import { describeError, type ConsoleWarning, type LambdaFunction, type Stage } from "../../lib/api";
import { plural } from "../../lib/format";
import { functionLabel, isRateLimit, isSubscriptionWarning, warningFunction, warningTitle } from "../../lib/issues";
import { stagePath } from "../../lib/stages";
import { formatExact } from "../../lib/time";
import styles from "./Issues.module.css";

const SHOWN = 3;

/** "Issues are paused until 15:00": the soft limit of the workspace. */
export function RateLimitBanner(props: { warning: ConsoleWarning }) {
  const until = () => props.warning.timeExpires;
  return (
    <Banner
      tone="warning"
      role="alert"
      icon={<CirclePause />}
      title={
        until()
          ? `Issues are paused until ${new Date(until()!).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}`
          : "Issues are paused"
      }
    >
      <p>{props.warning.message}</p>
      <Show when={until()}>
        {(t) => (
          <p class={styles.bannerNote}>
            Errors that happen until then are not turned into issues. Ingestion resumes by itself at{" "}
            <time dateTime={t()}>{formatExact(t())}</time>.
          </p>
        )}
      </Show>
    </Banner>
  );
}

export function StageWarnings(props: { stage: Stage; functions?: LambdaFunction[] }) {
  const { workspace } = useWorkspace();
  const client = useQueryClient();
  const warnings = useWarnings(
    () => workspace().id,
    () => props.stage.id,
  );
  const retryWarning = useRetryWarning(() => workspace().id);

  const [expanded, setExpanded] = createSignal(false);
  const [retrying, setRetrying] = createSignal<Set<string>>(new Set());

  const rateLimits = () => (warnings.data ?? []).filter(isRateLimit);
  const subscription = () =>
    (warnings.data ?? []).filter((w) => isSubscriptionWarning(w) && (w.stageId === props.stage.id || w.stageId === null));
  const shown = () => (expanded() ? subscription() : subscription().slice(0, SHOWN));

  const retry = async (w: ConsoleWarning) => {
    const fn = warningFunction(w);
    const label = fn ? functionLabel(fn, props.functions) : "this function";
    setRetrying((s) => new Set(s).add(w.id));
    try {
      const answer = await retryWarning.mutateAsync(w.id);
      const fresh = await client.fetchQuery({ ...warningsQuery(workspace().id, props.stage.id), staleTime: 0 });
      const still = fresh.find((x) => x.id === w.id || (x.target === w.target && x.type === w.type));
      if (!answer.retried) toast.info("There is nothing to retry for this warning: it clears by itself.");
      else if (still) toast.error(`Console still cannot subscribe to the logs of ${label}. The warning says why.`);
      else toast.success(`Subscribed to the logs of ${label}. Its errors appear here from now on.`);
    } catch (err) {
      toast.error(`Could not retry: ${describeError(err)}`);
    } finally {
      setRetrying((s) => {
        const next = new Set(s);
        next.delete(w.id);
        return next;
      });
    }
  };

  return (
    <Show when={rateLimits().length > 0 || subscription().length > 0}>
      <div class={styles.warnings}>
        <For each={rateLimits()}>{(w) => <RateLimitBanner warning={w} />}</For>
        <For each={shown()}>
          {(w) => (
            <Banner
              tone="warning"
              icon={<TriangleAlert />}
              title={warningTitle(w, props.functions)}
              action={
                <Button
                  size="sm"
                  icon={<RefreshCw aria-hidden="true" />}
                  loading={retrying().has(w.id)}
                  onClick={() => void retry(w)}
                >
                  Retry
                  <span class="visually-hidden"> subscribing to {functionLabel(warningFunction(w), props.functions)}</span>
                </Button>
              }
            >
              {w.message}
            </Banner>
          )}
        </For>
        <Show when={subscription().length > SHOWN}>
          <div>
            <Button size="sm" variant="ghost" aria-expanded={expanded()} onClick={() => setExpanded(!expanded())}>
              {expanded() ? "Show fewer warnings" : `Show ${plural(subscription().length - SHOWN, "more warning")}`}
            </Button>
          </div>
        </Show>
      </div>
    </Show>
  );
}

export function WorkspaceWarnings(props: { stages: Stage[] | undefined }) {
  const { workspace } = useWorkspace();
  const warnings = useWarnings(
    () => workspace().id,
    () => undefined,
  );

  const rateLimits = () => (warnings.data ?? []).filter(isRateLimit);
  const byStage = createMemo(() => {
    const groups = new Map<string, ConsoleWarning[]>();
    for (const w of warnings.data ?? []) {
      if (!isSubscriptionWarning(w) || !w.stageId) continue;
      const list = groups.get(w.stageId) ?? [];
      list.push(w);
      groups.set(w.stageId, list);
    }
    return [...groups.entries()].map(([stageId, list]) => ({
      stage: props.stages?.find((s) => s.id === stageId),
      stageId,
      list,
    }));
  });
  const total = () => byStage().reduce((n, g) => n + g.list.length, 0);

  return (
    <Show when={rateLimits().length > 0 || total() > 0}>
      <div class={styles.warnings}>
        <For each={rateLimits()}>{(w) => <RateLimitBanner warning={w} />}</For>
        <Show when={total() > 0}>
          <Banner
            tone="warning"
            icon={<TriangleAlert />}
            title={`Console cannot read the logs of ${plural(total(), "function")}`}
          >
            <p>Their errors do not become issues until this is fixed. Open the stage to see why and retry.</p>
            <ul class={styles.warningStages}>
              <For each={byStage()}>
                {(g) => (
                  <li>
                    <Show when={g.stage} fallback={<span>{plural(g.list.length, "function")} in a stage no longer listed</span>}>
                      {(stage) => (
                        <>
                          <A href={stagePath(workspace().slug, stage(), props.stages, "issues")}>
                            {stage().app} / {stage().name}
                          </A>
                          <span>: {plural(g.list.length, "function")}</span>
                        </>
                      )}
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Banner>
        </Show>
      </div>
    </Show>
  );
}
