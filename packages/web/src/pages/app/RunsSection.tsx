/**
 * The app's runs, newest first: status, stage, commit, branch or pull request, author,
 * start and duration; a row opens the run. `?stage=<name>` (from a stage's Deploys tab)
 * shows one stage's runs. Polled every 5 s while a run is queued or running.
 */
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import Rocket from "lucide-solid/icons/rocket";
import { Match, Show, Switch, onCleanup } from "solid-js";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { useRuns } from "../../data/autodeploy";
import { useWorkspace } from "../../layout/workspace-context";
import type { Run } from "../../lib/api";
import { RUN_STATUS, commitSubject, runDurationText, runPath, runRef, shortSha } from "../../lib/autodeploy";
import { retainClock, useNow } from "../../lib/time";
import { stagePath } from "../../lib/stages";
import { useApp } from "./app-context";
import styles from "./Autodeploy.module.css";

export function RunStatusBadge(props: { run: Run }) {
  return (
    <Badge tone={RUN_STATUS[props.run.status].tone} title={props.run.supersededBy ? "Replaced by a newer push before it started" : undefined}>
      {RUN_STATUS[props.run.status].label}
    </Badge>
  );
}

export function RunsSection() {
  const { workspace } = useWorkspace();
  const { app, allStages } = useApp();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const stage = () => (typeof search.stage === "string" && search.stage ? search.stage : null);
  const { query, runs } = useRuns(
    () => workspace().id,
    () => app().id,
    stage,
  );
  onCleanup(retainClock());
  const now = useNow();

  const stageCell = (r: Run) => {
    const found = r.stageId ? allStages().find((s) => s.id === r.stageId) : undefined;
    return (
      <span>
        <Show when={found} fallback={<span class={styles.mono}>{r.stageName}</span>}>
          {(s) => (
            <A href={stagePath(workspace().slug, s(), allStages())} class={styles.mono}>
              {r.stageName}
            </A>
          )}
        </Show>
        <Show when={r.action === "remove"}>
          {" "}
          <Badge tone="warning">Remove</Badge>
        </Show>
      </span>
    );
  };

  const columns: Column<Run>[] = [
    { key: "status", header: "Status", width: "sm", cell: (r) => <RunStatusBadge run={r} /> },
    { key: "stage", header: "Stage", width: "md", cell: stageCell },
    {
      key: "commit",
      header: "Commit",
      cell: (r) => (
        <span class={styles.commit}>
          <A href={runPath(workspace().slug, app().name, r.id)} class={styles.sha} aria-label={`Run of commit ${shortSha(r.commit.sha)} to ${r.stageName}`}>
            {shortSha(r.commit.sha)}
          </A>
          <span class={styles.subject} title={r.commit.message}>
            {commitSubject(r.commit.message)}
          </span>
        </span>
      ),
    },
    { key: "ref", header: "Branch", width: "md", cell: (r) => <span class={styles.mono}>{runRef(r)}</span> },
    { key: "author", header: "Author", width: "md", cell: (r) => <span>{r.commit.author}</span> },
    { key: "started", header: "Started", width: "md", cell: (r) => <RelativeTime time={r.timeStarted ?? r.timeQueued} /> },
    { key: "duration", header: "Duration", width: "sm", cell: (r) => <span>{runDurationText(r, now())}</span> },
  ];

  return (
    <Section title="Runs" id="runs" description="Each push to a target branch runs sst deploy in your AWS account. Newest first.">
      <Show when={stage()}>
        {(s) => (
          <p class={styles.filter}>
            Runs of stage <span class={styles.mono}>{s()}</span>
            <Button size="sm" variant="ghost" onClick={() => setSearch({ stage: undefined })}>
              Show all runs
            </Button>
          </p>
        )}
      </Show>
      <Switch>
        <Match when={query.error && !runs()}>
          <ErrorState title="Could not load the runs" error={query.error} onRetry={() => query.refetch()} />
        </Match>
        <Match when={runs()?.length === 0}>
          <EmptyState icon={<Rocket />} title={stage() ? "No runs of this stage yet" : "No runs yet"} plain>
            With a repository linked and a target naming a branch, each push to that branch runs here: its logs, its result,
            and the deploy it made in the stage's history.
          </EmptyState>
        </Match>
        <Match when={true}>
          <Table
            label="Runs"
            columns={columns}
            rows={runs()}
            loading={!runs()}
            skeletonRows={3}
            rowKey={(r) => r.id}
            onOpen={(r) => navigate(runPath(workspace().slug, app().name, r.id))}
            footer={
              <Show when={query.hasNextPage}>
                <Button variant="secondary" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
                  Load older runs
                </Button>
              </Show>
            }
          />
        </Match>
      </Switch>
    </Section>
  );
}
