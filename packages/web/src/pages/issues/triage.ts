/**
 * Resolve / Ignore / Reopen for the list and the detail: optimistic (src/data/issues.ts),
 * a toast with Undo (which puts each issue back in its old state), an error toast when the
 * server says no (the screen is already back as it was).
 */
import { toast } from "../../components/Toast";
import { reverse, useSetStatus, type Move } from "../../data/issues";
import { useWorkspace } from "../../layout/workspace-context";
import { plural } from "../../lib/format";
import { STATUS_LABEL, actionMessage, type IssueAction } from "../../lib/issues";

export function useTriage() {
  const { workspace } = useWorkspace();
  const setStatus = useSetStatus(() => workspace().id);

  const undo = async (moves: Move[], single?: string) => {
    try {
      await setStatus.mutateAsync(reverse(moves));
      const back = [...new Set(moves.map((m) => STATUS_LABEL[m.from]))].join(" and ");
      toast.info(moves.length === 1 ? `${single ?? "The issue"} is back in ${back}` : `${plural(moves.length, "issue")} are back in ${back}`);
    } catch (err) {
      toast.error(err);
    }
  };

  /** Moves issues; `single` names the issue when there is one ("Resolved TypeError"). */
  const run = async (action: IssueAction, moves: Move[], single?: string): Promise<boolean> => {
    if (!moves.length) return false;
    try {
      await setStatus.mutateAsync(moves);
    } catch (err) {
      toast.error(err);
      return false;
    }
    toast.success(actionMessage(action, moves.length, single), { label: "Undo", run: () => void undo(moves, single) });
    return true;
  };

  return { run, busy: () => setStatus.isPending };
}
