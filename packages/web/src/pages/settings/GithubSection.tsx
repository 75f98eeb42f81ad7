/**
 * Settings → AWS accounts, GitHub: the workspace's GitHub App installations (autodeploy
 * links an app's repository through one), installing on another GitHub account, and
 * unlinking one (owners and admins). GitHub's install callback lands on this page with
 * `?github=<outcome>`, said here in a toast.
 */
import { useSearchParams } from "@solidjs/router";
import { useQueryClient } from "@tanstack/solid-query";
import { Show, createEffect, createSignal } from "solid-js";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { useGithub } from "../../data/autodeploy";
import { keys } from "../../data/keys";
import { useWorkspace } from "../../layout/workspace-context";
import { api, type GithubInstallation } from "../../lib/api";
import styles from "./Settings.module.css";

/** What GitHub's install callback said (`?github=`), for people. */
export function githubOutcome(outcome: string): { tone: "success" | "info" | "error"; message: string } {
  switch (outcome) {
    case "connected":
      return { tone: "success", message: "GitHub connected. Link a repository to an app from the app's Autodeploy tab." };
    case "cancelled":
      return { tone: "info", message: "The GitHub App was not installed." };
    case "forbidden":
      return { tone: "error", message: "GitHub does not show you that installation. Install the app again from here, signed in to GitHub as someone who can see it." };
    case "conflict":
      return { tone: "error", message: "That GitHub installation is already linked to another workspace." };
    default:
      return { tone: "error", message: `GitHub could not be connected (${outcome}). Try again.` };
  }
}

export function GithubSection() {
  const { workspace, isAdmin } = useWorkspace();
  const [search, setSearch] = useSearchParams();
  const client = useQueryClient();
  const github = useGithub(() => workspace().id);
  const [installing, setInstalling] = createSignal(false);
  const [removing, setRemoving] = createSignal<GithubInstallation | null>(null);

  createEffect(() => {
    const outcome = typeof search.github === "string" ? search.github : undefined;
    if (!outcome) return;
    const { tone, message } = githubOutcome(outcome);
    if (tone === "error") toast.error(message);
    else toast[tone](message);
    setSearch({ github: undefined }, { replace: true });
    void client.invalidateQueries({ queryKey: keys.github.all(workspace().id) });
  });

  const install = async () => {
    setInstalling(true);
    try {
      const { url } = await api.github.install(workspace().id);
      window.location.assign(url);
    } catch (err) {
      toast.error(err);
      setInstalling(false);
    }
  };

  const remove = async (i: GithubInstallation) => {
    await api.github.removeInstallation(workspace().id, i.id);
    await client.invalidateQueries({ queryKey: keys.github.all(workspace().id) });
    toast.success(`GitHub installation on ${i.accountLogin} unlinked`);
  };

  const columns: Column<GithubInstallation>[] = [
    { key: "account", header: "GitHub account", cell: (i) => <span>{i.accountLogin}</span> },
    { key: "type", header: "Type", width: "md", cell: (i) => <span>{i.accountType}</span> },
    { key: "installed", header: "Installed", width: "md", cell: (i) => <RelativeTime time={i.timeCreated} /> },
    {
      key: "actions",
      header: "",
      label: "Actions",
      width: "md",
      align: "end",
      cell: (i) => (
        <Show when={isAdmin()}>
          <Button size="sm" variant="dangerGhost" aria-label={`Unlink the installation on ${i.accountLogin}`} onClick={() => setRemoving(i)}>
            Unlink
          </Button>
        </Show>
      ),
    },
  ];

  return (
    <Section
      title="GitHub"
      id="github"
      description={
        github.data && !github.data.configured
          ? "This console has no GitHub App set up, so autodeploy is off."
          : "The console's GitHub App, installed on your GitHub accounts: autodeploy links each app to one of their repositories."
      }
      actions={
        <Show when={github.data?.configured}>
          <Button onClick={() => void install()} loading={installing()} disabled={!isAdmin()} title={isAdmin() ? undefined : "Only owners and admins can install the GitHub App."}>
            Install the GitHub App
          </Button>
        </Show>
      }
    >
      <Show when={!github.error || github.data} fallback={<ErrorState title="Could not load the GitHub installations" error={github.error} onRetry={() => github.refetch()} />}>
        <Table
          label="GitHub installations"
          columns={columns}
          rows={github.data?.installations}
          rowKey={(i) => i.id}
          loading={!github.data}
          skeletonRows={1}
          empty="No GitHub installation yet."
        />
      </Show>
      <Show when={!isAdmin()}>
        <p class={styles.note}>Owners and admins install and unlink the GitHub App.</p>
      </Show>
      <ConfirmDialog
        open={removing() !== null}
        onClose={() => setRemoving(null)}
        title={`Unlink the installation on ${removing()?.accountLogin ?? ""}`}
        confirmLabel="Unlink"
        danger
        onConfirm={() => remove(removing()!)}
      >
        Pushes to its repositories stop deploying. The app stays installed on GitHub until you uninstall it there.
      </ConfirmDialog>
    </Section>
  );
}
