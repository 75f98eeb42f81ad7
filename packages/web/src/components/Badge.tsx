import type { JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Badge.module.css";

export type BadgeTone = "neutral" | "accent" | "success" | "warning" | "danger";

export function Badge(props: { tone?: BadgeTone; children: JSX.Element; title?: string }) {
  return (
    <span class={cx(styles.badge, props.tone && props.tone !== "neutral" && styles[props.tone])} title={props.title}>
      {props.children}
    </span>
  );
}
