/**
 * What happened to an issue, oldest first: first seen, resolved or ignored (by whom),
 * reopened, regressed (with the occurrence that brought it back, which a click shows),
 * merged (from which issues).
 */
import CircleCheck from "lucide-solid/icons/circle-check";
import EyeOff from "lucide-solid/icons/eye-off";
import GitMerge from "lucide-solid/icons/git-merge";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import Sparkle from "lucide-solid/icons/sparkle";
import TriangleAlert from "lucide-solid/icons/triangle-alert";
import { For, Match, Show, Switch, type JSX } from "solid-js";
import { RelativeTime } from "../../../components/RelativeTime";
import type { IssueDetail, LambdaFunction } from "../../../lib/api";
import { cx } from "../../../lib/cx";
import { plural } from "../../../lib/format";
import { functionLabel } from "../../../lib/issues";
import styles from "./Timeline.module.css";

type Entry = IssueDetail["activity"][number];

const ICON: Record<Entry["kind"], () => JSX.Element> = {
  first_seen: () => <Sparkle aria-hidden="true" />,
  resolved: () => <CircleCheck aria-hidden="true" />,
  ignored: () => <EyeOff aria-hidden="true" />,
  reopened: () => <RotateCcw aria-hidden="true" />,
  regressed: () => <TriangleAlert aria-hidden="true" />,
  merged: () => <GitMerge aria-hidden="true" />,
};

const VERB: Record<Entry["kind"], string> = {
  first_seen: "First seen",
  resolved: "Resolved",
  ignored: "Ignored",
  reopened: "Reopened",
  regressed: "Regressed",
  merged: "Merged",
};

/** "by ana@example.com", or nothing for what the console did by itself. */
function by(actor: string | null): string {
  if (!actor || actor === "system") return "";
  return ` by ${actor}`;
}

export function Timeline(props: { detail: IssueDetail; functions?: LambdaFunction[]; onShowOccurrence?: (id: string) => void }) {
  const entries = () => props.detail.activity;
  const known = (id: string | null | undefined) => !!id && props.detail.occurrences.some((o) => o.id === id);
  return (
    <section class={styles.timeline} aria-labelledby="issue-activity">
      <h2 id="issue-activity" class={styles.title}>
        Activity
      </h2>
      <ol class={styles.list} aria-label="Activity">
        <For each={entries()}>
          {(e) => (
            <li class={cx(styles.entry, e.kind === "regressed" && styles.regressed, e.kind === "resolved" && styles.resolved)} data-kind={e.kind}>
              <span class={styles.icon}>{ICON[e.kind]()}</span>
              <div class={styles.body}>
                <p class={styles.line}>
                  <strong>{VERB[e.kind]}</strong>
                  <Switch>
                    <Match when={e.kind === "merged"}>
                      {` ${plural(e.sources?.length ?? 0, "issue")} into this one${by(e.actor)}`}
                    </Match>
                    <Match when={e.kind === "regressed"}>
                      {" happened again after it was resolved"}
                    </Match>
                    <Match when={true}>{by(e.actor)}</Match>
                  </Switch>
                </p>
                <Show when={e.kind === "regressed" && e.occurrence}>
                  {(o) => (
                    <p class={styles.detail}>
                      in {functionLabel(o().functionName, props.functions)}
                      <Show when={o().requestId}>
                        {(r) => (
                          <>
                            {", request "}
                            <Show when={known(o().id) && props.onShowOccurrence} fallback={<span class={styles.mono}>{r()}</span>}>
                              <button type="button" class={styles.link} onClick={() => props.onShowOccurrence?.(o().id)}>
                                <span class={styles.mono}>{r()}</span>
                              </button>
                            </Show>
                          </>
                        )}
                      </Show>
                    </p>
                  )}
                </Show>
                <Show when={e.kind === "merged" && e.sources?.length}>
                  <ul class={styles.sources} aria-label="Merged issues">
                    <For each={e.sources}>
                      {(s) => (
                        <li title={`${s.type}: ${s.message}`}>
                          <span class={styles.sourceType}>{s.type}</span> {s.message}
                          <span class={styles.count}> · {plural(s.count, "event")}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <RelativeTime time={e.time} class={styles.time} />
              </div>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
