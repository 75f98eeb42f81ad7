/**
 * One issue: what it is (type, message, status and the actions on it), where it happened
 * (stage, functions), when and how often (first/last seen, count, an hourly histogram of
 * the last 7 days), why its errors are grouped together, its stack trace, and its latest
 * occurrences with the logs of their invocations.
 *
 * Shown at `/:workspace/issues/:issue` and under a stage at
 * `/:workspace/app/:app/:stage/issues/:issue`. Reloads quietly every 10 s.
 */
import { A } from "@solidjs/router";
import ArrowLeft from "lucide-solid/icons/arrow-left";
import ChevronRight from "lucide-solid/icons/chevron-right";
import CircleCheck from "lucide-solid/icons/circle-check";
import Code from "lucide-solid/icons/code";
import EyeOff from "lucide-solid/icons/eye-off";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import SearchX from "lucide-solid/icons/search-x";
import { For, Match, Show, Switch, createEffect, createMemo, createSignal, on, type JSX } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { Badge, type BadgeTone } from "../../components/Badge";
import { BarChart } from "../../components/BarChart";
import { Button, ButtonLink } from "../../components/Button";
import { CopyButton } from "../../components/CopyButton";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { Skeleton, SkeletonRows } from "../../components/Skeleton";
import { Table, type Column } from "../../components/Table";
import { toast } from "../../components/Toast";
import { useWorkspace } from "../../layout/workspace-context";
import { api, toApiError, type ApiError, type IssueDetail as Detail, type IssueStatus, type Occurrence, type Stage } from "../../lib/api";
import { cx } from "../../lib/cx";
import { plural } from "../../lib/format";
import {
  ACTION_STATUS,
  KIND_LABEL,
  STATUS_LABEL,
  actionMessage,
  formatHour,
  functionLabel,
  functionsOf,
  issuesChanged,
  issuesVersion,
  rawStack,
  restoreStatuses,
  runAction,
  type IssueAction,
} from "../../lib/issues";
import { usePolling } from "../../lib/poll";
import { createQuery } from "../../lib/query";
import { stagePath } from "../../lib/stages";
import { formatExact } from "../../lib/time";
import { LogViewer } from "./LogViewer";
import { StackTrace } from "./StackTrace";
import styles from "./IssueDetail.module.css";

const POLL_MS = 10_000;

const STATUS_TONE: Record<IssueStatus, BadgeTone> = { active: "danger", resolved: "success", ignored: "neutral" };

const RUNTIME_LABEL: Record<string, string> = {
  node: "Node.js",
  python: "Python",
  java: "Java",
  dotnet: ".NET",
  go: "Go",
  ruby: "Ruby",
  provided: "Custom runtime",
  unknown: "Unknown runtime",
};

export interface IssueDetailProps {
  issueId: string;
  /** The list this issue was opened from ("Issues of production", "Issues"). */
  back: { href: string; label: string };
  /** All stages of the workspace, for stage links. */
  stages?: Stage[];
  /** Called with the issue once loaded (breadcrumbs). */
  onLoad?: (detail: Detail) => void;
  /** Inside a page that has its own h1 (the stage): the issue's title is an h2. */
  nested?: boolean;
}

export function IssueDetail(props: IssueDetailProps) {
  const { workspace } = useWorkspace();
  const [state, setState] = createStore<{ detail?: Detail }>({});
  const [error, setError] = createSignal<ApiError | undefined>(undefined);
  let epoch = 0;
  let mutations = 0;

  const load = async () => {
    const started = epoch;
    try {
      const value = await api.issues.get(workspace().id, props.issueId);
      if (started !== epoch || mutations > 0) return;
      // Reconciled: what is open or selected on screen stays so as polls come in.
      setState("detail", reconcile(value, { key: "id", merge: true }));
      setError(undefined);
      props.onLoad?.(value);
    } catch (err) {
      if (started !== epoch) return;
      setError(toApiError(err));
    }
  };

  // A memo: the workspace object is replaced when the layout revalidates it.
  const key = createMemo(() => `${workspace().id}|${props.issueId}`);
  createEffect(
    on(
      key,
      () => {
        epoch++;
        setState("detail", undefined);
        setError(undefined);
        void load();
      },
    ),
  );
  createEffect(on(issuesVersion, () => void load(), { defer: true }));
  usePolling(() => !!state.detail, load, POLL_MS);

  const detail = () => state.detail;
  const issue = () => state.detail?.issue;
  const functions = () => {
    const stageId = issue()?.stageId;
    return stageId ? functionsOf(workspace().id, stageId) : undefined;
  };

  // ---- actions --------------------------------------------------------------------------
  const [busy, setBusy] = createSignal(false);
  const setStatus = (status: IssueStatus) => {
    setState("detail", "issue", "status", status);
  };
  const act = async (action: IssueAction) => {
    const current = issue();
    if (!current || busy()) return;
    const previous = current.status;
    const to = ACTION_STATUS[action];
    const type = current.type;
    setBusy(true);
    mutations++;
    epoch++;
    setStatus(to);
    try {
      await runAction(workspace().id, action, [current.id]);
      toast.success(actionMessage(action, 1, type), {
        label: "Undo",
        run: () => void undo(previous, to),
      });
      issuesChanged();
    } catch (err) {
      setStatus(previous);
      toast.error(err);
    } finally {
      setBusy(false);
      mutations--;
      epoch++;
    }
  };
  const undo = async (previous: IssueStatus, now: IssueStatus) => {
    const current = issue();
    if (!current) return;
    mutations++;
    epoch++;
    setStatus(previous);
    try {
      await restoreStatuses(workspace().id, new Map([[current.id, previous]]));
      toast.info(`${current.type} is back in ${STATUS_LABEL[previous]}`);
      issuesChanged();
    } catch (err) {
      setStatus(now);
      toast.error(err);
    } finally {
      mutations--;
      epoch++;
    }
  };

  const notFound = () => error()?.status === 404;

  return (
    <div class={styles.page}>
      <A href={props.back.href} class={styles.back}>
        <ArrowLeft aria-hidden="true" />
        {props.back.label}
      </A>
      <Switch>
        <Match when={notFound() && !detail()}>
          <EmptyState
            icon={<SearchX />}
            title="Issue not found"
            action={
              <ButtonLink href={props.back.href} variant="primary">
                {props.back.label}
              </ButtonLink>
            }
          >
            It may have been merged into another issue, or removed after 30 days without events.
          </EmptyState>
        </Match>
        <Match when={error() && !detail()}>
          <ErrorState title="Could not load this issue" error={error()} onRetry={() => load()} />
        </Match>
        <Match when={!detail()}>
          <DetailSkeleton />
        </Match>
        <Match when={detail()}>
          {(d) => (
            <>
              <Header nested={props.nested} detail={d()} busy={busy()} onAction={(a) => void act(a)} stages={props.stages} functions={functions()} />
              <div class={styles.grid}>
                <div class={styles.main}>
                  <Histogram detail={d()} />
                  <StackSection detail={d()} />
                  <Occurrences detail={d()} functions={functions()} />
                </div>
                <Facts detail={d()} stages={props.stages} functions={functions()} />
              </div>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div class={styles.skeleton} role="status" aria-busy="true" aria-label="Loading the issue">
      <Skeleton width="md" />
      <Skeleton width="full" />
      <Skeleton width="lg" />
      <SkeletonRows rows={5} columns={2} />
    </div>
  );
}

function Header(props: {
  nested?: boolean;
  detail: Detail;
  busy: boolean;
  onAction: (action: IssueAction) => void;
  stages?: Stage[];
  functions?: ReturnType<typeof functionsOf>;
}) {
  const issue = () => props.detail.issue;
  const status = () => issue().status;
  return (
    <header class={styles.header}>
      <div class={styles.titleRow}>
        <Show when={props.nested} fallback={<h1 class={styles.type}>{issue().type}</h1>}>
          <h2 class={styles.type}>{issue().type}</h2>
        </Show>
        <Badge tone={STATUS_TONE[status()]}>{STATUS_LABEL[status()]}</Badge>
        <Badge>{KIND_LABEL[issue().kind] ?? issue().kind}</Badge>
        <span class={styles.spacer} />
        <div class={styles.actions} role="group" aria-label="Issue actions">
          <Show when={status() !== "resolved"}>
            <Button
              variant={status() === "active" ? "primary" : "secondary"}
              icon={<CircleCheck aria-hidden="true" />}
              disabled={props.busy}
              onClick={() => props.onAction("resolve")}
            >
              Resolve
            </Button>
          </Show>
          <Show when={status() !== "ignored"}>
            <Button icon={<EyeOff aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("ignore")}>
              Ignore
            </Button>
          </Show>
          <Show when={status() !== "active"}>
            <Button icon={<RotateCcw aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("reopen")}>
              Reopen
            </Button>
          </Show>
        </div>
      </div>
      <Show when={issue().message}>
        <p class={styles.message}>{issue().message}</p>
      </Show>
      <p class={styles.summary}>
        <span class={styles.num}>{plural(issue().count, "event")}</span>
        <span aria-hidden="true">·</span>
        <span>
          last seen <RelativeTime time={issue().timeLastSeen} />
        </span>
        <span aria-hidden="true">·</span>
        <span>
          first seen <RelativeTime time={issue().timeFirstSeen} />
        </span>
        <Show when={status() === "resolved" && issue().timeResolved}>
          {(t) => (
            <>
              <span aria-hidden="true">·</span>
              <span>
                resolved <RelativeTime time={t()} />
                {issue().resolvedBy ? ` by ${issue().resolvedBy}` : ""}
              </span>
            </>
          )}
        </Show>
      </p>
    </header>
  );
}

function StackSection(props: { detail: Detail }) {
  const [raw, setRaw] = createSignal(false);
  const error = () => props.detail.issue.error;
  const hasFrames = () => error().frames.length > 0;
  return (
    <Section
      title="Stack trace"
      id="stack-trace"
      description={hasFrames() ? "Most recent call first. Library and runtime frames are collapsed." : undefined}
      actions={
        <Show when={hasFrames()}>
          <CopyButton value={rawStack(error())} label="stack trace" />
          <Button size="sm" variant="ghost" icon={<Code aria-hidden="true" />} aria-pressed={raw()} onClick={() => setRaw(!raw())}>
            Raw
          </Button>
        </Show>
      }
    >
      <Show when={raw()} fallback={<StackTrace error={error()} />}>
        <pre class={styles.raw} aria-label="Raw stack trace" tabIndex={0}>
          {rawStack(error())}
        </pre>
      </Show>
    </Section>
  );
}

function Histogram(props: { detail: Detail }) {
  const start = () => new Date(props.detail.hourly.start).getTime();
  const counts = () => props.detail.hourly.counts;
  const total = () => counts().reduce((a, b) => a + b, 0);
  const peak = createMemo(() => {
    let best = -1;
    let at = 0;
    counts().forEach((c, i) => {
      if (c > best) {
        best = c;
        at = i;
      }
    });
    return { count: Math.max(0, best), at };
  });
  const label = () =>
    total() === 0
      ? "No events in the last 7 days"
      : `${plural(total(), "event")} in the last 7 days; the busiest hour, ${formatHour(start() + peak().at * 3_600_000)}, had ${peak().count}`;
  return (
    <Section
      title="Events per hour"
      id="histogram"
      description={`${plural(total(), "event")} in the last 7 days, in your time zone. Use the arrow keys on the chart to read each hour.`}
    >
      <div class={styles.chartCard}>
        <BarChart
          variant="histogram"
          values={counts()}
          start={start()}
          step={3_600_000}
          label={label()}
          tooltip={(i, n) => `${formatHour(start() + i * 3_600_000)} · ${plural(n, "event")}`}
        />
      </div>
    </Section>
  );
}

function Fact(props: { label: string; children: JSX.Element }) {
  return (
    <div class={styles.fact}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function Facts(props: { detail: Detail; stages?: Stage[]; functions?: ReturnType<typeof functionsOf> }) {
  const { workspace } = useWorkspace();
  const issue = () => props.detail.issue;
  const stage = () => props.detail.stage;
  const basis = () => issue().groupingBasis;
  return (
    <aside class={styles.facts} aria-label="Issue details">
      <dl class={styles.factList}>
        <Fact label="Stage">
          <Show when={stage()} fallback={<span class={styles.subtle}>{issue().app && issue().stage ? `${issue().app} / ${issue().stage}` : "Removed"}</span>}>
            {(s) => (
              <span class={styles.stack}>
                <A href={stagePath(workspace().slug, s(), props.stages, "issues")}>
                  {s().app} / {s().name}
                </A>
                <span class={styles.subtle}>
                  {s().region} · {s().accountId ?? "—"}
                </span>
              </span>
            )}
          </Show>
        </Fact>
        <Fact label={props.detail.functions.length === 1 ? "Function" : "Functions"}>
          <Show when={props.detail.functions.length > 0} fallback={<span class={styles.subtle}>{functionLabel(issue().functionName, props.functions)}</span>}>
            <ul class={styles.fnList} aria-label="Functions it hit">
              <For each={props.detail.functions}>
                {(f) => (
                  <li>
                    <span class={styles.fnName} title={f.functionName}>
                      {functionLabel(f.functionName, props.functions)}
                    </span>
                    <span class={styles.fnCount}>{f.count.toLocaleString()}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Fact>
        <Fact label="Events">
          <span class={styles.num}>{issue().count.toLocaleString()}</span>
        </Fact>
        <Fact label="First seen">
          <span class={styles.stack}>
            <RelativeTime time={issue().timeFirstSeen} />
            <span class={styles.subtle}>{formatExact(issue().timeFirstSeen)}</span>
          </span>
        </Fact>
        <Fact label="Last seen">
          <span class={styles.stack}>
            <RelativeTime time={issue().timeLastSeen} />
            <span class={styles.subtle}>{formatExact(issue().timeLastSeen)}</span>
          </span>
        </Fact>
        <Fact label="Runtime">
          {RUNTIME_LABEL[issue().error.runtime] ?? issue().error.runtime}
          <Show when={issue().error.phase === "init"}> · init phase</Show>
        </Fact>
      </dl>
      <GroupingBasis
        basis={basis()?.basis}
        components={basis()?.components ?? []}
        version={issue().groupingVersion}
        hashes={props.detail.hashes}
      />
    </aside>
  );
}

const BASIS_TEXT: Record<string, string> = {
  stack: "The error type and the in-app frames of the stack (module or file, function and source line; never line numbers).",
  message: "The error type and its message with numbers, ids, dates and URLs taken out (there is no usable stack).",
  function: "A fixed key per function for this kind of failure (timeouts, out of memory, runtime exits).",
  fingerprint: "A fingerprint the function logged itself, or a fingerprint rule of this workspace.",
  rule: "A fingerprint rule of this workspace.",
};

function GroupingBasis(props: { basis?: string; components: string[]; version: number; hashes: number }) {
  const [open, setOpen] = createSignal(false);
  return (
    <div class={styles.grouping}>
      <button type="button" class={styles.groupingToggle} aria-expanded={open()} onClick={() => setOpen(!open())}>
        <ChevronRight class={cx(styles.chevron, open() && styles.chevronOpen)} aria-hidden="true" />
        Why these errors are grouped
      </button>
      <Show when={open()}>
        <div class={styles.groupingBody}>
          <Show when={props.basis} fallback={<p class={styles.subtle}>Console did not record what this issue was grouped by.</p>}>
            {(b) => (
              <p>
                Grouped by <strong>{b()}</strong>: {BASIS_TEXT[b()] ?? "what the grouping engine found in the error."}
              </p>
            )}
          </Show>
          <Show when={props.components.length > 0}>
            <ul class={styles.components} aria-label="Grouping components">
              <For each={props.components}>{(c) => <li>{c}</li>}</For>
            </ul>
          </Show>
          <p class={styles.subtle}>
            Grouping version {props.version}
            {props.hashes > 1 ? ` · ${props.hashes} fingerprints lead here (merged issues)` : ""}
          </p>
        </div>
      </Show>
    </div>
  );
}

function Occurrences(props: { detail: Detail; functions?: ReturnType<typeof functionsOf> }) {
  const { workspace } = useWorkspace();
  const list = () => props.detail.occurrences;
  const [selectedId, setSelectedId] = createSignal<string | null>(null);
  // The latest occurrence is open until the user picks another.
  const selected = createMemo<Occurrence | undefined>(() => list().find((o) => o.id === selectedId()) ?? list()[0]);

  const columns: Column<Occurrence>[] = [
    {
      key: "time",
      header: "Time",
      width: "md",
      cell: (o) => <RelativeTime time={o.timeSeen} />,
    },
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
        <Show when={selected()}>{(o) => <OccurrenceView occurrence={o()} issueId={props.detail.issue.id} workspaceId={workspace().id} functions={props.functions} />}</Show>
      </Show>
    </Section>
  );
}

function OccurrenceView(props: {
  occurrence: Occurrence;
  issueId: string;
  workspaceId: string;
  functions?: ReturnType<typeof functionsOf>;
}) {
  const o = () => props.occurrence;
  const logs = createQuery(
    createMemo(() => `${props.workspaceId}|${props.issueId}|${o().id}`),
    () => api.issues.occurrenceLogs(props.workspaceId, props.issueId, o().id),
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
          <Show when={logs.data()}>
            {(l) => (
              <Badge tone={l().source === "cloudwatch" ? "neutral" : "warning"}>
                {l().source === "cloudwatch" ? "From CloudWatch Logs" : "Stored error lines only"}
              </Badge>
            )}
          </Show>
        </div>
        <Switch>
          <Match when={logs.error() && !logs.data()}>
            <ErrorState title="Could not load the logs" error={logs.error()} onRetry={() => logs.refetch()} />
          </Match>
          <Match when={!logs.data()}>
            <SkeletonRows rows={4} columns={2} label="Loading the logs" />
          </Match>
          <Match when={logs.data()}>
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
