/**
 * A stage: `/:workspace/app/:app/:stage` (Resources) and its tabs `/issues`, `/logs`,
 * `/local`, `/deploys`. The stage is found in the workspace's stage list by app and stage name;
 * when that pair exists in several regions or AWS accounts, `?id=<stage id>` says which.
 * Tabs read the stage with `useStage()`.
 */
import { A, useParams, useSearchParams, type RouteSectionProps } from "@solidjs/router";
import Boxes from "lucide-solid/icons/boxes";
import Bug from "lucide-solid/icons/bug";
import Rocket from "lucide-solid/icons/rocket";
import Laptop from "lucide-solid/icons/laptop";
import PackageSearch from "lucide-solid/icons/package-search";
import ScrollText from "lucide-solid/icons/scroll-text";
import { For, Match, Show, Switch, createEffect, createMemo, onCleanup } from "solid-js";
import { Badge } from "../../components/Badge";
import { ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Skeleton, SkeletonRows } from "../../components/Skeleton";
import { TabNav } from "../../components/TabNav";
import { useIssueCounts } from "../../data/issues";
import { useStages } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import type { Stage } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { setCurrentStage } from "../../lib/current";
import { runsLocally, useLocal } from "../../lib/local";
import { namesakes, stagePath, type StageTab } from "../../lib/stages";
import { decodeParam } from "../../lib/params";
import { StageContext } from "./stage-context";
import styles from "./Stage.module.css";

type Resolution =
  | { kind: "loading" }
  | { kind: "found"; stage: Stage; all: Stage[] }
  | { kind: "choose"; matches: Stage[]; all: Stage[] }
  | { kind: "missing" };


export default function StageLayout(props: RouteSectionProps) {
  const params = useParams();
  const [search] = useSearchParams();
  const { workspace } = useWorkspace();
  const stages = useStages(() => workspace().id);

  const appName = () => decodeParam(params.app);
  const stageName = () => decodeParam(params.stage);
  const wantedId = () => (typeof search.id === "string" ? search.id : undefined);

  const resolution = createMemo<Resolution>(() => {
    const all = stages.data;
    if (!all) return { kind: "loading" };
    const matches = namesakes({ app: appName(), name: stageName() }, all);
    const byId = wantedId() ? matches.find((s) => s.id === wantedId()) : undefined;
    if (byId) return { kind: "found", stage: byId, all };
    if (matches.length === 1 && matches[0]) return { kind: "found", stage: matches[0], all };
    if (matches.length > 1) return { kind: "choose", matches, all };
    return { kind: "missing" };
  });

  const found = () => {
    const r = resolution();
    return r.kind === "found" ? r : undefined;
  };

  // The Issues tab's badge: the stage's active issues (the same cached counts as the Issues
  // tab's, which polls them faster; triage moves them at once).
  const stageId = createMemo(() => found()?.stage.id);
  const counts = useIssueCounts(() => workspace().id, stageId, { enabled: () => !!stageId() });
  const activeCount = () => (stageId() ? counts.data?.active : undefined);

  createEffect(() => {
    const r = found();
    setCurrentStage(r ? { stage: r.stage, issuesPath: stagePath(workspace().slug, r.stage, r.all, "issues") } : undefined);
  });
  onCleanup(() => setCurrentStage(undefined));

  useBreadcrumbs(() => {
    const r = found();
    const ambiguous = r ? namesakes(r.stage, r.all).length > 1 : false;
    return [
      { label: appName(), href: `/${workspace().slug}/app/${encodeURIComponent(appName())}` },
      { label: ambiguous && r ? `${stageName()} (${r.stage.region})` : stageName() },
    ];
  });

  return (
    <Switch>
      <Match when={stages.error && !stages.data}>
        <Page>
          <ErrorState title="Could not load this stage" error={stages.error} onRetry={() => stages.refetch()} />
        </Page>
      </Match>
      <Match when={resolution().kind === "loading"}>
        <Page wide>
          <div class={styles.skeletonHeader} role="status" aria-busy="true" aria-label="Loading the stage">
            <Skeleton width="md" />
            <Skeleton width="lg" />
          </div>
          <SkeletonRows rows={4} columns={4} />
        </Page>
      </Match>
      <Match when={resolution().kind === "missing"}>
        <Page narrow>
          <EmptyState
            icon={<PackageSearch />}
            title="Stage not found"
            action={
              <ButtonLink href={`/${workspace().slug}`} variant="primary">
                Go to overview
              </ButtonLink>
            }
          >
            There is no stage {stageName()} of {appName()} in this workspace. It may have been removed from AWS, or its
            account was disconnected.
          </EmptyState>
        </Page>
      </Match>
      <Match when={resolution().kind === "choose" && resolution()}>
        {(r) => <Choose resolution={r() as Extract<Resolution, { kind: "choose" }>} />}
      </Match>
      <Match when={found()}>
        {(r) => (
          <StageContext.Provider
            value={{
              stage: () => r().stage,
              stages: () => r().all,
              path: (tab?: StageTab) => stagePath(workspace().slug, r().stage, r().all, tab),
              refetch: () => stages.refetch().then(() => undefined),
            }}
          >
            <Page wide>
              <StageHeader stage={r().stage} />
              <TabNav
                label="Stage"
                items={[
                  { href: stagePath(workspace().slug, r().stage, r().all), label: "Resources", icon: () => <Boxes aria-hidden="true" /> },
                  {
                    href: stagePath(workspace().slug, r().stage, r().all, "issues"),
                    label: "Issues",
                    icon: () => <Bug aria-hidden="true" />,
                    count: activeCount() || undefined,
                    countLabel: activeCount() ? `${activeCount()} active` : undefined,
                    prefix: true,
                  },
                  { href: stagePath(workspace().slug, r().stage, r().all, "logs"), label: "Logs", icon: () => <ScrollText aria-hidden="true" />, prefix: true },
                  { href: stagePath(workspace().slug, r().stage, r().all, "local"), label: "Local", icon: () => <Laptop aria-hidden="true" /> },
                  { href: stagePath(workspace().slug, r().stage, r().all, "deploys"), label: "Deploys", icon: () => <Rocket aria-hidden="true" /> },
                ]}
              />
              <div class={styles.body}>{props.children}</div>
            </Page>
          </StageContext.Provider>
        )}
      </Match>
    </Switch>
  );

  function Choose(p: { resolution: Extract<Resolution, { kind: "choose" }> }) {
    return (
      <Page narrow>
        <EmptyState icon={<Boxes />} title={`${stageName()} of ${appName()} is in several places`}>
          <p>Choose which one to open:</p>
          <ul class={styles.choices} aria-label="Stages with this name">
            <For each={p.resolution.matches}>
              {(s) => (
                <li>
                  <A href={stagePath(workspace().slug, s, p.resolution.all)}>
                    {s.region} · account {s.accountId ?? "—"}
                  </A>
                </li>
              )}
            </For>
          </ul>
        </EmptyState>
      </Page>
    );
  }
}

function StageHeader(props: { stage: Stage }) {
  const { workspace } = useWorkspace();
  // A stage that sst dev runs on this computer is personal, whatever its last scan said.
  const local = useLocal();
  const runningHere = () => runsLocally(local, props.stage);
  return (
    <header class={styles.header}>
      <div class={styles.titleRow}>
        <h1 class={styles.title}>{props.stage.name}</h1>
        <Show when={props.stage.personal || runningHere()}>
          <Badge title="A developer's own stage, running its functions live with sst dev">Personal</Badge>
        </Show>
        <Show when={runningHere()}>
          <Badge tone="success" title="sst dev runs this stage on this computer">Running locally</Badge>
        </Show>
      </div>
      <dl class={styles.meta} aria-label="Stage details">
        <div class={styles.metaItem}>
          <dt>App</dt>
          <dd>
            <A href={`/${workspace().slug}/app/${encodeURIComponent(props.stage.app)}`}>{props.stage.app}</A>
          </dd>
        </div>
        <div class={styles.metaItem}>
          <dt>Region</dt>
          <dd class={styles.mono}>{props.stage.region}</dd>
        </div>
        <div class={styles.metaItem}>
          <dt>AWS account</dt>
          <dd class={styles.mono}>{props.stage.accountId ?? "—"}</dd>
        </div>
        <div class={styles.metaItem}>
          <dt>Deployed</dt>
          <dd>
            <Show when={props.stage.timeDeployed} fallback={<span class={styles.subtle}>unknown</span>}>
              {(t) => <RelativeTime time={t()} />}
            </Show>
          </dd>
        </div>
        <div class={styles.metaItem}>
          <dt>SST</dt>
          <dd>{props.stage.version}</dd>
        </div>
      </dl>
    </header>
  );
}
