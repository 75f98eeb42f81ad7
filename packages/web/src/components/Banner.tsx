import { Show, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Banner.module.css";

export type BannerTone = "neutral" | "accent" | "warning" | "danger";

/** A page-wide message above the content (a scan in progress, an account that failed). */
export function Banner(props: {
  tone?: BannerTone;
  icon?: JSX.Element;
  title: string;
  children?: JSX.Element;
  action?: JSX.Element;
  /** "status" for progress that updates, "alert" for failures; none by default. */
  role?: "status" | "alert";
}) {
  return (
    <section
      class={cx(styles.banner, props.tone && props.tone !== "neutral" && styles[props.tone])}
      role={props.role}
      aria-label={props.title}
    >
      <Show when={props.icon}>
        <span class={styles.icon} aria-hidden="true">
          {props.icon}
        </span>
      </Show>
      <div class={styles.body}>
        <h2 class={styles.title}>{props.title}</h2>
        <Show when={props.children}>
          <div class={styles.text}>{props.children}</div>
        </Show>
      </div>
      <Show when={props.action}>
        <div class={styles.action}>{props.action}</div>
      </Show>
    </section>
  );
}
