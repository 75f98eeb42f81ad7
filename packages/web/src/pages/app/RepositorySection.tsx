/**
 * The app's repository: the linked one (with unlink), or linking one of the repositories
 * the workspace's GitHub App installations can see, or installing the GitHub App when the
 * workspace has no installation. Linking, unlinking and installing are for owners and admins.
 */
import ExternalLink from "lucide-solid/icons/external-link";
import FolderGit2 from "lucide-solid/icons/folder-git-2";
import { Match, Show, Switch, createEffect, createSignal } from "solid-js";
import { Button, ButtonAnchor } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Card, Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Select } from "../../components/Select";
import { SkeletonRows } from "../../components/Skeleton";
import { toast } from "../../components/Toast";
import { useGithub, useGithubRepositories, useLinkRepository, useRepository, useUnlinkRepository } from "../../data/autodeploy";
import { useWorkspace } from "../../layout/workspace-context";
import { api, type Repository } from "../../lib/api";
import { useApp } from "./app-context";
import styles from "./Autodeploy.module.css";

export const ADMIN_ONLY = "Only owners and admins can change autodeploy settings.";

export function RepositorySection() {
  const { workspace, isAdmin } = useWorkspace();
  const { app } = useApp();
  const ws = () => workspace().id;
  const repository = useRepository(ws, () => app().id);
  const github = useGithub(ws);
  const unlink = useUnlinkRepository(ws, () => app().id);

  const linked = () => repository.data?.repository;
  const onUnlink = (repo: Repository) =>
    unlink.mutateAsync().then(
      () => toast.success(`${repo.fullName} unlinked: pushes no longer deploy ${app().name}`),
      (err: unknown) => toast.error(err),
    );

  return (
    <Section title="Repository" id="repository" description="Pushes and pull requests of this GitHub repository deploy the app, by the targets below.">
      <Switch>
        <Match when={(repository.error && !repository.data) || (github.error && !github.data)}>
          <ErrorState
            title="Could not load the repository"
            error={repository.error ?? github.error}
            onRetry={() => Promise.all([repository.refetch(), github.refetch()])}
          />
        </Match>
        <Match when={!repository.data || !github.data}>
          <SkeletonRows rows={1} columns={3} label="Loading the repository" />
        </Match>
        <Match when={linked()}>
          {(repo) => (
            <Card>
              <div class={styles.repo}>
                <div>
                  <a class={styles.repoName} href={repo().url} target="_blank" rel="noopener noreferrer">
                    <FolderGit2 aria-hidden="true" />
                    {repo().fullName}
                    <ExternalLink aria-hidden="true" />
                  </a>
                  <p class={styles.repoMeta}>
                    Default branch <span class={styles.mono}>{repo().defaultBranch}</span> · linked <RelativeTime time={repo().timeCreated} />
                  </p>
                </div>
                <div class={styles.actions}>
                  <Button
                    variant="dangerGhost"
                    disabled={!isAdmin()}
                    title={isAdmin() ? undefined : ADMIN_ONLY}
                    loading={unlink.isPending}
                    onClick={() => void onUnlink(repo())}
                  >
                    Unlink
                  </Button>
                </div>
              </div>
              <Show when={!isAdmin()}>
                <p class={styles.reason}>{ADMIN_ONLY}</p>
              </Show>
            </Card>
          )}
        </Match>
        <Match when={github.data && github.data.installations.length === 0}>
          <InstallGithub configured={github.data!.configured} />
        </Match>
        <Match when={true}>
          <LinkRepository />
        </Match>
      </Switch>
    </Section>
  );
}

function InstallButton(props: { variant?: "primary" | "secondary"; label?: string }) {
  const { workspace, isAdmin } = useWorkspace();
  const [starting, setStarting] = createSignal(false);
  const install = async () => {
    setStarting(true);
    try {
      const { url } = await api.github.install(workspace().id);
      window.location.assign(url);
    } catch (err) {
      toast.error(err);
      setStarting(false);
    }
  };
  return (
    <Button
      variant={props.variant ?? "primary"}
      loading={starting()}
      disabled={!isAdmin()}
      title={isAdmin() ? undefined : ADMIN_ONLY}
      onClick={() => void install()}
    >
      {props.label ?? "Install the GitHub App"}
    </Button>
  );
}

function InstallGithub(props: { configured: boolean }) {
  const { isAdmin } = useWorkspace();
  return (
    <Show
      when={props.configured}
      fallback={
        <EmptyState icon={<FolderGit2 />} title="GitHub is not set up on this console" plain>
          Autodeploy needs the console's GitHub App. Whoever runs this console sets it up (its app id, key, webhook secret
          and OAuth client; see the README), then workspaces can install it.
        </EmptyState>
      }
    >
      <EmptyState icon={<FolderGit2 />} title="Connect GitHub" plain action={<InstallButton />}>
        <p>
          Install the console's GitHub App on your GitHub account or organisation, for the repositories you choose. Then link
          this app's repository, and pushes deploy it in your own AWS account.
        </p>
        <Show when={!isAdmin()}>
          <p>{ADMIN_ONLY}</p>
        </Show>
      </EmptyState>
    </Show>
  );
}

function LinkRepository() {
  const { workspace, isAdmin } = useWorkspace();
  const { app } = useApp();
  const ws = () => workspace().id;
  const repositories = useGithubRepositories(ws, () => true);
  const link = useLinkRepository(ws, () => app().id);
  const [chosen, setChosen] = createSignal("");
  const list = () => repositories.data?.repositories ?? [];
  // A repository named like the app is the likely one.
  createEffect(() => {
    if (chosen() || list().length === 0) return;
    const guess = list().find((r) => r.fullName.split("/")[1]?.toLowerCase() === app().name.toLowerCase());
    setChosen((guess ?? list()[0]!).fullName);
  });
  const submit = () => {
    const repo = list().find((r) => r.fullName === chosen());
    if (!repo) return;
    link.mutateAsync({ installationId: repo.installationId, fullName: repo.fullName }).then(
      () => toast.success(`${repo.fullName} linked to ${app().name}`),
      (err: unknown) => toast.error(err),
    );
  };
  return (
    <Switch>
      <Match when={repositories.error && !repositories.data}>
        <ErrorState title="Could not list the repositories GitHub shows" error={repositories.error} onRetry={() => repositories.refetch()} />
      </Match>
      <Match when={!repositories.data}>
        <SkeletonRows rows={1} columns={2} label="Loading the repositories" />
      </Match>
      <Match when={list().length === 0}>
        <EmptyState icon={<FolderGit2 />} title="No repository to link" plain action={<InstallButton variant="secondary" label="Install on another account" />}>
          The GitHub App is installed, but GitHub shows it no repository. Give the installation access to this app's
          repository on GitHub (its "Repository access" settings), or install it on the account that owns the repository.
        </EmptyState>
      </Match>
      <Match when={true}>
        <Card
          as="form"
          aria-label="Link a repository"
          onSubmit={submit}
          footer={
            <>
              <span>{isAdmin() ? "Nothing deploys until a target below names a branch and an AWS account." : ADMIN_ONLY}</span>
              <Button type="submit" variant="primary" loading={link.isPending} disabled={!isAdmin() || !chosen()} title={isAdmin() ? undefined : ADMIN_ONLY}>
                Link repository
              </Button>
            </>
          }
        >
          <Select
            label="Repository"
            value={chosen()}
            disabled={!isAdmin()}
            options={list().map((r) => ({ value: r.fullName, label: r.private ? `${r.fullName} (private)` : r.fullName }))}
            onChange={setChosen}
            hint="The repositories the workspace's GitHub App installations can see."
          />
        </Card>
      </Match>
    </Switch>
  );
}
