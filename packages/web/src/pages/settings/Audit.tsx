/** The audit log: every change to the workspace, newest first, paged with "Load more". */
import Lock from "lucide-solid/icons/lock";
import ScrollText from "lucide-solid/icons/scroll-text";
import { Match, Show, Switch, createEffect, createSignal, on } from "solid-js";
import { Button } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Page, PageHeader } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { useWorkspace } from "../../layout/workspace-context";
import { api, type AuditEntry } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { createQuery } from "../../lib/query";
import styles from "./Settings.module.css";

const PAGE = 50;

function actorLabel(entry: AuditEntry): string {
  const a = entry.actor;
  if (a.email) return a.email;
  if (a.type === "system") return "Console";
  return a.id ? `${a.type} ${a.id}` : a.type;
}

export default function Audit() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Audit log" }]);

  const first = createQuery(
    () => workspace().id,
    (ws) => api.audit.list(ws, null, PAGE),
  );
  const [entries, setEntries] = createSignal<AuditEntry[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loadingMore, setLoadingMore] = createSignal(false);

  createEffect(
    on(first.data, (page) => {
      if (!page) return;
      setEntries(page.entries);
      setNext(page.next);
    }),
  );

  const loadMore = async () => {
    const before = next();
    if (!before) return;
    setLoadingMore(true);
    try {
      const page = await api.audit.list(workspace().id, before, PAGE);
      const seen = new Set(entries().map((e) => e.id));
      setEntries([...entries(), ...page.entries.filter((e) => !seen.has(e.id))]);
      setNext(page.next);
    } catch (err) {
      toast.error(err);
    } finally {
      setLoadingMore(false);
    }
  };

  const columns: Column<AuditEntry>[] = [
    {
      key: "time",
      header: "Time",
      width: "md",
      cell: (e) => <RelativeTime time={e.timeCreated} />,
    },
    { key: "actor", header: "Actor", width: "lg", cell: (e) => <span class={styles.email}>{actorLabel(e)}</span> },
    { key: "action", header: "Action", width: "lg", cell: (e) => <code class={styles.action}>{e.action}</code> },
    {
      key: "target",
      header: "Target",
      cell: (e) => (
        <span class={styles.target}>
          <span class={styles.email}>{e.target.label ?? e.target.id ?? "—"}</span>
          <span class={styles.targetType}>{e.target.type}</span>
        </span>
      ),
    },
    { key: "ip", header: "IP", width: "md", cell: (e) => <span class={styles.subtle}>{e.ip ?? "—"}</span> },
  ];

  const forbidden = () => first.error()?.status === 403 || (!isAdmin() && first.error()?.isNoAccess);

  return (
    <Page>
      <PageHeader title="Audit log" description="Every change made to this workspace: who did what, to what, and when." />
      <Switch>
        <Match when={forbidden()}>
          <EmptyState icon={<Lock />} title="Only owners and admins can see the audit log">
            Ask an owner or admin of {workspace().name} if you need to know who changed what.
          </EmptyState>
        </Match>
        <Match when={first.error() && !first.data()}>
          <ErrorState title="Could not load the audit log" error={first.error()} onRetry={() => first.refetch()} />
        </Match>
        <Match when={first.data() && entries().length === 0}>
          <EmptyState icon={<ScrollText />} title="Nothing recorded yet">
            Changes to the workspace (members invited or removed, roles changed, renames) are listed here as they
            happen.
          </EmptyState>
        </Match>
        <Match when={true}>
          <Table
            label="Audit log"
            columns={columns}
            rows={first.data() ? entries() : undefined}
            rowKey={(e) => e.id}
            loading={!first.data()}
            skeletonRows={8}
            footer={
              first.data() && <Show
                when={next()}
                fallback={<span class={styles.note}>{entries().length > 0 ? "That is everything." : ""}</span>}
              >
                <Button size="sm" loading={loadingMore()} onClick={() => void loadMore()}>
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
