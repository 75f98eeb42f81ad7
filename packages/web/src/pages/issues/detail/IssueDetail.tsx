/**
 * One issue: what it is and the actions on it (`Header.tsx`), when and how often
 * (`Histogram.tsx`), its stack trace (`StackSection.tsx`), its latest occurrences with the
 * logs of their invocations (`Occurrences.tsx`), and where it happened and why its errors
 * are grouped together (`Facts.tsx`).
 *
 * Shown at `/:workspace/issues/:issue` and under a stage at
 * `/:workspace/app/:app/:stage/issues/:issue`. Reloads quietly every 10 s (src/data/issues.ts).
 */
import { A } from "@solidjs/router";
import ArrowLeft from "lucide-solid/icons/arrow-left";
import SearchX from "lucide-solid/icons/search-x";
import { Match, Switch, createSignal } from "solid-js";
import { ButtonLink } from "../../../components/Button";
import { EmptyState } from "../../../components/EmptyState";
import { ErrorState } from "../../../components/ErrorState";
import { Skeleton, SkeletonRows } from "../../../components/Skeleton";
import { useIssue } from "../../../data/issues";
import { useStageFunctions } from "../../../data/stages";
import { useWorkspace } from "../../../layout/workspace-context";
import type { Stage } from "../../../lib/api";
import { ACTION_STATUS, type IssueAction } from "../../../lib/issues";
import { useTriage } from "../triage";
import { Facts } from "./Facts";
import { Header } from "./Header";
import { Histogram } from "./Histogram";
import { Occurrences } from "./Occurrences";
import { StackSection } from "./StackSection";
import { Timeline } from "./Timeline";
import styles from "./IssueDetail.module.css";

export interface IssueDetailProps {
  issueId: string;
  /** The list this issue was opened from ("Issues of production", "Issues"). */
  back: { href: string; label: string };
  /** All stages of the workspace, for stage links. */
  stages?: Stage[];
  /** Inside a page that has its own h1 (the stage): the issue's title is an h2. */
  nested?: boolean;
}

export function IssueDetail(props: IssueDetailProps) {
  const { workspace } = useWorkspace();
  const ws = () => workspace().id;
  const query = useIssue(ws, () => props.issueId);
  const functions = useStageFunctions(ws, () => query.data?.issue.stageId);
  const triage = useTriage();
  // The occurrence shown (the latest until one is picked, here or from the timeline).
  const [occurrence, setOccurrence] = createSignal<string | null>(null);
  const showOccurrence = (id: string) => {
    setOccurrence(id);
    document.getElementById("occurrences")?.scrollIntoView({ block: "start" });
  };

  const act = (action: IssueAction) => {
    const issue = query.data?.issue;
    if (!issue || triage.busy()) return;
    const to = ACTION_STATUS[action];
    void triage.run(action, [{ id: issue.id, stageId: issue.stageId, from: issue.status, to }], issue.type);
  };

  const notFound = () => query.error?.status === 404;

  return (
    <div class={styles.page}>
      <A href={props.back.href} class={styles.back}>
        <ArrowLeft aria-hidden="true" />
        {props.back.label}
      </A>
      <Switch>
        <Match when={notFound() && !query.data}>
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
        <Match when={query.error && !query.data}>
          <ErrorState title="Could not load this issue" error={query.error} onRetry={() => query.refetch()} />
        </Match>
        <Match when={!query.data}>
          <div class={styles.skeleton} role="status" aria-busy="true" aria-label="Loading the issue">
            <Skeleton width="md" />
            <Skeleton width="full" />
            <Skeleton width="lg" />
            <SkeletonRows rows={5} columns={2} />
          </div>
        </Match>
        <Match when={query.data}>
          {(d) => (
            <>
              <Header nested={props.nested} detail={d()} busy={triage.busy()} onAction={act} />
              <div class={styles.grid}>
                <div class={styles.main}>
                  <Histogram detail={d()} />
                  <StackSection detail={d()} />
                  <Occurrences detail={d()} functions={functions()} stages={props.stages} selectedId={occurrence()} onSelect={setOccurrence} />
                </div>
                <div class={styles.side}>
                  <Facts detail={d()} stages={props.stages} functions={functions()} />
                  <Timeline detail={d()} functions={functions()} onShowOccurrence={showOccurrence} />
                </div>
              </div>
            </>
          )}
        </Match>
      </Switch>
    </div>
  );
}
