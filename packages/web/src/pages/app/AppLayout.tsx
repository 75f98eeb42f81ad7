/**
 * An app: `/:workspace/app/:app` (its stages) and `/autodeploy` (repository, targets, runs;
 * a run below it). The app is found by name in the workspace's stage list (an app is known
 * by its stages); its pages read it with `useApp()`.
 */
import { useParams, type RouteSectionProps } from "@solidjs/router";
import Boxes from "lucide-solid/icons/boxes";
import PackageSearch from "lucide-solid/icons/package-search";
import Rocket from "lucide-solid/icons/rocket";
import { Match, Switch, createMemo } from "solid-js";
import { ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { Skeleton, SkeletonRows } from "../../components/Skeleton";
import { TabNav } from "../../components/TabNav";
import { useStages } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import { plural } from "../../lib/format";
import { groupByApp } from "../../lib/stages";
import { decodeParam } from "../../lib/params";
import { AppContext } from "./app-context";
import styles from "./App.module.css";


export default function AppLayout(props: RouteSectionProps) {
  const params = useParams();
  const { workspace } = useWorkspace();
  const stages = useStages(() => workspace().id);
  const name = () => decodeParam(params.app);
  const group = createMemo(() => (stages.data ? (groupByApp(stages.data).find((g) => g.app === name()) ?? null) : undefined));
  const base = () => `/${workspace().slug}/app/${encodeURIComponent(name())}`;

  return (
    <Switch>
      <Match when={stages.error && !stages.data}>
        <Page>
          <ErrorState title="Could not load this app" error={stages.error} onRetry={() => stages.refetch()} />
        </Page>
      </Match>
      <Match when={group() === undefined}>
        <Page wide>
          <div class={styles.skeletonHeader} role="status" aria-busy="true" aria-label="Loading the app">
            <Skeleton width="md" />
            <Skeleton width="lg" />
          </div>
          <SkeletonRows rows={4} columns={4} />
        </Page>
      </Match>
      <Match when={group() === null}>
        <Page narrow>
          <EmptyState
            icon={<PackageSearch />}
            title="App not found"
            action={
              <ButtonLink href={`/${workspace().slug}`} variant="primary">
                Go to overview
              </ButtonLink>
            }
          >
            There is no app {name()} with a stage in this workspace. Its stages may have been removed from AWS, or their
            account was disconnected.
          </EmptyState>
        </Page>
      </Match>
      <Match when={group()}>
        {(g) => (
          <AppContext.Provider
            value={{
              app: () => ({ id: g().appId, name: g().app }),
              stages: () => g().stages,
              allStages: () => stages.data ?? [],
              path: (part) => (part ? `${base()}/${part}` : base()),
            }}
          >
            <Page wide>
              <header class={styles.header}>
                <h1 class={styles.title}>{g().app}</h1>
                <p class={styles.meta}>
                  {plural(g().stages.length, "stage")} · {[...new Set(g().stages.map((s) => s.region))].sort().join(", ")}
                </p>
              </header>
              <TabNav
                label="App"
                items={[
                  { href: base(), label: "Stages", icon: () => <Boxes aria-hidden="true" /> },
                  { href: `${base()}/autodeploy`, label: "Autodeploy", icon: () => <Rocket aria-hidden="true" />, prefix: true },
                ]}
              />
              <div class={styles.body}>{props.children}</div>
            </Page>
          </AppContext.Provider>
        )}
      </Match>
    </Switch>
  );
}
