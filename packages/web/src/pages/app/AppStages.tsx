/** An app's first tab: its stages (as on the overview), each opening its stage. */
import { A, useNavigate } from "@solidjs/router";
import { Show } from "solid-js";
import { Badge } from "../../components/Badge";
import { Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { useWorkspace } from "../../layout/workspace-context";
import type { Stage } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { stagePath } from "../../lib/stages";
import { useApp } from "./app-context";
import styles from "./App.module.css";

export default function AppStages() {
  const { workspace } = useWorkspace();
  const { app, stages, allStages } = useApp();
  const navigate = useNavigate();
  useBreadcrumbs(() => [{ label: app().name }]);

  const columns: Column<Stage>[] = [
    {
      key: "stage",
      header: "Stage",
      cell: (s) => (
        <span class={styles.stage}>
          <A class={styles.stageLink} href={stagePath(workspace().slug, s, allStages())}>
            {s.name}
          </A>
          <Show when={s.personal}>
            <Badge title="A developer's own stage, running its functions live with sst dev">Personal</Badge>
          </Show>
        </span>
      ),
    },
    { key: "region", header: "Region", width: "md", cell: (s) => <span class={styles.mono}>{s.region}</span> },
    { key: "account", header: "AWS account", width: "md", cell: (s) => <span class={styles.mono}>{s.accountId ?? "—"}</span> },
    { key: "functions", header: "Functions", width: "sm", align: "end", cell: (s) => <span class={styles.count}>{s.functionCount}</span> },
    {
      key: "deployed",
      header: "Deployed",
      width: "md",
      cell: (s) => (
        <Show when={s.timeDeployed} fallback={<span class={styles.subtle}>—</span>}>
          {(t) => <RelativeTime time={t()} />}
        </Show>
      ),
    },
  ];

  return (
    <Section title="Stages" description="Every stage of this app that Console found in the connected AWS accounts.">
      <Table
        label={`Stages of ${app().name}`}
        columns={columns}
        rows={stages()}
        rowKey={(s) => s.id}
        rowClass={(s) => s.personal && styles.personal}
        onOpen={(s) => navigate(stagePath(workspace().slug, s, allStages()))}
      />
    </Section>
  );
}
