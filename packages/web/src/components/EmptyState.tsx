import { Show, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./State.module.css";

export interface EmptyStateProps {
  icon?: JSX.Element;
  title: string;
  /** What this place is for. */
  children?: JSX.Element;
  /** The one action that fills it. */
  action?: JSX.Element;
  plain?: boolean;
}

export function EmptyState(props: EmptyStateProps) {
  return (
    <section class={cx(styles.state, props.plain && styles.plain)} aria-label={props.title}>
      <Show when={props.icon}>
        <div class={styles.icon} aria-hidden="true">
          {props.icon}
        </div>
      </Show>
      <h2 class={styles.title}>{props.title}</h2>
      <div class={styles.text}>{props.children}</div>
      <Show when={props.action}>
        <div class={styles.actions}>{props.action}</div>
      </Show>
    </section>
  );
}
