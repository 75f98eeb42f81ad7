/**
 * `/invitations`: the workspaces the signed-in person was invited to. Nothing is
 * joined until they accept; declining removes the invitation.
 */
import { useNavigate } from "@solidjs/router";
import Inbox from "lucide-solid/icons/inbox";
import { For, Match, Switch, createSignal } from "solid-js";
import { Button, ButtonLink } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { Page, PageHeader } from "../components/Page";
import { RelativeTime } from "../components/RelativeTime";
import { ROLE_LABEL } from "../components/RoleBadge";
import { SkeletonRows } from "../components/Skeleton";
import { toast } from "../components/Toast";
import { useInvitationActions, usePendingInvitations } from "../data/invitations";
import { setLastWorkspace, useMe } from "../data/session";
import type { PendingInvitation } from "../lib/api";
import home from "./Home.module.css";
import styles from "./Invitations.module.css";

export default function Invitations() {
  const navigate = useNavigate();
  const [busy, setBusy] = createSignal<string | null>(null);
  const invitations = usePendingInvitations();
  const actions = useInvitationActions();
  const me = useMe();
  const pending = () => invitations.data;

  const accept = async (inv: PendingInvitation) => {
    setBusy(inv.id);
    try {
      const user = me.data?.user;
      const { workspace } = await actions.accept(inv.id);
      if (user) setLastWorkspace(user.id, workspace.slug);
      toast.success(`You joined ${workspace.name}`);
      navigate(`/${workspace.slug}`);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(null);
    }
  };

  const decline = async (inv: PendingInvitation) => {
    setBusy(inv.id);
    try {
      await actions.decline(inv.id);
      toast.success(`Invitation to ${inv.workspace.name} declined`);
    } catch (err) {
      toast.error(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page narrow>
      <PageHeader
        title="Invitations"
        description="Workspaces you were invited to. You join one only when you accept its invitation."
      />
      <Switch fallback={<SkeletonRows rows={2} columns={2} label="Loading your invitations" />}>
        <Match when={invitations.error && !pending()}>
          <ErrorState title="Could not load your invitations" error={invitations.error} onRetry={() => invitations.refetch()} />
        </Match>
        <Match when={pending()?.length === 0}>
          <EmptyState
            icon={<Inbox />}
            title="No pending invitations"
            action={<ButtonLink href="/">Go to your workspaces</ButtonLink>}
          >
            When someone invites you to a workspace, the invitation shows up here.
          </EmptyState>
        </Match>
        <Match when={pending()}>
          {(list) => (
            <ul class={home.list} aria-label="Pending invitations">
              <For each={list()}>
                {(inv) => (
                  <li class={styles.item}>
                    <span class={home.mark} aria-hidden="true">
                      {inv.workspace.name.trim()[0] ?? "?"}
                    </span>
                    <div class={styles.body}>
                      <span class={styles.name}>{inv.workspace.name}</span>
                      <span class={styles.meta}>
                        {inv.invitedBy.email ?? "Someone"} invited you as {ROLE_LABEL[inv.role].toLowerCase()} · expires{" "}
                        <RelativeTime time={inv.timeExpires} />
                      </span>
                    </div>
                    <div class={styles.actions}>
                      <Button
                        size="sm"
                        disabled={busy() !== null}
                        loading={busy() === inv.id}
                        aria-label={`Decline the invitation to ${inv.workspace.name}`}
                        onClick={() => void decline(inv)}
                      >
                        Decline
                      </Button>
                      <Button
                        size="sm"
                        variant="primary"
                        disabled={busy() !== null}
                        aria-label={`Accept the invitation to ${inv.workspace.name}`}
                        onClick={() => void accept(inv)}
                      >
                        Accept
                      </Button>
                    </div>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
    </Page>
  );
}
