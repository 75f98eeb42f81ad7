/**
 * AWS accounts: the connections of this workspace with their state (scans show which
 * region they are on), and for owners and admins: connect (the stack dialog), the demo
 * account on a local console, rescan, disconnect, and confirming the removal of an account
 * whose stack reported its deletion (a banner). The list polls while a connection is
 * connecting, scanning or disconnecting.
 */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { useQueryClient } from "@tanstack/solid-query";
import Cloud from "lucide-solid/icons/cloud";
import Plus from "lucide-solid/icons/plus";
import RefreshCw from "lucide-solid/icons/refresh-cw";
import Unplug from "lucide-solid/icons/unplug";
import Wrench from "lucide-solid/icons/wrench";
import Trash from "lucide-solid/icons/trash";
import TriangleAlert from "lucide-solid/icons/triangle-alert";
import { For, Match, Show, Switch, createEffect, createSignal } from "solid-js";
import { AccountStatus } from "../../components/AccountStatus";
import { Banner } from "../../components/Banner";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DEMO_EXPLANATION, DemoAccountButton, DemoCallout } from "../../components/DemoAccount";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Page, PageHeader } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { invalidateAccounts, useAccounts, useConfirmRemoval, useDisconnect, useRescan } from "../../data/accounts";
import { useDemoAvailable } from "../../data/session";
import { useWorkspace } from "../../layout/workspace-context";
import { METHOD_LABEL, accountLabel, hasDemoAccount, isPending } from "../../lib/accounts";
import type { Account } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { ConnectAccountDialog } from "./ConnectAccountDialog";
import { GithubSection } from "./GithubSection";
import styles from "./Settings.module.css";

export default function Accounts() {
  const { workspace, isAdmin } = useWorkspace();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "AWS accounts" }]);
  const demoAvailable = useDemoAvailable();
  const client = useQueryClient();

  const id = () => workspace().id;
  // Polled while an account connects, scans or disconnects (src/data/accounts.ts).
  const accounts = useAccounts(id);
  const rescanMutation = useRescan(id);
  const disconnectMutation = useDisconnect(id);
  const confirmRemovalMutation = useConfirmRemoval(id);
  const reload = () => void invalidateAccounts(client, id());

  const [connecting, setConnecting] = createSignal<{ account: Account | null } | null>(null);
  const [disconnecting, setDisconnecting] = createSignal<Account | null>(null);
  const [removing, setRemoving] = createSignal<Account | null>(null);
  /** Connections whose stack reported its deletion, which the console could not confirm. */
  const reported = () => (accounts.data ?? []).filter((a) => a.timeStackDeleted && a.status !== "disconnecting");

  // `?connect=1` (from the overview or the command bar) opens the dialog once;
  // `?connect=<connection id>` continues that connection's setup.
  createEffect(() => {
    if (search.connect && isAdmin() && accounts.data) {
      const named = accounts.data.find((a) => a.id === search.connect && isPending(a));
      if (named) setConnecting({ account: named });
      else openConnect();
      setSearch({ connect: undefined }, { replace: true });
    }
  });

  /**
   * "Connect an AWS account" reopens the newest connection that was started and never
   * checked, rather than piling up pending ones; the dialog can still start a new one.
   */
  const openConnect = () => {
    const pending = [...(accounts.data ?? [])]
      .reverse()
      .find((a) => !a.accountId && a.status === "connecting" && a.method === "stack");
    setConnecting({ account: pending ?? null });
  };

  const rescan = async (a: Account) => {
    try {
      await rescanMutation.mutateAsync(a);
      toast.info(`Scanning ${accountLabel(a)}…`);
    } catch (err) {
      toast.error(err);
    }
  };

  const disconnect = async (a: Account) => {
    await disconnectMutation.mutateAsync(a);
    toast.info(a.accountId ? `Disconnecting ${accountLabel(a)}…` : "Pending connection removed");
  };

  const confirmRemoval = async (a: Account) => {
    try {
      await confirmRemovalMutation.mutateAsync(a);
      toast.info(`Disconnecting ${accountLabel(a)}…`);
    } catch (err) {
      toast.error(err);
    }
  };

  const allColumns: Column<Account>[] = [
    {
      key: "account",
      header: "AWS account",
      width: "md",
      cell: (a) => (
        <Show when={a.accountId} fallback={<span class={styles.subtle}>Pending</span>}>
          <span class={styles.mono}>{a.accountId}</span>
        </Show>
      ),
    },
    { key: "status", header: "Status", cell: (a) => <AccountStatus account={a} /> },
    { key: "method", header: "Method", width: "sm", cell: (a) => <span class={styles.muted}>{METHOD_LABEL[a.method]}</span> },
    {
      key: "time",
      header: "Connected",
      width: "md",
      cell: (a) => (
        <span class={styles.times}>
          <Show when={a.timeConnected} fallback={<span class={styles.subtle}>Not yet</span>}>
            {(t) => <RelativeTime time={t()} />}
          </Show>
          <Show when={a.timeScanned}>
            {(t) => (
              <span class={styles.subtle}>
                Scanned <RelativeTime time={t()} />
              </span>
            )}
          </Show>
        </span>
      ),
    },
    {
      key: "actions",
      header: "",
      label: "Actions",
      width: "lg",
      align: "end",
      cell: (a) => (
        <Show when={isAdmin() && a.status !== "disconnecting"}>
          <span class={styles.actions}>
            <Show when={isPending(a)}>
              <Button
                size="sm"
                variant={a.status === "failed" ? "secondary" : "ghost"}
                icon={<Wrench aria-hidden="true" />}
                onClick={() => setConnecting({ account: a })}
              >
                Continue setup
              </Button>
            </Show>
            <Show when={a.accountId}>
              <Button
                size="sm"
                variant="ghost"
                icon={<RefreshCw aria-hidden="true" />}
                aria-label={`Rescan ${accountLabel(a)}`}
                disabled={a.status === "connecting" || a.status === "scanning"}
                onClick={() => void rescan(a)}
              >
                Rescan
              </Button>
            </Show>
            <Button
              size="sm"
              variant="dangerGhost"
              icon={a.accountId ? <Unplug aria-hidden="true" /> : <Trash aria-hidden="true" />}
              aria-label={a.accountId ? `Disconnect ${accountLabel(a)}` : "Remove pending connection"}
              onClick={() => setDisconnecting(a)}
            >
              {a.accountId ? "Disconnect" : "Remove"}
            </Button>
          </span>
        </Show>
      ),
    },
  ];

  // Members see the list read-only: no actions column.
  const columns = () => (isAdmin() ? allColumns : allColumns.filter((c) => c.key !== "actions"));

  // With no account at all, the empty state offers the demo account itself.
  const showDemo = () => isAdmin() && demoAvailable() && (accounts.data?.length ?? 0) > 0 && !hasDemoAccount(accounts.data);

  return (
    <Page>
      <PageHeader
        title="AWS accounts"
        description="The AWS accounts whose SST apps this workspace watches. Console scans every region of them for apps and stages."
        actions={
          <Show when={isAdmin()}>
            <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={openConnect}>
              Connect an AWS account
            </Button>
          </Show>
        }
      />

      <For each={reported()}>
        {(a) => (
          <Banner
            tone="warning"
            role="alert"
            icon={<TriangleAlert />}
            title={`The connection stack of account ${a.accountId} reported its deletion`}
            action={
              <Show when={isAdmin()}>
                <Button size="sm" variant="danger" icon={<Unplug aria-hidden="true" />} onClick={() => setRemoving(a)}>
                  Confirm removal
                </Button>
              </Show>
            }
          >
            Console could not confirm it: the connection's role no longer answers. If you deleted the stack, confirm to
            disconnect the account. If you did not, Rescan it: a scan that reaches the account clears this notice.
            <Show when={!isAdmin()}> An owner or admin can confirm the removal.</Show>
          </Banner>
        )}
      </For>

      <Show when={showDemo()}>
        <DemoCallout workspaceId={id()} />
      </Show>

      <Switch>
        <Match when={accounts.error && !accounts.data}>
          <ErrorState title="Could not load the AWS accounts" error={accounts.error} onRetry={() => accounts.refetch()} />
        </Match>
        <Match when={accounts.data?.length === 0}>
          <EmptyState
            icon={<Cloud />}
            title="No AWS account connected"
            action={
              <Show when={isAdmin()}>
                <Button variant="primary" icon={<Plus aria-hidden="true" />} onClick={openConnect}>
                  Connect an AWS account
                </Button>
                <Show when={demoAvailable()}>
                  <DemoAccountButton workspaceId={id()} />
                </Show>
              </Show>
            }
          >
            <Show
              when={isAdmin()}
              fallback="An owner or admin of this workspace can connect an AWS account. Its apps and stages then appear on the overview."
            >
              <p>
                Deploy a CloudFormation stack in your account: it creates a role that lets Console read your SST apps.
                Nothing changes in your code.
              </p>
              <Show when={demoAvailable()}>
                <p>Or connect the demo account: {DEMO_EXPLANATION.charAt(0).toLowerCase() + DEMO_EXPLANATION.slice(1)}</p>
              </Show>
            </Show>
          </EmptyState>
        </Match>
        <Match when={true}>
          <Table
            label="AWS accounts"
            columns={columns()}
            rows={accounts.data}
            rowKey={(a) => a.id}
            loading={!accounts.data}
            skeletonRows={2}
          />
          <Show when={!isAdmin() && accounts.data}>
            <p class={styles.note}>You are a member. Owners and admins connect, rescan and disconnect accounts.</p>
          </Show>
        </Match>
      </Switch>

      <GithubSection />

      <ConnectAccountDialog
        open={connecting() !== null}
        onClose={() => {
          setConnecting(null);
          reload();
        }}
        workspaceId={id()}
        account={connecting()?.account ?? null}
        onChanged={reload}
        onConnected={(a) => {
          setConnecting(null);
          toast.success(`AWS account ${a.accountId} connected. Console is scanning it for apps…`, {
            label: "View apps",
            run: () => navigate(`/${workspace().slug}`),
          });
          reload();
        }}
      />

      <ConfirmDialog
        open={removing() !== null}
        onClose={() => setRemoving(null)}
        title={`Remove account ${removing()?.accountId ?? ""}`}
        confirmLabel="Disconnect account"
        danger
        onConfirm={() => {
          const a = removing();
          return a ? confirmRemoval(a) : undefined;
        }}
      >
        <p>
          Console removes the account's apps and stages from <strong>{workspace().name}</strong>. What it set up in the
          account (rules, notifications, log subscriptions) stays if the role is gone: Console can no longer reach it.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={disconnecting() !== null}
        onClose={() => setDisconnecting(null)}
        title={disconnecting()?.accountId ? `Disconnect account ${disconnecting()?.accountId}` : "Remove pending connection"}
        confirmLabel={disconnecting()?.accountId ? "Disconnect account" : "Remove connection"}
        danger
        onConfirm={() => {
          const a = disconnecting();
          return a ? disconnect(a) : undefined;
        }}
      >
        <Show
          when={disconnecting()?.accountId}
          fallback={
            <p>
              This connection was never completed. If you deployed its stack, delete the stack in CloudFormation
              (us-east-1) yourself: Console has no access to it.
            </p>
          }
        >
          <div class={styles.stack}>
            <p>Console will remove:</p>
            <ul class={styles.list}>
              <li>
                its rules and notifications in AWS account <strong>{disconnecting()?.accountId}</strong> (the EventBridge
                rules and S3 bucket notifications that tell it about deploys, and its log subscription filters);
              </li>
              <li>
                the account's apps and stages from <strong>{workspace().name}</strong>.
              </li>
            </ul>
            <p class={styles.muted}>
              Your apps and their resources in AWS are not touched. The connection stack stays: delete it in CloudFormation
              (us-east-1) when you no longer need it. To connect the account again later, deploy a new stack.
            </p>
          </div>
        </Show>
      </ConfirmDialog>
    </Page>
  );
}
