/**
 * The Local tab of a stage: while `sst dev` runs this stage on the developer's machine, the
 * invocations of its functions as they happen, streamed from `sst dev`'s local server to this
 * browser (never through the console's servers; ../../lib/local). Clear empties the list
 * here and in `sst dev` (`log.cleared`). When `sst dev` is not reachable: what to run.
 */
import Eraser from "lucide-solid/icons/eraser";
import Laptop from "lucide-solid/icons/laptop";
import { A, useSearchParams } from "@solidjs/router";
import { Match, Show, Switch, createMemo } from "solid-js";
import { Button, ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { useStageDetail } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import { cx } from "../../lib/cx";
import { plural } from "../../lib/format";
import { useLocal } from "../../lib/local";
import { parseSource } from "../../lib/local/match";
import { LocalHelp } from "../local/LocalHelp";
import { LocalInvocations } from "../local/LocalInvocations";
import styles from "../local/Local.module.css";
import { useStage } from "./stage-context";

export default function StageLocal() {
  const { stage, path } = useStage();
  const stagePathAll = () => path("local");
  const { workspace } = useWorkspace();
  const local = useLocal();
  const [search] = useSearchParams();
  /** `?function=<name>`: one function's local invocations (a live function's logs). */
  const only = () => (typeof search.function === "string" && search.function ? search.function : undefined);
  const detail = useStageDetail(
    () => workspace().id,
    () => stage().id,
  );
  const isThis = (d: { app: string; stage: string } | undefined) => !!d && d.app === stage().app && d.stage === stage().name;
  const live = () => isThis(local.dev());
  /** This stage's invocations: all of the connection's when it runs this stage (v3 URNs name their stage too). */
  const nameOf = (source: string) => {
    if (!source) return "(deploying)";
    return parseSource(source, detail.data?.resources ?? []).name;
  };
  const invocations = createMemo(() => {
    if (!isThis(local.lastDev())) return [];
    return local.invocations().filter((i) => {
      const s = parseSource(i.source);
      if (s.stage !== undefined && (s.stage !== stage().name || s.app !== stage().app)) return false;
      return !only() || nameOf(i.source) === only();
    });
  });

  return (
    <div class={styles.page}>
      <div class={styles.bar}>
        <span class={cx(styles.status, live() && styles.live)} role="status">
          <span class={styles.dot} aria-hidden="true" />
          <Switch fallback={<>Not running locally</>}>
            <Match when={live()}>
              Live: sst dev runs {stage().name} on this computer
            </Match>
            <Match when={local.dev()}>{(d) => <>sst dev runs {d().app} / {d().stage}, not this stage</>}</Match>
            <Match when={local.status() === "connecting" && local.rounds() === 0}>Looking for sst dev…</Match>
          </Switch>
        </span>
        <Show when={only()}>
          {(fn) => (
            <span class={styles.subtle}>
              · only {fn()} (<A href={stagePathAll()}>show all</A>)
            </span>
          )}
        </Show>
        <div class={styles.spacer} />
        <Show when={invocations().length > 0}>
          <span class={styles.subtle}>{plural(invocations().length, "invocation")}</span>
          <Button size="sm" variant="secondary" icon={<Eraser aria-hidden="true" />} onClick={() => local.clear(only() ? [...new Set(invocations().map((i) => i.source))] : "all")}>
            Clear
          </Button>
        </Show>
      </div>
      <Switch>
        <Match when={invocations().length > 0}>
          <LocalInvocations invocations={invocations()} nameOf={nameOf} />
        </Match>
        <Match when={live()}>
          <EmptyState icon={<Laptop />} title="Waiting for invocations">
            sst dev runs {stage().name}: invoke one of its functions (call its URL, send it an event) and the invocation shows
            here as it happens, with its logs.
          </EmptyState>
        </Match>
        <Match when={local.dev()}>
          {(d) => (
            <EmptyState
              icon={<Laptop />}
              title={`sst dev runs ${d().stage} of ${d().app}`}
              action={
                <ButtonLink href={`/local/${encodeURIComponent(d().app)}/${encodeURIComponent(d().stage)}`} variant="primary">
                  Open {d().stage}
                </ButtonLink>
              }
            >
              The sst dev on this computer runs another stage. To see {stage().name} here, run sst dev for it.
            </EmptyState>
          )}
        </Match>
        <Match when={true}>
          <EmptyState icon={<Laptop />} title={local.rounds() > 0 ? "sst dev is not reachable from this browser" : "Looking for sst dev…"}>
            <p>
              {stage().personal
                ? `${stage().name} runs its functions live with sst dev. When it runs on this computer, its invocations stream here.`
                : "When someone runs sst dev for this stage on this computer, the invocations of its functions stream here."}
            </p>
            <LocalHelp stage={stage().name} port={local.port()} />
          </EmptyState>
        </Match>
      </Switch>
    </div>
  );
}
