/**
 * One run of an app: its state, commit, branch or pull request, author, stage, account and
 * region, times, the deploy it made, its error, and its log (polled while it runs). Any
 * member can cancel a queued or running run, and redeploy a finished one (a new run of the
 * same commit, stage and action, opened at once).
 */
import { A, useNavigate, useParams } from "@solidjs/router";
import ExternalLink from "lucide-solid/icons/external-link";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import SearchX from "lucide-solid/icons/search-x";
import Square from "lucide-solid/icons/square";
import { Match, Show, Switch, createEffect, createSignal, onCleanup } from "solid-js";
import { Badge } from "../../components/Badge";
import { Button, ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Card } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { SkeletonRows } from "../../components/Skeleton";
import { toast } from "../../components/Toast";
import { useAccounts } from "../../data/accounts";
import { useCancelRun, useRedeploy, useRun } from "../../data/autodeploy";
import { useWorkspace } from "../../layout/workspace-context";
import { accountLabel } from "../../lib/accounts";
import { toApiError, type Run } from "../../lib/api";
import { TRIGGER_LABEL, commitSubject, isActive, runDurationText, runPath, runRef, shortSha } from "../../lib/autodeploy";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { stagePath } from "../../lib/stages";
import { decodeParam } from "../../lib/params";
import { useApp } from "./app-context";
import { RunLogs } from "./RunLogs";
import { RunStatusBadge } from "./RunsSection";
import styles from "./Autodeploy.module.css";


export default function RunPage() {
  const params = useParams();
  const { workspace } = useWorkspace();
  const { app, path } = useApp();
  const runId = () => decodeParam(params.run);
  const run = useRun(
    () => workspace().id,
    () => app().id,
    runId,
  );
  useBreadcrumbs(() => [
    { label: app().name, href: path() },
    { label: "Autodeploy", href: path("autodeploy") },
    { label: run.data ? `${run.data.run.stageName} · ${shortSha(run.data.run.commit.sha)}` : "Run" },
  ]);
  // Not this console's run: unknown (404), or not even a run id (a deploy of SST's own autodeploy names its own ids).
  const missing = () => run.error && !run.data && (toApiError(run.error).status === 404 || toApiError(run.error).code === "validation");

  return (
    <Switch>
      <Match when={missing()}>
        <EmptyState
          icon={<SearchX />}
          title="Run not found"
          action={
            <ButtonLink href={path("autodeploy")} variant="primary">
              See the app's runs
            </ButtonLink>
          }
        >
          There is no run {runId()} of {app().name} in this console. It may belong to another app, or have been started by another tool (SST's own autodeploy).
        </EmptyState>
      </Match>
      <Match when={run.error && !run.data}>
        <ErrorState title="Could not load this run" error={run.error} onRetry={() => run.refetch()} />
      </Match>
      <Match when={!run.data}>
        <SkeletonRows rows={4} columns={3} label="Loading the run" />
      </Match>
      <Match when={run.data?.run}>
        {(r) => (
          <>
            <RunHeader run={r()} />
            <RunFacts run={r()} />
            <RunLogs run={r()} />
          </>
        )}
      </Match>
    </Switch>
  );
}

function RunHeader(props: { run: Run }) {
  const { workspace } = useWorkspace();
  const { app } = useApp();
  const navigate = useNavigate();
  const cancel = useCancelRun(() => workspace().id);
  const redeploy = useRedeploy(() => workspace().id);

  const onCancel = () =>
    cancel.mutateAsync(props.run).then(
      ({ run }) => toast.success(run.status === "cancelled" ? "Run cancelled" : "Stopping the run: it is cancelled once the build stops"),
      (err: unknown) => toast.error(err),
    );
  const onRedeploy = () =>
    redeploy.mutateAsync(props.run).then(
      ({ run }) => {
        toast.success(`Redeploying ${shortSha(run.commit.sha)} to ${run.stageName}`);
        navigate(runPath(workspace().slug, app().name, run.id));
      },
      (err: unknown) => toast.error(err),
    );

  return (
    <header class={styles.runHeader}>
      <div class={styles.runTitle}>
        <h2>
          {props.run.action === "remove" ? "Remove" : "Deploy"} {props.run.stageName}
        </h2>
        <RunStatusBadge run={props.run} />
        <Badge>{TRIGGER_LABEL[props.run.trigger]}</Badge>
      </div>
      <div class={styles.actions}>
        <Show when={isActive(props.run)}>
          <Button variant="danger" icon={<Square aria-hidden="true" />} loading={cancel.isPending} onClick={() => void onCancel()}>
            Cancel run
          </Button>
        </Show>
        <Show when={!isActive(props.run)}>
          <Button variant="secondary" icon={<RotateCcw aria-hidden="true" />} loading={redeploy.isPending} onClick={() => void onRedeploy()}>
            Redeploy
          </Button>
        </Show>
      </div>
    </header>
  );
}

function RunFacts(props: { run: Run }) {
  const { workspace } = useWorkspace();
  const { app, allStages } = useApp();
  const accounts = useAccounts(() => workspace().id);
  // The duration of a running run moves every second.
  const [now, setNow] = createSignal(Date.now());
  createEffect(() => {
    if (!isActive(props.run)) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    onCleanup(() => clearInterval(timer));
  });
  const stage = () => (props.run.stageId ? allStages().find((s) => s.id === props.run.stageId) : undefined);
  const deployHref = () => {
    const s = stage();
    if (!s || !props.run.deployId) return undefined;
    const tab = stagePath(workspace().slug, s, allStages(), "deploys");
    return `${tab}${tab.includes("?") ? "&" : "?"}deploy=${encodeURIComponent(props.run.deployId)}`;
  };
  const account = () => accounts.data?.find((a) => a.id === props.run.connectionId);

  return (
    <Card>
      <Show when={props.run.error}>
        {(e) => (
          <pre class={styles.error} role="alert">
            {e()}
          </pre>
        )}
      </Show>
      <Show when={props.run.supersededBy}>
        {(next) => (
          <p class={styles.help}>
            A newer push to this stage replaced this run before it started:{" "}
            <A href={runPath(workspace().slug, app().name, next())}>see the newer run</A>.
          </p>
        )}
      </Show>
      <dl class={styles.facts} aria-label="Run details">
        <div class={styles.fact}>
          <dt>Commit</dt>
          <dd>
            <a href={props.run.commit.url} target="_blank" rel="noopener noreferrer" class={styles.sha}>
              {shortSha(props.run.commit.sha)} <ExternalLink aria-hidden="true" class={styles.inlineIcon} />
            </a>{" "}
            <span title={props.run.commit.message}>{commitSubject(props.run.commit.message)}</span>
          </dd>
        </div>
        <div class={styles.fact}>
          <dt>{props.run.pullRequest !== null ? "Pull request" : "Branch"}</dt>
          <dd class={styles.mono}>
            {runRef(props.run)}
            <Show when={props.run.pullRequest !== null && props.run.branch}>{(b) => <span class={styles.subtle}> · {b()}</span>}</Show>
          </dd>
        </div>
        <div class={styles.fact}>
          <dt>Author</dt>
          <dd>{props.run.commit.author}</dd>
        </div>
        <div class={styles.fact}>
          <dt>Stage</dt>
          <dd>
            <Show when={stage()} fallback={<span class={styles.mono}>{props.run.stageName}</span>}>
              {(s) => (
                <A href={stagePath(workspace().slug, s(), allStages())} class={styles.mono}>
                  {props.run.stageName}
                </A>
              )}
            </Show>
          </dd>
        </div>
        <div class={styles.fact}>
          <dt>Where</dt>
          <dd>
            {account() ? accountLabel(account()!) : "AWS account"} · <span class={styles.mono}>{props.run.region}</span>
          </dd>
        </div>
        <div class={styles.fact}>
          <dt>Queued</dt>
          <dd>
            <RelativeTime time={props.run.timeQueued} />
          </dd>
        </div>
        <div class={styles.fact}>
          <dt>Started</dt>
          <dd>
            <Show when={props.run.timeStarted} fallback={<span class={styles.subtle}>not started</span>}>
              {(t) => <RelativeTime time={t()} />}
            </Show>
          </dd>
        </div>
        <div class={styles.fact}>
          <dt>Duration</dt>
          <dd aria-label="Duration">{runDurationText(props.run, now())}</dd>
        </div>
        <div class={styles.fact}>
          <dt>Deploy</dt>
          <dd>
            <Show
              when={deployHref()}
              fallback={<span class={styles.subtle}>{isActive(props.run) ? "not yet" : props.run.deployId ? "in the stage's history" : "none recorded"}</span>}
            >
              {(href) => <A href={href()}>See the deploy in the stage's history</A>}
            </Show>
          </dd>
        </div>
      </dl>
    </Card>
  );
}
