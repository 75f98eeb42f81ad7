import { A } from "@solidjs/router";
import LoaderCircle from "lucide-solid/icons/loader-circle";
import { Show, children, splitProps, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Button.module.css";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger" | "dangerGhost";

interface Common {
  variant?: ButtonVariant;
  size?: "sm" | "md";
  /** An icon shown before the label (or alone: then give an aria-label). */
  icon?: JSX.Element;
}

function classes(props: Common & { class?: string; hasLabel: boolean }): string {
  return cx(
    styles.button,
    styles[props.variant ?? "secondary"],
    props.size === "sm" && styles.sm,
    !props.hasLabel && styles.iconOnly,
    props.class,
  );
}

export type ButtonProps = Common &
  JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
    /** Shows a spinner and disables the button while an action runs. */
    loading?: boolean;
  };

export function Button(props: ButtonProps) {
  const [local, rest] = splitProps(props, ["variant", "size", "icon", "loading", "class", "children", "type", "disabled"]);
  const label = children(() => local.children);
  return (
    <button
      type={local.type ?? "button"}
      class={classes({
        variant: local.variant,
        size: local.size,
        class: local.class,
        hasLabel: label.toArray().length > 0,
      })}
      disabled={local.disabled || local.loading}
      aria-busy={local.loading ? true : undefined}
      {...rest}
    >
      <Show when={local.loading} fallback={local.icon}>
        <LoaderCircle class={styles.spin} aria-hidden="true" />
      </Show>
      {label()}
    </button>
  );
}

export type ButtonLinkProps = Common & {
  href: string;
  class?: string;
  children?: JSX.Element;
  "aria-label"?: string;
  end?: boolean;
};

/** A link that looks like a button (navigation stays a link). */
export function ButtonLink(props: ButtonLinkProps) {
  const label = children(() => props.children);
  return (
    <A
      href={props.href}
      class={classes({
        variant: props.variant,
        size: props.size,
        class: props.class,
        hasLabel: label.toArray().length > 0,
      })}
      aria-label={props["aria-label"]}
      end={props.end}
    >
      {props.icon}
      {label()}
    </A>
  );
}

export type ButtonAnchorProps = Common & {
  href: string;
  class?: string;
  children?: JSX.Element;
  "aria-label"?: string;
  /** Opens in a new tab (with rel="noopener noreferrer"). */
  newTab?: boolean;
  /** Downloads the target (the value is the suggested file name). */
  download?: string;
};

/** A plain <a> that looks like a button: external pages (new tab) and downloads. */
export function ButtonAnchor(props: ButtonAnchorProps) {
  const label = children(() => props.children);
  return (
    <a
      href={props.href}
      class={classes({
        variant: props.variant,
        size: props.size,
        class: props.class,
        hasLabel: label.toArray().length > 0,
      })}
      aria-label={props["aria-label"]}
      target={props.newTab ? "_blank" : undefined}
      rel={props.newTab ? "noopener noreferrer" : undefined}
      download={props.download}
    >
      {props.icon}
      {label()}
    </a>
  );
}
