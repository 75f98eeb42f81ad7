/** The head of an issue: type, status, kind, the actions on it, its message and when it was seen. */
import CircleCheck from "lucide-solid/icons/circle-check";
import Eye from "lucide-solid/icons/eye";
import EyeOff from "lucide-solid/icons/eye-off";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import { Show } from "solid-js";
import { Badge, type BadgeTone } from "../../../components/Badge";
import { Button } from "../../../components/Button";
import { RelativeTime } from "../../../components/RelativeTime";
import type { IssueDetail, IssueStatus } from "../../../lib/api";
import { plural } from "../../../lib/format";
import { STATUS_LABEL, kindLabel, type IssueAction } from "../../../lib/issues";
import { formatExact } from "../../../lib/time";
import styles from "./IssueDetail.module.css";

const STATUS_TONE: Record<IssueStatus, BadgeTone> = { active: "danger", resolved: "success", ignored: "neutral" };

export function Header(props: { nested?: boolean; detail: IssueDetail; busy: boolean; onAction: (action: IssueAction) => void }) {
  const issue = () => props.detail.issue;
  const status = () => issue().status;
  return (
    <header class={styles.header}>
      <div class={styles.titleRow}>
        <Show when={props.nested} fallback={<h1 class={styles.type}>{issue().type}</h1>}>
          <h2 class={styles.type}>{issue().type}</h2>
        </Show>
        <Badge tone={STATUS_TONE[status()]}>{STATUS_LABEL[status()]}</Badge>
        <Show when={status() === "active" && issue().timeRegressed}>
          {(t) => (
            <Badge tone="warning" title={`Resolved, then it happened again (${formatExact(t())})`}>
              Regressed
            </Badge>
          )}
        </Show>
        <Badge>{kindLabel(issue().kind)}</Badge>
        <span class={styles.spacer} />
        {/* Two fixed slots, so an action's undo is where the action was: Resolve / Reopen, Ignore / Stop ignoring. */}
        <div class={styles.actions} role="group" aria-label="Issue actions">
          <Show
            when={status() === "resolved"}
            fallback={
              <Button
                variant={status() === "active" ? "primary" : "secondary"}
                icon={<CircleCheck aria-hidden="true" />}
                disabled={props.busy}
                onClick={() => props.onAction("resolve")}
              >
                Resolve
              </Button>
            }
          >
            <Button icon={<RotateCcw aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("reopen")}>
              Reopen
            </Button>
          </Show>
          <Show
            when={status() === "ignored"}
            fallback={
              <Button icon={<EyeOff aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("ignore")}>
                Ignore
              </Button>
            }
          >
            <Button icon={<Eye aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("reopen")}>
              Stop ignoring
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
