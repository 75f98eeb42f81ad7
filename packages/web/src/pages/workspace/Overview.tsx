/**
 * The workspace overview: the apps and stages of every connected AWS account, grouped
 * by app (personal stages last and quieter), with banners while an account scans or
 * after one failed. Without accounts: how to connect one (or the demo account).
 */
import { A } from "@solidjs/router";
import Bug from "lucide-solid/icons/bug";
import Cloud from "lucide-solid/icons/cloud";
import CircleAlert from "lucide-solid/icons/circle-alert";
import LoaderCircle from "lucide-solid/icons/loader-circle";
import PackageSearch from "lucide-solid/icons/package-search";
import Rocket from "lucide-solid/icons/rocket";
import { For, Match, Show, Switch, createMemo } from "solid-js";
import { ScanProgressBar } from "../../components/AccountStatus";
import { Banner } from "../../components/Banner";
import { Button, ButtonLink } from "../../components/Button";
import { DemoAccountButton } from "../../components/DemoAccount";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Page, PageHeader } from "../../components/Page";
import { SkeletonRows } from "../../components/Skeleton";
import { ROW_GROUP_ATTRIBUTE } from "../../components/Table";
import { useAccounts, useRescan } from "../../data/accounts";
import { toast } from "../../components/Toast";
import { useIssueCounts } from "../../data/issues";
import { useDemoAvailable } from "../../data/session";
import { useStages } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import { accountLabel } from "../../lib/accounts";
import type { Account, Stage } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { plural } from "../../lib/format";
import { autodeployPath } from "../../lib/autodeploy";
import { groupByApp } from "../../lib/stages";
import { StageTable } from "./StageTable";
import styles from "./Overview.module.css";

export default function Overview() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Overview" }]);
  const demoAvailable = useDemoAvailable();

  const id = () => workspace().id;
  // Polled while an account connects, scans or disconnects; a scan's progress reloads the stages.
  const accounts = useAccounts(id);
  const issueCounts = useIssueCounts(id, () => undefined);
  const stages = useStages(id);

  const groups = createMemo(() => groupByApp(stages.data ?? []));
  const scanning = () => accounts.data?.filter((a) => a.status === "scanning") ?? [];
  // Failures are for those who can fix them: owners and admins, with the fixing action.
  // Members hear only of a connected account that stopped working (never of an unfinished setup).
  const failed = () => accounts.data?.filter((a) => a.status === "failed" && (isAdmin() || !!a.accountId)) ?? [];
  const rescan = useRescan(id);
  const pendingOnly = () => {
    const list = accounts.data ?? [];
    return list.length > 0 && list.every((a) => !a.accountId);
  };
  const accountsHref = () => `/${workspace().slug}/settings/accounts`;
  const appPath = (app: string) => `/${workspace().slug}/app/${encodeURIComponent(app)}`;

  return (
    <Page>
      <PageHeader
        title="Overview"
        description="The apps and stages of every AWS account connected to this workspace."
        actions={
          <Show when={(stages.data?.length ?? 0) > 0}>
            <ButtonLink href={`/${workspace().slug}/issues`} icon={<Bug aria-hidden="true" />}>
              Issues
              <Show when={issueCounts.data?.active}>
                {(n) => <span class={styles.issueCount}>{n().toLocaleString()} active</span>}
              </Show>
            </ButtonLink>
          </Show>
        }
      />
      <Switch>
        <Match when={accounts.error && !accounts.data}>
          <ErrorState title="Could not load the AWS accounts" error={accounts.error} onRetry={() => accounts.refetch()} />
        </Match>
        <Match when={!accounts.data}>
          <SkeletonRows rows={4} columns={4} label="Loading apps and stages" />
        </Match>
        <Match when={accounts.data?.length === 0}>
          <NoAccounts />
        </Match>
        <Match when={true}>
          <Show when={scanning().length > 0 || failed().length > 0 || pendingOnly()}>
            <div class={styles.banners}>
              <For each={scanning()}>{(a) => <ScanBanner account={a} />}</For>
              <For each={failed()}>
                {(a) => (
                  <Banner
                    tone={isAdmin() ? "danger" : "warning"}
                    icon={<CircleAlert />}
                    title={a.accountId ? `AWS account ${a.accountId} failed` : "A connection failed"}
                    action={
                      <Show when={isAdmin()}>
                        <Show
                          when={a.accountId}
                          fallback={
                            <ButtonLink href={`${accountsHref()}?connect=${a.id}`} size="sm" variant="primary">
                              Continue setup
                            </ButtonLink>
                          }
                        >
                          <Button
                            size="sm"
                            variant="primary"
                            loading={rescan.isPending}
                            onClick={() => rescan.mutate(a, { onError: (err) => toast.error(err) })}
                          >
                            Check again
                          </Button>
                          <ButtonLink href={accountsHref()} size="sm">
                            AWS accounts
                          </ButtonLink>
                        </Show>
                      </Show>
                    }
                  >
                    {a.reason ?? "Console could not use this account."}
                    <Show when={!isAdmin()}> An owner or admin of this workspace can fix it.</Show>
                  </Banner>
                )}
              </For>
              <Show when={pendingOnly() && failed().length === 0}>
                <Banner
                  icon={<Cloud />}
                  title={isAdmin() ? "Finish connecting your AWS account" : "An AWS account is being connected"}
                  action={
                    <Show when={isAdmin()}>
                      <Show when={demoAvailable()}>
                        <DemoAccountButton workspaceId={id()} size="sm" />
                      </Show>
                      <ButtonLink href={`${accountsHref()}?connect=1`} size="sm" variant="primary">
                        Continue setup
                      </ButtonLink>
                    </Show>
                  }
                >
                  {isAdmin()
                    ? "Deploy the connection stack, then check the account. Its apps appear here."
                    : "An owner or admin started connecting an AWS account. Its apps appear here once it is connected."}
                </Banner>
              </Show>
            </div>
          </Show>
          <Switch>
            <Match when={stages.error && !stages.data}>
              <ErrorState title="Could not load the apps and stages" error={stages.error} onRetry={() => stages.refetch()} />
            </Match>
            <Match when={!stages.data}>
              <SkeletonRows rows={4} columns={4} label="Loading apps and stages" />
            </Match>
            <Match when={stages.data?.length === 0 && !pendingOnly()}>
              <EmptyState
                icon={scanning().length > 0 ? <LoaderCircle class={styles.spin} /> : <PackageSearch />}
                title={scanning().length > 0 ? "Looking for SST apps…" : "No SST apps found"}
                action={
                  <Show when={scanning().length === 0}>
                    <ButtonLink href={accountsHref()}>Go to AWS accounts</ButtonLink>
                  </Show>
                }
              >
                {scanning().length > 0
                  ? "Apps and stages appear here as the scan finds them."
                  : "Console found no SST app in the connected accounts. Deploy one with sst deploy: Console picks it up by itself, or rescan the account."}
              </EmptyState>
            </Match>
            <Match when={(stages.data?.length ?? 0) > 0}>
              <section class={styles.apps} aria-label="Apps and stages" {...{ [ROW_GROUP_ATTRIBUTE]: "" }}>
                <For each={groups()}>
                  {(group) => (
                    <section class={styles.app} aria-labelledby={`app-${group.appId}`}>
                      <div class={styles.appHeader}>
                        <h2 id={`app-${group.appId}`} class={styles.appName}>
                          <A href={appPath(group.app)} class={styles.appLink}>
                            {group.app}
                          </A>
                        </h2>
                        <span class={styles.appMeta}>{appMeta(group.stages)}</span>
                        <A href={autodeployPath(workspace().slug, group.app)} class={styles.appAction} aria-label={`Autodeploy of ${group.app}`}>
                          <Rocket aria-hidden="true" />
                          Autodeploy
                        </A>
                      </div>
                      <StageTable app={group.app} stages={group.stages} all={stages.data ?? []} />
                    </section>
                  )}
                </For>
              </section>
            </Match>
          </Switch>
        </Match>
      </Switch>
    </Page>
  );

  function NoAccounts() {
    return (
      <EmptyState
        icon={<Cloud />}
        title="Connect an AWS account"
        action={
          <Show
            when={isAdmin()}
            fallback={
              <ButtonLink href={accountsHref()} variant="secondary">
                See AWS accounts
              </ButtonLink>
            }
          >
            <ButtonLink href={`${accountsHref()}?connect=1`} variant="primary">
              Connect an AWS account
            </ButtonLink>
            <Show when={demoAvailable()}>
              <DemoAccountButton workspaceId={id()} />
            </Show>
          </Show>
        }
      >
        <Show
          when={isAdmin()}
          fallback="No AWS account is connected yet. An owner or admin of this workspace can connect one."
        >
          <p>
            Connect an AWS account and Console finds the SST apps and stages in it, with their functions, issues and logs.
            Nothing changes in your code.
          </p>
          <Show when={demoAvailable()}>
            <p>Or connect the demo account: an emulated AWS account with sample SST apps, for trying the console locally.</p>
          </Show>
        </Show>
      </EmptyState>
    );
  }
}

function ScanBanner(props: { account: Account }) {
  return (
    <Banner tone="accent" icon={<LoaderCircle class={styles.spin} />} title={`Scanning ${accountLabel(props.account)}`}>
      <div class={styles.progress}>
        <ScanProgressBar account={props.account} />
      </div>
    </Banner>
  );
}

function appMeta(stages: Stage[]): string {
  const regions = [...new Set(stages.map((s) => s.region))].sort();
  const personal = stages.filter((s) => s.personal).length;
  const parts = [plural(stages.length, "stage")];
  if (personal > 0) parts.push(`${personal} personal`);
  parts.push(regions.join(", "));
  return parts.join(" · ");
}
