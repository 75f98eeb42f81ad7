/**
 * The Resources tab of a stage: its functions (SST's internal ones hidden until asked,
 * then dimmed), a detail dialog per function, and the other resources grouped by type
 * with their outputs.
 */
import { useSearchParams } from "@solidjs/router";
import ChevronRight from "lucide-solid/icons/chevron-right";
import ExternalLink from "lucide-solid/icons/external-link";
import { For, Match, Show, Switch, createMemo, createSignal, type JSX } from "solid-js";
import { Badge } from "../../components/Badge";
import Bug from "lucide-solid/icons/bug";
import ScrollText from "lucide-solid/icons/scroll-text";
import { Button, ButtonAnchor, ButtonLink } from "../../components/Button";
import { useAccounts } from "../../data/accounts";
import { CopyButton } from "../../components/CopyButton";
import { Dialog } from "../../components/Dialog";
import Laptop from "lucide-solid/icons/laptop";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Section } from "../../components/Page";
import { RelativeTime } from "../../components/RelativeTime";
import { SkeletonRows } from "../../components/Skeleton";
import { Table, type Column } from "../../components/Table";
import { useStageDetail } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import type { LambdaFunction, Resource } from "../../lib/api";
import { formatBytes, formatMemory, formatSeconds, plural } from "../../lib/format";
import { functionPath } from "../../lib/logs";
import { FunctionCell } from "./FunctionCell";
import { useStage } from "./stage-context";
import styles from "./Resources.module.css";

/** Resource types that are the functions themselves (listed in the functions table). */
const FUNCTION_TYPES = new Set(["aws:lambda/function:Function", "sst:aws:Function", "Function"]);

export default function Resources() {
  const { workspace } = useWorkspace();
  const { stage, stages, path } = useStage();
  const accounts = useAccounts(() => workspace().id);
  const detail = useStageDetail(
    () => workspace().id,
    () => stage().id,
  );

  const [showInternal, setShowInternal] = createSignal(false);
  // The open function is in the address (`?fn=<function id>`): the command bar links to it.
  const [search, setSearch] = useSearchParams();
  const opened = () => functions().find((f) => f.id === search.fn) ?? null;
  const setOpened = (f: LambdaFunction | null) => setSearch({ fn: f?.id });

  const functions = () => detail.data?.functions ?? [];
  const internalCount = () => functions().filter((f) => f.internal).length;
  const visible = createMemo(() => {
    const list = functions().filter((f) => showInternal() || !f.internal);
    // Internal ones after the others.
    return [...list].sort((a, b) => Number(a.internal) - Number(b.internal));
  });
  const others = createMemo(() => groupResources((detail.data?.resources ?? []).filter((r) => !FUNCTION_TYPES.has(r.type))));

  const columns: Column<LambdaFunction>[] = [
    {
      key: "function",
      header: "Function",
      cell: (f) => <FunctionCell fn={f} name={(cls) => (
        <button type="button" class={cls} onClick={() => setOpened(f)} title={f.component}>
          {f.component}
        </button>
      )} />,
    },
    {
      key: "runtime",
      header: "Runtime",
      width: "md",
      cell: (f) => (
        <span class={styles.mono} title={f.runtime ?? undefined}>
          {f.runtime ?? "—"}
        </span>
      ),
    },
    {
      key: "handler",
      header: "Handler",
      cell: (f) => {
        const shown = f.sourceHandler ?? f.handler;
        const title = f.sourceHandler && f.handler && f.handler !== f.sourceHandler ? `${f.sourceHandler} (runs as ${f.handler})` : shown ?? undefined;
        return (
          <span class={styles.mono} title={title}>
            {shown ?? "—"}
          </span>
        );
      },
    },
    { key: "memory", header: "Memory", width: "sm", align: "end", cell: (f) => <span class={styles.num}>{formatMemory(f.memorySize)}</span> },
    { key: "timeout", header: "Timeout", width: "sm", align: "end", cell: (f) => <span class={styles.num}>{formatSeconds(f.timeout)}</span> },
    { key: "size", header: "Code size", width: "sm", align: "end", cell: (f) => <span class={styles.num}>{formatBytes(f.codeSize)}</span> },
  ];

  return (
    <Switch>
      <Match when={detail.error && !detail.data}>
        <ErrorState title="Could not load the resources of this stage" error={detail.error} onRetry={() => detail.refetch()} />
      </Match>
      <Match when={true}>
        <Section
          title="Functions"
          id="functions"
          description={
            detail.data
              ? `${plural(functions().length - internalCount(), "function")}${internalCount() ? `, and ${internalCount()} internal` : ""}. Select one for its details.`
              : undefined
          }
        >
          <Table
            label="Functions"
            columns={columns}
            rows={detail.data ? visible() : undefined}
            rowKey={(f) => f.id}
            loading={!detail.data}
            skeletonRows={4}
            rowClass={(f) => f.internal && styles.internal}
            onOpen={(f) => setOpened(f)}
            empty={
              internalCount() > 0
                ? "Only SST's internal functions are in this stage."
                : "This stage has no functions."
            }
            footer={
              internalCount() > 0 ? (
                <span class={styles.footerNote}>
                  <span>
                    {showInternal()
                      ? `Showing ${plural(internalCount(), "internal function")} SST created for its components.`
                      : `${plural(internalCount(), "internal function")} SST created for its components ${internalCount() === 1 ? "is" : "are"} hidden.`}
                  </span>
                  <Button size="sm" variant="ghost" aria-pressed={showInternal()} onClick={() => setShowInternal(!showInternal())}>
                    {showInternal() ? "Hide internal functions" : "Show internal functions"}
                  </Button>
                </span>
              ) : undefined
            }
          />
        </Section>

        <Section title="Other resources" id="other-resources" description="Everything else in this stage, by type, with its outputs.">
          <Switch>
            <Match when={!detail.data}>
              <SkeletonRows rows={3} columns={2} label="Loading resources" />
            </Match>
            <Match when={others().length === 0}>
              <EmptyState plain title="No other resources">
                This stage has no resources besides its functions.
              </EmptyState>
            </Match>
            <Match when={true}>
              <div class={styles.groups}>
                <For each={others()}>{(group) => <ResourceGroup group={group} />}</For>
              </div>
            </Match>
          </Switch>
        </Section>

        <FunctionDialog
          fn={opened()}
          onClose={() => setOpened(null)}
          demo={accounts.data?.find((a) => a.id === stage().connectionId)?.method === "demo"}
          logsHref={(fn) => functionPath(workspace().slug, stage(), stages(), fn.id)}
          issuesHref={(fn) => {
            const base = path("issues");
            return `${base}${base.includes("?") ? "&" : "?"}function=${encodeURIComponent(fn.name)}`;
          }}
          localHref={(fn) => {
            const base = path("local");
            return `${base}${base.includes("?") ? "&" : "?"}function=${encodeURIComponent(fn.component)}`;
          }}
        />
      </Match>
    </Switch>
  );
}

interface ResourceGroupData {
  type: string;
  label: string;
  /** Components (SST's own and v2 constructs) open by default; provider resources closed. */
  open: boolean;
  rank: number;
  resources: Resource[];
}

function typeRank(type: string): number {
  if (type.startsWith("sst:")) return 0;
  if (!type.includes(":")) return 1; // SST v2 constructs: "Api", "Table"
  if (type.startsWith("pulumi:")) return 4;
  if (type.startsWith("aws:")) return 2;
  return 3;
}

function typeLabel(type: string): string {
  const last = type.split(":").pop() ?? type;
  return last || type;
}

function groupResources(resources: Resource[]): ResourceGroupData[] {
  const groups = new Map<string, ResourceGroupData>();
  for (const r of resources) {
    let g = groups.get(r.type);
    if (!g) {
      const rank = typeRank(r.type);
      g = { type: r.type, label: typeLabel(r.type), open: rank <= 1, rank, resources: [] };
      groups.set(r.type, g);
    }
    g.resources.push(r);
  }
  const out = [...groups.values()];
  out.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label) || a.type.localeCompare(b.type));
  for (const g of out) g.resources.sort((a, b) => a.name.localeCompare(b.name));
  return out;
}

function hasOutputs(outputs: unknown): boolean {
  if (outputs === null || outputs === undefined) return false;
  if (typeof outputs === "object") return Object.keys(outputs as object).length > 0;
  return true;
}

function ResourceGroup(props: { group: ResourceGroupData }) {
  return (
    <details class={styles.group} open={props.group.open}>
      <summary class={styles.groupSummary}>
        <ChevronRight class={styles.chevron} aria-hidden="true" />
        <span class={styles.typeLabel}>{props.group.label}</span>
        <Badge>{props.group.resources.length}</Badge>
        <span class={styles.typeFull}>{props.group.type !== props.group.label ? props.group.type : ""}</span>
      </summary>
      <ul class={styles.resources} aria-label={`${props.group.label} resources`}>
        <For each={props.group.resources}>
          {(r) => (
            <li class={styles.resource}>
              <div class={styles.resourceTop}>
                <span class={styles.resourceName}>{r.name}</span>
                <span class={styles.resourceKey} title={r.key}>
                  {r.key}
                </span>
              </div>
              <Show when={hasOutputs(r.outputs)} fallback={<span class={styles.subtle}>No outputs</span>}>
                <details>
                  <summary class={styles.outputsSummary}>
                    <ChevronRight class={styles.chevron} aria-hidden="true" />
                    Outputs<span class="visually-hidden"> of {r.name}</span>
                  </summary>
                  <pre class={styles.json}>{JSON.stringify(r.outputs, null, 2)}</pre>
                </details>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </details>
  );
}

function lambdaConsoleUrl(fn: LambdaFunction): string {
  const region = encodeURIComponent(fn.region);
  return `https://${region}.console.aws.amazon.com/lambda/home?region=${region}#/functions/${encodeURIComponent(fn.name)}`;
}

function FunctionDialog(props: {
  fn: LambdaFunction | null;
  onClose: () => void;
  issuesHref: (fn: LambdaFunction) => string;
  logsHref: (fn: LambdaFunction) => string;
  /** A live function's logs are its local invocations (the Local tab, filtered to it). */
  localHref?: (fn: LambdaFunction) => string;
  demo: boolean;
}) {
  return (
    <Dialog
      open={props.fn !== null}
      onClose={props.onClose}
      size="lg"
      title={props.fn?.component ?? "Function"}
      description={<span class={styles.detailMono}>{props.fn?.name}</span>}
      footer={
        <>
          <Show when={props.fn}>
            {(fn) => (
              <>
                <ButtonLink href={props.logsHref(fn())} icon={<ScrollText aria-hidden="true" />}>
                  Logs and invoke
                </ButtonLink>
                <ButtonLink href={props.issuesHref(fn())} icon={<Bug aria-hidden="true" />}>
                  Issues of this function
                </ButtonLink>
                <Show when={fn().live && props.localHref}>
                  {(href) => (
                    <ButtonLink href={href()(fn())} icon={<Laptop aria-hidden="true" />}>
                      Local invocations
                    </ButtonLink>
                  )}
                </Show>
                {/* The demo account is emulated: there is no AWS console to open. */}
                <Show when={!props.demo}>
                  <ButtonAnchor href={lambdaConsoleUrl(fn())} newTab icon={<ExternalLink aria-hidden="true" />}>
                    Open in AWS console
                  </ButtonAnchor>
                </Show>
              </>
            )}
          </Show>
          <Button variant="primary" onClick={props.onClose}>
            Close
          </Button>
        </>
      }
    >
      <Show when={props.fn}>
        {(fn) => (
          <dl class={styles.details} aria-label="Function details">
            <Show when={fn().live || fn().internal}>
              <Detail label="Runs">
                <span class={styles.badges}>
                  <Show when={fn().live}>
                    <Badge tone="accent">Live</Badge>
                  </Show>
                  <Show when={fn().internal}>
                    <Badge>Internal</Badge>
                  </Show>
                </span>
              </Detail>
            </Show>
            <Detail label="ARN" mono copy={fn().arn}>
              {fn().arn}
            </Detail>
            <Detail label="Lambda name" mono copy={fn().name}>
              {fn().name}
            </Detail>
            <Detail label="Log group" mono copy={fn().logGroup}>
              {fn().logGroup}
            </Detail>
            <Detail label="Source handler" mono>
              {fn().sourceHandler ?? "—"}
            </Detail>
            <Detail label="Handler" mono>
              {fn().handler ?? "—"}
            </Detail>
            <Detail label="Runtime" mono>
              {fn().runtime ?? "—"}
            </Detail>
            <Detail label="Memory">{formatMemory(fn().memorySize)}</Detail>
            <Detail label="Timeout">{formatSeconds(fn().timeout)}</Detail>
            <Detail label="Code size">
              {formatBytes(fn().codeSize)}
              <Show when={fn().codeSize !== null}>
                <span class={styles.subtle}> ({fn().codeSize?.toLocaleString()} bytes)</span>
              </Show>
            </Detail>
            <Detail label="Region" mono>
              {fn().region}
            </Detail>
            <Detail label="AWS account" mono>
              {fn().accountId}
            </Detail>
            <Detail label="Deployed">
              <Show when={fn().timeDeployed} fallback={<span class={styles.subtle}>unknown</span>}>
                {(t) => <RelativeTime time={t()} />}
              </Show>
            </Detail>
          </dl>
        )}
      </Show>
    </Dialog>
  );
}

function Detail(props: { label: string; children: JSX.Element; mono?: boolean; copy?: string }) {
  return (
    <div class={styles.detail}>
      <dt>{props.label}</dt>
      <dd class={props.mono ? styles.detailMono : undefined}>{props.children}</dd>
      <span>
        <Show when={props.copy}>{(value) => <CopyButton value={value()} label={props.label} />}</Show>
      </span>
    </div>
  );
}
