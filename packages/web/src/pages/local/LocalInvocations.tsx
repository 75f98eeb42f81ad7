/**
 * Invocations that `sst dev` ran on the developer's machine, newest first, live: a table
 * (status, function, time, duration, cold start) and the selected invocation below it with
 * its errors (detected by the detector of Issues, shown as on an issue's page), its input
 * and output, and its logs. Used by a stage's Local tab.
 */
import CircleAlert from "lucide-solid/icons/circle-alert";
import CircleCheck from "lucide-solid/icons/circle-check";
import LoaderCircle from "lucide-solid/icons/loader-circle";
import { For, Show, createMemo, createSignal } from "solid-js";
import { Badge } from "../../components/Badge";
import { CopyButton } from "../../components/CopyButton";
import { RelativeTime } from "../../components/RelativeTime";
import { Table, type Column } from "../../components/Table";
import type { DetectedError, LogLine } from "../../lib/api";
import { cx } from "../../lib/cx";
import { detectErrors } from "../../lib/local/errors";
import type { LocalInvocation } from "../../lib/local";
import { formatExact } from "../../lib/time";
import { LogViewer } from "../issues/LogViewer";
import { StackTrace } from "../issues/StackTrace";
import styles from "./Local.module.css";

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

type Status = "failed" | "ok" | "pending";
const statusOf = (inv: LocalInvocation): Status => (inv.errors.length ? "failed" : inv.end !== undefined || inv.hasOutput ? "ok" : "pending");
const STATUS_LABEL: Record<Status, string> = { failed: "Error", ok: "Success", pending: "Running" };

function StatusCell(props: { inv: LocalInvocation }) {
  const s = () => statusOf(props.inv);
  return (
    <span class={cx(styles.statusCell, styles[s()])}>
      <Show when={s() === "failed"} fallback={<Show when={s() === "ok"} fallback={<LoaderCircle aria-hidden="true" />}>{<CircleCheck aria-hidden="true" />}</Show>}>
        <CircleAlert aria-hidden="true" />
      </Show>
      {STATUS_LABEL[s()]}
    </span>
  );
}

function json(value: unknown): string {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? "undefined";
}

export function LocalInvocations(props: { invocations: LocalInvocation[]; nameOf: (source: string) => string }) {
  const [selectedId, setSelectedId] = createSignal<string | null>(null);
  const selected = createMemo(() => props.invocations.find((i) => i.id === selectedId()) ?? props.invocations[0]);
  const columns: Column<LocalInvocation>[] = [
    { key: "status", header: "Status", width: "sm", cell: (i) => <StatusCell inv={i} /> },
    { key: "function", header: "Function", width: "lg", cell: (i) => <span title={i.source}>{props.nameOf(i.source)}</span> },
    { key: "time", header: "Started", width: "md", cell: (i) => <RelativeTime time={i.start} /> },
    { key: "duration", header: "Duration", width: "sm", align: "end", cell: (i) => formatDuration(i.duration) },
    {
      key: "cold",
      header: "Start",
      width: "sm",
      cell: (i) => (
        <Show when={i.cold} fallback={<span class={styles.subtle}>warm</span>}>
          <Badge tone="accent" title={i.init ? `Init ${formatDuration(i.init)}` : "The first invocation of this function's worker"}>
            Cold start
          </Badge>
        </Show>
      ),
    },
  ];
  return (
    <>
      <Table
        label="Local invocations"
        columns={columns}
        rows={props.invocations}
        rowKey={(i) => i.id}
        onOpen={(i) => setSelectedId(i.id)}
        rowCurrent={(i) => i.id === selected()?.id}
      />
      <Show when={selected()}>{(inv) => <InvocationView inv={inv()} name={props.nameOf(inv().source)} />}</Show>
    </>
  );
}

function InvocationView(props: { inv: LocalInvocation; name: string }) {
  const detection = createMemo(() => detectErrors(props.inv));
  return (
    <section class={styles.detail} aria-label={`Invocation ${props.inv.id}`}>
      <div class={styles.detailHead}>
        <h3>
          {props.name} · request <span class={styles.mono}>{props.inv.id}</span>
        </h3>
        <CopyButton value={props.inv.id} label="request id" size="sm" />
        <StatusCell inv={props.inv} />
        <Show when={props.inv.cold}>
          <Badge tone="accent">Cold start</Badge>
        </Show>
      </div>
      <p class={styles.subtle}>
        {formatExact(props.inv.start)} · {formatDuration(props.inv.duration)}
        <Show when={props.inv.init}>{(init) => <> · init {formatDuration(init())}</>}</Show>
      </p>
      <For each={detection().errors as DetectedError[]}>
        {(error) => (
          <div class={styles.errorBox} role="group" aria-label={`Error ${error.type}`}>
            <p class={styles.errorMessage}>
              <span class={styles.errType}>{error.type}</span> {error.message}
            </p>
            <Show when={error.frames.length > 0 || (error.causes?.length ?? 0) > 0}>
              <StackTrace error={error} compact />
            </Show>
          </div>
        )}
      </For>
      <div class={styles.payloads}>
        <section class={styles.payload} aria-label="Input">
          <h4>Input</h4>
          <pre class={styles.json}>{props.inv.input === undefined ? "—" : json(props.inv.input)}</pre>
        </section>
        <section class={styles.payload} aria-label="Output">
          <h4>Output</h4>
          <pre class={styles.json}>{props.inv.hasOutput ? json(props.inv.output) : props.inv.errors.length ? "(failed)" : "—"}</pre>
        </section>
      </div>
      <h4 class={styles.logsTitle}>Logs</h4>
      <Show when={props.inv.logs.length > 0} fallback={<p class={styles.subtle}>Nothing logged.</p>}>
        <LogViewer lines={props.inv.logs as LogLine[]} errorIds={detection().lineIds} label={`Logs of ${props.inv.id}`} />
      </Show>
    </section>
  );
}
