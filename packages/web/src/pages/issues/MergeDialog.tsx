/**
 * Merge issues of one stage: pick the issue to keep; the others' fingerprints, counts and
 * occurrences move into it. It cannot be undone, so it asks.
 */
import { For, Show, createEffect, createSignal, createUniqueId, on } from "solid-js";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { FormError } from "../../components/FormError";
import { RelativeTime } from "../../components/RelativeTime";
import { describeError, type IssueSummary } from "../../lib/api";
import { plural } from "../../lib/format";
import styles from "./Issues.module.css";

export function MergeDialog(props: {
  open: boolean;
  issues: IssueSummary[];
  onClose: () => void;
  onMerge: (target: IssueSummary, sources: IssueSummary[]) => Promise<unknown>;
  functionLabel: (issue: IssueSummary) => string;
}) {
  const [target, setTarget] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const name = `merge-target-${createUniqueId()}`;

  // Keep the issue seen most often by default.
  createEffect(
    on(
      () => props.open,
      (open) => {
        if (!open) return;
        setError(null);
        const best = [...props.issues].sort((a, b) => b.count - a.count || a.timeFirstSeen.localeCompare(b.timeFirstSeen))[0];
        setTarget(best?.id ?? null);
      },
    ),
  );

  const submit = async () => {
    const keep = props.issues.find((i) => i.id === target());
    if (!keep || busy()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onMerge(
        keep,
        props.issues.filter((i) => i.id !== keep.id),
      );
      props.onClose();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={() => !busy() && props.onClose()}
      title={`Merge ${plural(props.issues.length, "issue")}`}
      description="Choose the issue to keep. The others' events, occurrences and fingerprints move into it, and future errors like them join it. This cannot be undone."
      size="lg"
      onSubmit={() => void submit()}
      footer={
        <>
          <Button onClick={props.onClose} disabled={busy()}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={busy()} disabled={!target()}>
            Merge issues
          </Button>
        </>
      }
    >
      <fieldset class={styles.mergeList}>
        <legend class="visually-hidden">Issue to keep</legend>
        <For each={props.issues}>
          {(issue) => (
            <label class={styles.mergeOption}>
              <input
                type="radio"
                name={name}
                value={issue.id}
                checked={target() === issue.id}
                onChange={() => setTarget(issue.id)}
              />
              <span class={styles.mergeText}>
                <span class={styles.mergeTitle}>
                  <span class={styles.type}>{issue.type}</span>
                  <span class={styles.message}>{issue.message}</span>
                </span>
                <span class={styles.issueMeta}>
                  {props.functionLabel(issue)} · {plural(issue.count, "event")} · first seen <RelativeTime time={issue.timeFirstSeen} />
                </span>
              </span>
            </label>
          )}
        </For>
      </fieldset>
      <Show when={error()}>
        <FormError>{error()}</FormError>
      </Show>
    </Dialog>
  );
}
