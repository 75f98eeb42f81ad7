/**
 * The stages of one app as a table (the overview lists one per app; an app's Stages tab shows
 * its own): name (personal ones marked and quieter), region, account, functions, last deploy.
 * Enter or a click opens the stage.
 */
import { A, useNavigate } from "@solidjs/router";
import { Show } from "solid-js";
import { Badge } from "../../components/Badge";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import { useWorkspace } from "../../layout/workspace-context";
import type { Stage } from "../../lib/api";
import { stagePath } from "../../lib/stages";
import styles from "./Overview.module.css";

export function StageTable(props: { app: string; stages: Stage[]; all: Stage[] }) {
  const { workspace } = useWorkspace();
  const navigate = useNavigate();
  const columns: Column<Stage>[] = [
    {
      key: "stage",
      header: "Stage",
      cell: (s) => (
        <span class={styles.stage}>
          <A class={styles.stageLink} href={stagePath(workspace().slug, s, props.all)}>
            {s.name}
          </A>
          <Show when={s.personal}>
            <Badge title="A developer's own stage, running its functions live with sst dev">Personal</Badge>
          </Show>
        </span>
      ),
    },
    { key: "region", header: "Region", width: "md", cell: (s) => <span class={styles.mono}>{s.region}</span> },
    {
      key: "account",
      header: "AWS account",
      width: "md",
      cell: (s) => <span class={styles.mono}>{s.accountId ?? "—"}</span>,
    },
    {
      key: "functions",
      header: "Functions",
      width: "sm",
      align: "end",
      cell: (s) => <span class={styles.count}>{s.functionCount}</span>,
    },
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
    <Table
      label={`Stages of ${props.app}`}
      columns={columns}
      rows={props.stages}
      rowKey={(s) => s.id}
      rowClass={(s) => s.personal && styles.personal}
      onOpen={(s) => navigate(stagePath(workspace().slug, s, props.all))}
    />
  );
}
