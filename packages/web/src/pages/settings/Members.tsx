/**
 * Members of the workspace and pending invitations: invite, change roles, remove, revoke,
 * leave. Owner/admin controls are hidden from members.
 */
import { useNavigate } from "@solidjs/router";
import LogOut from "lucide-solid/icons/log-out";
import UserMinus from "lucide-solid/icons/user-minus";
import UserPlus from "lucide-solid/icons/user-plus";
import X from "lucide-solid/icons/x";
import { Match, Show, Switch, createMemo, createSignal } from "solid-js";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { Dialog } from "../../components/Dialog";
import { ErrorState } from "../../components/ErrorState";
import { FormError } from "../../components/FormError";
import { Input } from "../../components/Input";
import { Page, PageHeader, Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { ROLE_LABEL, RoleBadge } from "../../components/RoleBadge";
import { Select, type SelectOption } from "../../components/Select";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { forgetLastWorkspace, useMe, useSession } from "../../data/session";
import { useChangeRole, useInvitations, useInvite, useMembers, useRemoveMember, useRevokeInvitation } from "../../data/workspace";
import { useWorkspace } from "../../layout/workspace-context";
import { describeError, fieldErrors, toApiError, type Invitation, type Member, type Role } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import styles from "./Settings.module.css";

const RANK: Record<Role, number> = { owner: 0, admin: 1, member: 2 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export default function Members() {
  const navigate = useNavigate();
  const { workspace, isAdmin, isOwner } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Members" }]);

  const id = () => workspace().id;
  const meQuery = useMe();
  const me = () => meQuery.data;
  const session = useSession();
  const members = useMembers(id);
  const invitations = useInvitations(id);
  const changeRoleMutation = useChangeRole(id);
  const removeMutation = useRemoveMember(id);
  const revokeMutation = useRevokeInvitation(id);
  const myId = () => me()?.user.id;

  const sorted = createMemo(() =>
    [...(members.data ?? [])].sort((a, b) => RANK[a.role] - RANK[b.role] || a.email.localeCompare(b.email)),
  );
  const self = () => members.data?.find((m) => m.userId === myId());
  /** The viewer is the workspace's only owner: the server refuses their leaving, so say so before. */
  const soleOwner = () => self()?.role === "owner" && (members.data ?? []).filter((m) => m.role === "owner").length === 1;

  const roleOptions = (): SelectOption<Role>[] => [
    { value: "member", label: "Member" },
    { value: "admin", label: "Admin" },
    ...(isOwner() ? [{ value: "owner" as const, label: "Owner" }] : []),
  ];

  /** Whether the viewer may change this member's role or remove them. */
  const canManage = (m: Member) => isAdmin() && m.userId !== myId() && (m.role !== "owner" || isOwner());

  // Change role: optimistic, reverted if the server says no.
  const changeRole = async (m: Member, role: Role) => {
    if (role === m.role) return;
    try {
      await changeRoleMutation.mutateAsync({ member: m, role });
      toast.success(`${m.email} is now ${ROLE_LABEL[role].toLowerCase()}`);
    } catch (err) {
      toast.error(err);
    }
  };

  const [removing, setRemoving] = createSignal<Member | null>(null);
  const [leaving, setLeaving] = createSignal(false);
  const [inviteOpen, setInviteOpen] = createSignal(false);

  const remove = async (m: Member) => {
    await removeMutation.mutateAsync(m);
    toast.success(`${m.email} was removed from ${workspace().name}`);
  };

  const leave = async () => {
    const mine = self();
    if (!mine) throw new Error("Your membership was not found. Reload the page and try again.");
    const ws = workspace();
    await removeMutation.mutateAsync(mine);
    const user = me()?.user;
    if (user) forgetLastWorkspace(user.id, ws.slug);
    await session.refresh();
    toast.success(`You left ${ws.name}`);
    navigate("/", { replace: true });
  };

  const revoke = async (inv: Invitation) => {
    try {
      await revokeMutation.mutateAsync(inv);
      toast.success(`Invitation to ${inv.email} revoked`);
    } catch (err) {
      toast.error(err);
    }
  };

  const memberColumns: Column<Member>[] = [
    {
      key: "email",
      header: "Member",
      cell: (m) => (
        <span class={styles.who}>
          <span class={styles.email} title={m.email}>
            {m.email}
          </span>
          <Show when={m.userId === myId()}>
            <Badge>You</Badge>
          </Show>
        </span>
      ),
    },
    {
      key: "role",
      header: "Role",
      width: "md",
      cell: (m) => (
        <Show when={canManage(m)} fallback={<RoleBadge role={m.role} />}>
          <Select
            label={`Role of ${m.email}`}
            hideLabel
            size="sm"
            class={styles.roleSelect}
            options={roleOptions()}
            value={m.role}
            onChange={(role) => void changeRole(m, role)}
          />
        </Show>
      ),
    },
    { key: "joined", header: "Joined", width: "md", cell: (m) => <RelativeTime time={m.timeJoined} /> },
    {
      key: "actions",
      header: "",
      label: "Actions",
      width: "sm",
      align: "end",
      cell: (m) => (
        <span class={styles.actions}>
          <Switch>
            <Match when={m.userId === myId()}>
              <Button
                size="sm"
                variant="ghost"
                icon={<LogOut aria-hidden="true" />}
                disabled={soleOwner()}
                aria-describedby={soleOwner() ? "sole-owner-note" : undefined}
                title={soleOwner() ? "You are the only owner" : undefined}
                onClick={() => setLeaving(true)}
              >
                Leave
              </Button>
            </Match>
            <Match when={canManage(m)}>
              <Button
                size="sm"
                variant="dangerGhost"
                icon={<UserMinus aria-hidden="true" />}
                aria-label={`Remove ${m.email}`}
                onClick={() => setRemoving(m)}
              >
                Remove
              </Button>
            </Match>
          </Switch>
        </span>
      ),
    },
  ];

  const invitationColumns: Column<Invitation>[] = [
    { key: "email", header: "Email", cell: (i) => <span class={styles.email}>{i.email}</span> },
    { key: "role", header: "Role", width: "sm", cell: (i) => <RoleBadge role={i.role} /> },
    {
      key: "by",
      header: "Invited by",
      width: "lg",
      cell: (i) => <span class={styles.muted}>{i.invitedBy?.email ?? "—"}</span>,
    },
    { key: "sent", header: "Sent", width: "sm", cell: (i) => <RelativeTime time={i.timeCreated} /> },
    {
      key: "actions",
      header: "",
      label: "Actions",
      width: "sm",
      align: "end",
      cell: (i) => (
        <Show when={isAdmin()}>
          <Button size="sm" variant="ghost" icon={<X aria-hidden="true" />} aria-label={`Revoke invitation to ${i.email}`} onClick={() => void revoke(i)}>
            Revoke
          </Button>
        </Show>
      ),
    },
  ];

  return (
    <Page>
      <PageHeader
        title="Members"
        description="People who can see this workspace. Owners and admins manage members, AWS accounts, alerts and billing."
        actions={
          <Show when={isAdmin()}>
            <Button variant="primary" icon={<UserPlus aria-hidden="true" />} onClick={() => setInviteOpen(true)}>
              Invite member
            </Button>
          </Show>
        }
      />

      <div class={styles.stack}>
        <Show
          when={!members.error || members.data}
          fallback={<ErrorState title="Could not load the members" error={members.error} onRetry={() => members.refetch()} />}
        >
          <Table
            label="Members"
            columns={memberColumns}
            rows={sorted()}
            rowKey={(m) => m.id}
            loading={!members.data}
            skeletonRows={3}
            empty="No members."
          />
        </Show>
        <Show when={!isAdmin() && members.data}>
          <p class={styles.note}>You are a member. Ask an owner or admin to invite people or change roles.</p>
        </Show>
        <Show when={soleOwner()}>
          <p class={styles.note} id="sole-owner-note">
            You are the only owner of {workspace().name}, so you cannot leave it. Make another member an owner first, or
            delete the workspace in General settings.
          </p>
        </Show>
      </div>

      <Section title="Pending invitations" id="invitations" description="People invited who have not signed in yet. They join when they sign in with this email.">
        <Show
          when={!invitations.error || invitations.data}
          fallback={
            <ErrorState
              title="Could not load the invitations"
              error={invitations.error}
              onRetry={() => invitations.refetch()}
            />
          }
        >
          <Table
            label="Pending invitations"
            columns={invitationColumns}
            rows={invitations.data}
            rowKey={(i) => i.id}
            loading={!invitations.data}
            skeletonRows={2}
            empty={isAdmin() ? "No pending invitations. Invite someone with “Invite member”." : "No pending invitations."}
          />
        </Show>
      </Section>

      <InviteDialog
        open={inviteOpen()}
        onClose={() => setInviteOpen(false)}
        workspaceId={id()}
        roles={roleOptions()}
        onInvited={(inv) => {
          toast.success(`Invitation sent to ${inv.email}`);
        }}
      />

      <ConfirmDialog
        open={removing() !== null}
        onClose={() => setRemoving(null)}
        title="Remove member"
        confirmLabel="Remove member"
        danger
        onConfirm={() => {
          const m = removing();
          return m ? remove(m) : undefined;
        }}
      >
        <p>
          Remove <strong>{removing()?.email}</strong> from {workspace().name}? They lose access at once, including
          sessions that are open now. You can invite them again later.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={leaving()}
        onClose={() => setLeaving(false)}
        title={`Leave ${workspace().name}`}
        confirmLabel="Leave workspace"
        danger
        onConfirm={leave}
      >
        <p>
          You will lose access to {workspace().name} at once. To come back, an owner or admin must invite you again.
        </p>
      </ConfirmDialog>
    </Page>
  );
}

function InviteDialog(props: {
  open: boolean;
  onClose: () => void;
  workspaceId: string;
  roles: SelectOption<Role>[];
  onInvited: (invitation: Invitation) => void;
}) {
  const [email, setEmail] = createSignal("");
  const [role, setRole] = createSignal<Role>("member");
  const [errors, setErrors] = createSignal<{ email?: string; role?: string; form?: string }>({});
  const [busy, setBusy] = createSignal(false);
  const invite = useInvite(() => props.workspaceId);

  const close = () => {
    if (busy()) return;
    setEmail("");
    setRole("member");
    setErrors({});
    props.onClose();
  };

  const submit = async () => {
    const value = email().trim().toLowerCase();
    if (!EMAIL.test(value)) {
      setErrors({ email: "Enter a valid email address." });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const invitation = await invite.mutateAsync({ email: value, role: role() });
      props.onInvited(invitation);
      setBusy(false);
      close();
    } catch (err) {
      const e = toApiError(err);
      if (e.code === "already_member") setErrors({ email: describeError(e) });
      else if (e.code === "validation") {
        const fields = fieldErrors(e);
        setErrors({ email: fields.email, role: fields.role, form: fields.email || fields.role ? undefined : describeError(e) });
      } else setErrors({ form: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={close}
      title="Invite member"
      description="We email them an invitation. They join the workspace when they sign in with this address."
      onSubmit={() => void submit()}
      footer={
        <>
          <Button onClick={close} disabled={busy()}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={busy()}>
            Send invitation
          </Button>
        </>
      }
    >
      <Input
        label="Email"
        type="email"
        name="email"
        autocomplete="off"
        placeholder="teammate@company.com"
        autofocus
        value={email()}
        error={errors().email}
        onInput={(e) => setEmail(e.currentTarget.value)}
      />
      <Select
        label="Role"
        options={props.roles}
        value={role()}
        error={errors().role}
        onChange={setRole}
        hint={role() === "member" ? "Members see everything but manage nothing." : role() === "admin" ? "Admins manage members, AWS accounts, alerts and billing." : "Owners can also delete the workspace and manage other owners."}
      />
      <FormError>{errors().form}</FormError>
    </Dialog>
  );
}
