/**
 * A function: `/:workspace/app/:app/:stage/logs/:function` (under the stage's Logs tab).
 * Its logs as invocations (past, live, a time range or a jump to a time, search) and the
 * invoke panel with saved payloads. The function comes from the stage's detail.
 */
import { useParams } from "@solidjs/router";
import Bug from "lucide-solid/icons/bug";
import PackageSearch from "lucide-solid/icons/package-search";
import { Match, Show, Switch, createMemo } from "solid-js";
import { Badge } from "../../components/Badge";
import { ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { ErrorState } from "../../components/ErrorState";
import { Skeleton, SkeletonRows } from "../../components/Skeleton";
import { useStageDetail } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import type { LambdaFunction } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { formatMemory, formatSeconds } from "../../lib/format";
import { useStage } from "../stage/stage-context";
import { FunctionLogs } from "./FunctionLogs";
import { InvokePanel } from "./InvokePanel";
import { createInvokeState } from "./invoke-state";
import { ReplayContext, type Replay } from "./replay";
import { useConsoleInvocations, useWorkspaceSettings } from "../../data/invoke";
import styles from "./Function.module.css";

export default function FunctionPage() {
  const params = useParams();
  const { workspace } = useWorkspace();
  const { stage, path } = useStage();
  const detail = useStageDetail(
    () => workspace().id,
    () => stage().id,
  );
  const fnId = () => params.function ?? "";
  const fn = createMemo(() => detail.data?.functions.find((f) => f.id === fnId()));

  useBreadcrumbs(() => [
    { label: stage().app, href: `/${workspace().slug}` },
    { label: stage().name, href: path("logs") },
    { label: fn()?.component ?? "Function" },
  ]);

  return (
    <Switch>
      <Match when={detail.error && !detail.data}>
        <ErrorState title="Could not load this function" error={detail.error} onRetry={() => detail.refetch()} />
      </Match>
      <Match when={!detail.data}>
        <div class={styles.page} role="status" aria-busy="true" aria-label="Loading the function">
          <Skeleton width="md" />
          <SkeletonRows rows={5} columns={4} />
        </div>
      </Match>
      <Match when={!fn()}>
        <EmptyState
          icon={<PackageSearch />}
          title="Function not found"
          action={
            <ButtonLink href={path("logs")} variant="primary">
              Functions of {stage().name}
            </ButtonLink>
          }
        >
          This stage has no such function any more. It may have been removed by a deploy.
        </EmptyState>
      </Match>
      <Match when={fn()}>
        {(f) => (
          <div class={styles.page}>
            <FunctionHeader fn={f()} />
            <FunctionBody fn={f()} />
          </div>
        )}
      </Match>
    </Switch>
  );
}

/** The invoke panel and the logs, sharing the invoke state (a row replays into the panel). */
function FunctionBody(props: { fn: LambdaFunction }) {
  const { workspace, isAdmin } = useWorkspace();
  const { stage } = useStage();
  const state = createInvokeState(
    () => workspace().id,
    () => props.fn.id,
  );
  // Invocations made from the console keep their event: their rows can replay it.
  const made = useConsoleInvocations(
    () => workspace().id,
    () => props.fn.id,
  );
  const events = createMemo(() => new Map((made.data?.invocations ?? []).filter((i) => i.requestId).map((i) => [i.requestId!, i.payload])));
  // The workspace may keep invoking non-personal stages to admins and owners.
  const settings = useWorkspaceSettings(() => workspace().id);
  const allowed = () => stage().personal || settings.data?.invokeRole !== "admin" || isAdmin();
  const replay: Replay = {
    known: (requestId) => allowed() && !!requestId && events().has(requestId),
    run: (requestId) => {
      state.replay(requestId, events().get(requestId));
      document.getElementById("invoke-title")?.scrollIntoView({ block: "start" });
    },
  };
  return (
    <ReplayContext.Provider value={replay}>
      <InvokePanel fn={props.fn} state={state} allowed={allowed()} />
      <FunctionLogs fn={props.fn} />
    </ReplayContext.Provider>
  );
}

function FunctionHeader(props: { fn: LambdaFunction }) {
  const { path } = useStage();
  const issuesHref = () => {
    const base = path("issues");
    return `${base}${base.includes("?") ? "&" : "?"}function=${encodeURIComponent(props.fn.name)}`;
  };
  return (
    <header class={styles.header}>
      <div class={styles.headerTop}>
        <div class={styles.titles}>
          <h2 class={styles.title}>{props.fn.component}</h2>
          <span class={styles.lambda} title={props.fn.name}>
            {props.fn.name}
          </span>
        </div>
        <ButtonLink href={issuesHref()} size="sm" icon={<Bug aria-hidden="true" />}>
          Issues
        </ButtonLink>
      </div>
      <dl class={styles.meta} aria-label="Function details">
        <Show when={props.fn.live}>
          <div>
            <dt class="visually-hidden">Runs</dt>
            <dd>
              <Badge tone="accent" title="Runs on a developer's machine through sst dev">
                Live
              </Badge>
            </dd>
          </div>
        </Show>
        <div>
          <dt>Runtime</dt>
          <dd class={styles.mono}>{props.fn.runtime ?? "—"}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{formatMemory(props.fn.memorySize)}</dd>
        </div>
        <div>
          <dt>Timeout</dt>
          <dd>{formatSeconds(props.fn.timeout)}</dd>
        </div>
        <div class={styles.metaWide}>
          <dt>Log group</dt>
          <dd class={styles.mono} title={props.fn.logGroup}>
            {props.fn.logGroup}
          </dd>
        </div>
      </dl>
    </header>
  );
}
