/**
 * A notice above every signed-in page while the person has pending invitations, so an
 * invitation is never missed (joining is their choice: /invitations).
 */
import { useLocation } from "@solidjs/router";
import MailPlus from "lucide-solid/icons/mail-plus";
import { Show } from "solid-js";
import { usePendingInvitations } from "../data/invitations";
import { Banner } from "./Banner";
import { ButtonLink } from "./Button";
import styles from "./InvitationsNotice.module.css";

export function InvitationsNotice() {
  const location = useLocation();
  // Sign-out clears every query, so a list never outlives the person it belongs to.
  const invitations = usePendingInvitations();
  const pending = () => invitations.data;
  const count = () => pending()?.length ?? 0;
  const title = () => {
    const list = pending() ?? [];
    if (list.length === 1) return `You are invited to join ${list[0]!.workspace.name}`;
    return `You have ${list.length} pending invitations`;
  };
  return (
    <Show when={count() > 0 && !location.pathname.startsWith("/invitations")}>
      <div class={styles.notice}>
        <Banner
          tone="accent"
          role="status"
          icon={<MailPlus />}
          title={title()}
          action={
            <ButtonLink href="/invitations" variant="primary" size="sm">
              View invitations
            </ButtonLink>
          }
        >
          You join a workspace only when you accept its invitation.
        </Banner>
      </div>
    </Show>
  );
}
