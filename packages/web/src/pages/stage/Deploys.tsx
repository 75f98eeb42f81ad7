/**
 * The Deploys tab of a stage: every deploy SST recorded in the state bucket, newest first
 * (who ran it, command, start, duration, result, counts of changes), failed ones with
 * their first error in view. Opening a deploy (`?deploy=<id>`, where alerts link) lists
 * the resources it created, updated, deleted or replaced, with their errors.
 */
import { useSearchParams } from "@solidjs/router";
import ChevronRight from "lucide-solid/icons/chevron-right";
import CircleCheck from "lucide-solid/icons/circle-check";
import CircleX from "lucide-solid/icons/circle-x";
import GitBranch from "lucide-solid/icons/git-branch";
import Rocket from "lucide-solid/icons/rocket";
import LoaderCircle from "lucide-solid/icons/loader-circle";
import { For, Match, Show, Switch } from "solid-js";
import { Badge, type BadgeTone } from "../../components/Badge";
import { A } from "@solidjs/router";
import { Button, ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { SkeletonRows } from "../../components/Skeleton";
import { useDeploy, useDeploys } from "../../data/deploys";
import { useWorkspace } from "../../layout/workspace-context";
import type { DeployChange, DeploySummary } from "../../lib/api";
import { autodeployPath, runPath } from "../../lib/autodeploy";
import { formatDuration, plural } from "../../lib/format";
import { useStage } from "./stage-context";
import styles from "./Deploys.module.css";

const STATUS: Record<DeploySummary["status"], { label: string; tone: BadgeTone }> = {
  succeeded: { label: "Succeeded", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  running: { label: "Running", tone: "accent" },
};

const ACTION: Record<DeployChange["action"], { label: string; tone: BadgeTone }> = {
  create: { label: "Created", tone: "success" },
  update: { label: "Updated", tone: "accent" },
  delete: { label: "Deleted", tone: "warning" },
  replace: { label: "Replaced", tone: "warning" },
};

function counts(d: DeploySummary): string {
  const parts = [
    d.counts.created && `${d.counts.created} created`,
    d.counts.updated && `${d.counts.updated} updated`,
    d.counts.deleted && `${d.counts.deleted} deleted`,
    d.counts.replaced && `${d.counts.replaced} replaced`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no resource changes recorded";
}

function StatusIcon(props: { status: DeploySummary["status"] }) {
  return (
    <span class={styles.statusIcon} data-status={props.status} aria-hidden="true">
      <Switch>
        <Match when={props.status === "succeeded"}>
          <CircleCheck />
        </Match>
        <Match when={props.status === "failed"}>
          <CircleX />
        </Match>
        <Match when={props.status === "running"}>
          <LoaderCircle />
        </Match>
      </Switch>
    </span>
  );
}

export default function StageDeploys() {
  const { workspace } = useWorkspace();
  const { stage } = useStage();
  const { query, deploys } = useDeploys(
    () => workspace().id,
    () => stage().id,
  );
  const [search, setSearch] = useSearchParams();
  const opened = () => (typeof search.deploy === "string" ? search.deploy : undefined);
  const toggle = (id: string) => setSearch({ deploy: opened() === id ? undefined : id });

  return (
    <Section
      title="Deploys"
      description="Every deploy of this stage that SST recorded in its state bucket, newest first."
      actions={
        <ButtonLink size="sm" variant="ghost" icon={<GitBranch aria-hidden="true" />} href={autodeployPath(workspace().slug, stage().app, stage().name)}>
          Autodeploy runs
        </ButtonLink>
      }
    >
      <Switch>
        <Match when={query.error && !deploys()}>
          <ErrorState title="Could not load the deploys" error={query.error} onRetry={() => query.refetch()} />
        </Match>
        <Match when={!deploys()}>
          <SkeletonRows rows={3} columns={3} label="Loading the deploys" />
        </Match>
        <Match when={deploys()?.length === 0}>
          <EmptyState icon={<Rocket />} title="No deploys yet" plain>
            {stage().version === "v2"
              ? "SST v2 does not record its deploys in a state bucket, so there is no history to show for this stage."
              : "When this stage is deployed (sst deploy, sst remove, or an autodeploy run), each deploy appears here with its resource changes and errors."}
          </EmptyState>
        </Match>
        <Match when={deploys()}>
          {(list) => (
            <>
              <ol class={styles.list} aria-label="Deploys">
                <For each={list()}>
                  {(d) => (
                    <li class={styles.item} data-status={d.status}>
                      <button
                        type="button"
                        class={styles.summary}
                        aria-expanded={opened() === d.id}
                        aria-controls={`deploy-${d.id}`}
                        onClick={() => toggle(d.id)}
                      >
                        <StatusIcon status={d.status} />
                        <span class={styles.main}>
                          <span class={styles.titleRow}>
                            <span class={styles.command}>sst {d.command}</span>
                            <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</Badge>
                            <Badge title={d.runId ? `Run ${d.runId}` : "Run from the SST CLI"}>{d.source === "autodeploy" ? "Autodeploy" : "CLI"}</Badge>
                          </span>
                          <span class={styles.meta}>
                            <Show when={d.timeStarted} fallback={<span>start unknown</span>}>
                              {(t) => <RelativeTime time={t()} />}
                            </Show>
                            <span aria-label="Duration">{d.status === "running" ? "running" : formatDuration(d.duration)}</span>
                            <span>{counts(d)}</span>
                            <Show when={d.version}>{(v) => <span>SST {v()}</span>}</Show>
                          </span>
                        </span>
                        <ChevronRight class={styles.chevron} aria-hidden="true" />
                      </button>
                      <Show when={d.firstError && opened() !== d.id}>
                        <p class={styles.firstError}>
                          {d.firstError}
                          <Show when={d.errorCount > 1}>
                            <span class={styles.more}> (and {plural(d.errorCount - 1, "more error")})</span>
                          </Show>
                        </p>
                      </Show>
                      <Show when={opened() === d.id}>
                        <DeployDetail id={d.id} running={d.status === "running"} runId={d.source === "autodeploy" ? d.runId : null} />
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
              <Show when={query.hasNextPage}>
                <div class={styles.more}>
                  <Button variant="secondary" loading={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
                    Load older deploys
                  </Button>
                </div>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </Section>
  );
}

function DeployDetail(props: { id: string; running: boolean; runId: string | null }) {
  const { workspace } = useWorkspace();
  const { stage } = useStage();
  const detail = useDeploy(
    () => workspace().id,
    () => stage().id,
    () => props.id,
    () => props.running,
  );
  return (
    <div id={`deploy-${props.id}`} class={styles.detail}>
      <Show when={props.runId}>
        {(run) => (
          <p class={styles.note}>
            Deployed by autodeploy: <A href={runPath(workspace().slug, stage().app, run())}>see the run and its logs</A>
          </p>
        )}
      </Show>
      <Switch>
        <Match when={detail.error && !detail.data}>
          <ErrorState title="Could not load this deploy" error={detail.error} onRetry={() => detail.refetch()} />
        </Match>
        <Match when={!detail.data}>
          <SkeletonRows rows={2} columns={2} label="Loading the deploy" />
        </Match>
        <Match when={detail.data}>
          {(d) => (
            <>
              <Show when={d().errors.length}>
                <ul class={styles.errors} aria-label="Errors">
                  <For each={d().errors}>
                    {(e) => (
                      <li>
                        <Show when={e.urn}>{(u) => <span class={styles.type}>{u().split("::").pop()}</span>}</Show>
                        <pre class={styles.errorText}>{e.message}</pre>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <Show
                when={d().changes.length}
                fallback={
                  <p class={styles.note}>
                    {d().hasEventLog ? "This deploy changed no resources." : "SST kept no event log of this deploy, so its resource changes are not known."}
                  </p>
                }
              >
                <ul class={styles.changes} aria-label="Resource changes">
                  <For each={d().changes}>
                    {(c) => (
                      <li class={styles.change} data-status={c.status}>
                        <span class={styles.changeHead}>
                          <Badge tone={ACTION[c.action].tone}>{ACTION[c.action].label}</Badge>
                          <span class={styles.name}>{c.name}</span>
                          <Show when={c.status !== "done"}>
                            <Badge tone={c.status === "failed" ? "danger" : "neutral"}>{c.status === "failed" ? "Failed" : "Not finished"}</Badge>
                          </Show>
                        </span>
                        <span class={styles.type}>{c.type}</span>
                        <Show when={c.error}>{(e) => <pre class={styles.errorText}>{e()}</pre>}</Show>
                      </li>
                    )}
                  </For>
                </ul>
                <Show when={d().changesTruncated}>
                  <p class={styles.note}>Only the first {d().changes.length} changes are listed.</p>
                </Show>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
