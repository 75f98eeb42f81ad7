/** What to do with the selected issues: Resolve, Ignore, Reopen (per tab), Merge, clear. */
import CircleCheck from "lucide-solid/icons/circle-check";
import EyeOff from "lucide-solid/icons/eye-off";
import Merge from "lucide-solid/icons/merge";
import RotateCcw from "lucide-solid/icons/rotate-ccw";
import X from "lucide-solid/icons/x";
import { Show } from "solid-js";
import { Button } from "../../../components/Button";
import type { IssueStatus, IssueSummary } from "../../../lib/api";
import { plural } from "../../../lib/format";
import type { IssueAction } from "../../../lib/issues";
import styles from "../Issues.module.css";

export function BulkBar(props: {
  status: IssueStatus;
  selected: IssueSummary[];
  busy: boolean;
  onAction: (action: IssueAction) => void;
  onMerge: () => void;
  onClear: () => void;
}) {
  const sameStage = () => {
    const list = props.selected;
    return list.length >= 2 && list.every((i) => i.stageId === list[0]?.stageId);
  };
  return (
    <div class={styles.bulk} role="toolbar" aria-label="Bulk actions">
      <span class={styles.bulkCount}>{plural(props.selected.length, "issue")} selected</span>
      <Show when={props.status !== "resolved"}>
        <Button size="sm" icon={<CircleCheck aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("resolve")}>
          Resolve
        </Button>
      </Show>
      <Show when={props.status !== "ignored"}>
        <Button size="sm" icon={<EyeOff aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("ignore")}>
          Ignore
        </Button>
      </Show>
      <Show when={props.status !== "active"}>
        <Button size="sm" icon={<RotateCcw aria-hidden="true" />} disabled={props.busy} onClick={() => props.onAction("reopen")}>
          Reopen
        </Button>
      </Show>
      <Button
        size="sm"
        icon={<Merge aria-hidden="true" />}
        disabled={props.busy || !sameStage()}
        title={
          props.selected.length < 2
            ? "Select at least two issues to merge them"
            : sameStage()
              ? "Merge these issues into one"
              : "Only issues of the same stage can be merged"
        }
        onClick={() => props.onMerge()}
      >
        Merge…
      </Button>
      <Show when={props.selected.length >= 2 && !sameStage()}>
        <span class={styles.bulkHint}>Merge needs issues of one stage.</span>
      </Show>
      <span class={styles.spacer} />
      <Button size="sm" variant="ghost" icon={<X aria-hidden="true" />} onClick={() => props.onClear()}>
        Clear selection
      </Button>
    </div>
  );
}
