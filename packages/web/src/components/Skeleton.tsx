import { For } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Skeleton.module.css";

export function Skeleton(props: { width?: "sm" | "md" | "lg" | "full"; class?: string }) {
  return <span class={cx(styles.bar, styles[props.width ?? "md"], props.class)} aria-hidden="true" />;
}

const widths = ["lg", "md", "sm"] as const;

/** Placeholder rows for a list that is loading. */
export function SkeletonRows(props: { rows?: number; columns?: number; label?: string }) {
  const rows = () => Array.from({ length: props.rows ?? 5 }, (_, i) => i);
  const columns = () => Array.from({ length: props.columns ?? 3 }, (_, i) => i);
  return (
    <div class={styles.rows} role="status" aria-busy="true" aria-label={props.label ?? "Loading"}>
      <For each={rows()}>
        {(row) => (
          <div class={styles.row}>
            <For each={columns()}>{(col) => <Skeleton width={widths[(row + col) % widths.length]} />}</For>
          </div>
        )}
      </For>
    </div>
  );
}
