/** The audit log: every change to the workspace, newest first, paged with "Load more". */
import Lock from "lucide-solid/icons/lock";
import ScrollText from "lucide-solid/icons/scroll-text";
import { Match, Show, Switch } from "solid-js";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Page, PageHeader } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { useAudit } from "../../data/workspace";
import { useWorkspace } from "../../layout/workspace-context";
import type { AuditEntry } from "../../lib/api";
import { auditWords } from "../../lib/audit";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import styles from "./Settings.module.css";

function actorLabel(entry: AuditEntry): string {
  const a = entry.actor;
  if (a.email) return a.email;
  if (a.type === "system") return "Console";
  return a.id ? `${a.type} ${a.id}` : a.type;
}

export default function Audit() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Audit log" }]);

  const audit = useAudit(() => workspace().id);
  const entries = () => audit.data?.pages.flatMap((p) => p.entries) ?? [];
  const loadMore = () => void audit.fetchNextPage().then((r) => r.error && toast.error(r.error));

  const columns: Column<AuditEntry>[] = [
    {
      key: "time",
      header: "Time",
      width: "md",
      cell: (e) => <RelativeTime time={e.timeCreated} />,
    },
    { key: "actor", header: "Actor", width: "lg", cell: (e) => <span class={styles.email}>{actorLabel(e)}</span> },
    {
      key: "action",
      header: "Action",
      cell: (e) => {
        const words = auditWords(e);
        return (
          <span class={styles.target} title={e.target.label ? `${e.action} · ${e.target.label}` : e.action}>
            <span class={styles.auditText}>{words.text}</span>
            <Show when={words.detail}>{(d) => <span class={styles.auditDetail}>{d()}</span>}</Show>
          </span>
        );
      },
    },
    { key: "ip", header: "IP", width: "md", cell: (e) => <span class={styles.subtle}>{e.ip ?? "—"}</span> },
  ];

  const forbidden = () => audit.error?.status === 403 || (!isAdmin() && audit.error?.isNoAccess);

  return (
    <Page>
      <PageHeader title="Audit log" description="Every change made to this workspace: who did what, to what, and when." />
      <Switch>
        <Match when={forbidden()}>
          <EmptyState icon={<Lock />} title="Only owners and admins can see the audit log">
            Ask an owner or admin of {workspace().name} if you need to know who changed what.
          </EmptyState>
        </Match>
        <Match when={audit.error && !audit.data}>
          <ErrorState title="Could not load the audit log" error={audit.error} onRetry={() => audit.refetch()} />
        </Match>
        <Match when={audit.data && entries().length === 0}>
          <EmptyState icon={<ScrollText />} title="Nothing recorded yet">
            Changes to the workspace (members invited or removed, roles changed, renames) are listed here as they
            happen.
          </EmptyState>
        </Match>
        <Match when={true}>
          <Table
            label="Audit log"
            columns={columns}
            rows={audit.data ? entries() : undefined}
            rowKey={(e) => e.id}
            loading={!audit.data}
            skeletonRows={8}
            footer={
              audit.data && <Show
                when={audit.hasNextPage}
                fallback={<span class={styles.note}>{entries().length > 0 ? "That is everything." : ""}</span>}
              >
                <Button size="sm" loading={audit.isFetchingNextPage} onClick={loadMore}>
                  Load more
                </Button>
              </Show>
            }
          />
        </Match>
      </Switch>
    </Page>
  );
}
