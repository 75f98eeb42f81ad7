/** The latest occurrences of an issue; the one selected shows its error and the logs of its invocation. */
import { Match, Show, Switch, createMemo, createSignal } from "solid-js";
import { Badge } from "../../../components/Badge";
import ScrollText from "lucide-solid/icons/scroll-text";
import { Button, ButtonLink } from "../../../components/Button";
import { CopyButton } from "../../../components/CopyButton";
import { EmptyState } from "../../../components/EmptyState";
import { ErrorState } from "../../../components/ErrorState";
import { Section } from "../../../components/Page";
import { RelativeTime } from "../../../components/RelativeTime";
import { SkeletonRows } from "../../../components/Skeleton";
import { Table, type Column } from "../../../components/Table";
import { useOccurrenceLogs } from "../../../data/issues";
import { useWorkspace } from "../../../layout/workspace-context";
import type { IssueDetail, LambdaFunction, Occurrence, Stage } from "../../../lib/api";
import { functionPath } from "../../../lib/logs";
import { cx } from "../../../lib/cx";
import { plural } from "../../../lib/format";
import { functionLabel } from "../../../lib/issues";
import { formatExact } from "../../../lib/time";
import { LogViewer } from "../LogViewer";
import { StackTrace } from "../StackTrace";
import styles from "./IssueDetail.module.css";

export function Occurrences(props: {
  detail: IssueDetail;
  functions?: LambdaFunction[];
  stages?: Stage[];
  /** The occurrence shown, when the page keeps it (the timeline can pick one too). */
  selectedId?: string | null;
  onSelect?: (id: string) => void;
}) {
  const { workspace } = useWorkspace();
  const list = () => props.detail.occurrences;
  const [ownId, setOwnId] = createSignal<string | null>(null);
  const selectedId = () => (props.onSelect ? (props.selectedId ?? null) : ownId());
  const setSelectedId = (id: string) => (props.onSelect ? props.onSelect(id) : setOwnId(id));
  // The latest occurrence is open until the user picks another.
  const selected = createMemo<Occurrence | undefined>(() => list().find((o) => o.id === selectedId()) ?? list()[0]);

  const columns: Column<Occurrence>[] = [
    { key: "time", header: "Time", width: "md", cell: (o) => <RelativeTime time={o.timeSeen} /> },
    {
      key: "function",
      header: "Function",
      width: "lg",
      cell: (o) => (
        <span class={styles.fnName} title={o.functionName}>
          {functionLabel(o.functionName, props.functions)}
        </span>
      ),
    },
    {
      key: "request",
      header: "Request id",
      cell: (o) => (
        <span class={cx(styles.mono, styles.fnName)} title={o.requestId ?? undefined}>
          {o.requestId ?? (o.error.phase === "init" ? "init phase" : "—")}
        </span>
      ),
    },
  ];

  return (
    <Section
      title="Occurrences"
      id="occurrences"
      description={`The latest ${plural(list().length, "occurrence")} of ${plural(props.detail.issue.count, "event")}. Select one to see its error and the logs of its invocation.`}
    >
      <Show when={list().length > 0} fallback={<EmptyState plain title="No occurrences kept">Occurrences are kept for 30 days.</EmptyState>}>
        <Table
          label="Occurrences"
          columns={columns}
          rows={list()}
          rowKey={(o) => o.id}
          onOpen={(o) => setSelectedId(o.id)}
          rowCurrent={(o) => o.id === selected()?.id}
        />
        <Show when={selected()}>{(o) => <OccurrenceView occurrence={o()} issueId={props.detail.issue.id} functions={props.functions} logsHref={aroundHref(props.detail, o(), props.functions, props.stages, workspace().slug)} />}</Show>
      </Show>
    </Section>
  );
}

/** The function's logs around an occurrence (its invocation opened), when the function is known. */
function aroundHref(detail: IssueDetail, o: Occurrence, functions: LambdaFunction[] | undefined, stages: Stage[] | undefined, slug: string): string | undefined {
  const fn = functions?.find((f) => f.name === o.functionName);
  if (!fn || !detail.stage) return undefined;
  const at = Number.isFinite(o.error.timestamp) && o.error.timestamp > 0 ? o.error.timestamp : Date.parse(o.timeSeen);
  return functionPath(slug, detail.stage, stages, fn.id, { around: at, request: o.requestId ?? undefined });
}

function OccurrenceView(props: { occurrence: Occurrence; issueId: string; functions?: LambdaFunction[]; logsHref?: string }) {
  const { workspace } = useWorkspace();
  const o = () => props.occurrence;
  const logs = useOccurrenceLogs(
    () => workspace().id,
    () => props.issueId,
    () => o().id,
  );
  const [showStack, setShowStack] = createSignal(false);
  const name = () => (o().requestId ? `request ${o().requestId}` : `the occurrence at ${formatExact(o().timeSeen)}`);
  return (
    <section class={styles.occurrence} aria-label={`Occurrence: ${name()}`}>
      <div class={styles.occurrenceHead}>
        <div class={styles.occurrenceTitle}>
          <h3>
            {o().requestId ? (
              <>
                Request <span class={styles.mono}>{o().requestId}</span>
              </>
            ) : (
              "Occurrence"
            )}
          </h3>
          <Show when={o().requestId}>{(id) => <CopyButton value={id()} label="request id" />}</Show>
        </div>
        <p class={styles.subtle}>
          {formatExact(o().timeSeen)} · {functionLabel(o().functionName, props.functions)} ·{" "}
          <span class={styles.mono} title={`${o().logGroup} / ${o().logStream}`}>
            {o().logStream}
          </span>
        </p>
      </div>
      <div class={styles.occurrenceError}>
        <p class={styles.occurrenceMessage}>
          <span class={styles.errType}>{o().error.type}</span> {o().error.message}
        </p>
        <Show when={o().error.frames.length > 0 || (o().error.causes?.length ?? 0) > 0}>
          <Button size="sm" variant="ghost" aria-expanded={showStack()} onClick={() => setShowStack(!showStack())}>
            {showStack() ? "Hide its stack trace" : "Show its stack trace"}
          </Button>
        </Show>
      </div>
      <Show when={showStack()}>
        <StackTrace error={o().error} compact />
      </Show>
      <section class={styles.logs} aria-label={`Logs of ${name()}`}>
        <div class={styles.logsHead}>
          <h4>Logs of the invocation</h4>
          <Show when={props.logsHref}>
            {(href) => (
              <ButtonLink size="sm" variant="ghost" href={href()} icon={<ScrollText aria-hidden="true" />}>
                Function logs around it
              </ButtonLink>
            )}
          </Show>
          <Show when={logs.data}>
            {(l) => (
              <Badge tone={l().source === "cloudwatch" ? "neutral" : "warning"}>
                {l().source === "cloudwatch" ? "From CloudWatch Logs" : "Stored error lines only"}
              </Badge>
            )}
          </Show>
        </div>
        <Switch>
          <Match when={logs.error && !logs.data}>
            <ErrorState title="Could not load the logs" error={logs.error} onRetry={() => logs.refetch()} />
          </Match>
          <Match when={!logs.data}>
            <SkeletonRows rows={4} columns={2} label="Loading the logs" />
          </Match>
          <Match when={logs.data}>
            {(l) => (
              <>
                <Show when={l().source === "stored"}>
                  <p class={styles.subtle}>
                    Console could not read this invocation from CloudWatch Logs (the logs may have expired, or the role may
                    not allow it), so these are the lines the error was detected in.
                  </p>
                </Show>
                <Show when={l().lines.length > 0} fallback={<p class={styles.subtle}>No log lines.</p>}>
                  <LogViewer lines={l().lines} errorIds={o().error.eventIds} label={`Log lines of ${name()}`} />
                </Show>
              </>
            )}
          </Match>
        </Switch>
      </section>
    </section>
  );
}
