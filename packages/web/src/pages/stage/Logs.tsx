/**
 * The Logs tab of a stage: its functions (SST's internal ones after the others), each
 * leading to its page of logs, live tail and invoke panel.
 */
import { A } from "@solidjs/router";
import ScrollText from "lucide-solid/icons/scroll-text";
import { Match, Switch, createMemo } from "solid-js";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { Table, type Column } from "../../components/Table";
import { useNavigate } from "@solidjs/router";
import { useStageDetail } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import type { LambdaFunction } from "../../lib/api";
import { formatMemory, plural } from "../../lib/format";
import { functionPath } from "../../lib/logs";
import { FunctionCell } from "./FunctionCell";
import { useStage } from "./stage-context";
import styles from "./Resources.module.css";

export default function StageLogs() {
  const { workspace } = useWorkspace();
  const { stage, stages } = useStage();
  const navigate = useNavigate();
  const detail = useStageDetail(
    () => workspace().id,
    () => stage().id,
  );
  const functions = createMemo(() => [...(detail.data?.functions ?? [])].sort((a, b) => Number(a.internal) - Number(b.internal) || a.component.localeCompare(b.component)));
  const href = (f: LambdaFunction) => functionPath(workspace().slug, stage(), stages(), f.id);

  const columns: Column<LambdaFunction>[] = [
    {
      key: "function",
      header: "Function",
      cell: (f) => <FunctionCell fn={f} name={(cls) => (
        <A href={href(f)} class={cls} title={`Logs of ${f.component}`}>
          {f.component}
        </A>
      )} />,
    },
    {
      key: "logGroup",
      header: "Log group",
      cell: (f) => (
        <span class={styles.mono} title={f.logGroup}>
          {f.logGroup}
        </span>
      ),
    },
    { key: "runtime", header: "Runtime", width: "md", cell: (f) => <span class={styles.mono}>{f.runtime ?? "—"}</span> },
    { key: "memory", header: "Memory", width: "sm", align: "end", cell: (f) => <span class={styles.num}>{formatMemory(f.memorySize)}</span> },
  ];

  return (
    <Switch>
      <Match when={detail.error && !detail.data}>
        <ErrorState title="Could not load the functions of this stage" error={detail.error} onRetry={() => detail.refetch()} />
      </Match>
      <Match when={detail.data && functions().length === 0}>
        <EmptyState icon={<ScrollText />} title="No functions">
          {stage().name} has no functions, so it has no logs to show. Functions appear here after a deploy and a scan of the account.
        </EmptyState>
      </Match>
      <Match when={true}>
        <Section
          title="Logs"
          id="stage-logs"
          description={detail.data ? `${plural(functions().length, "function")}. Open one for its invocations, live logs and to invoke it.` : undefined}
        >
          <Table
            label="Functions"
            columns={columns}
            rows={detail.data ? functions() : undefined}
            rowKey={(f) => f.id}
            loading={!detail.data}
            skeletonRows={4}
            rowClass={(f) => f.internal && styles.internal}
            onOpen={(f) => navigate(href(f))}
          />
        </Section>
      </Match>
    </Switch>
  );
}
