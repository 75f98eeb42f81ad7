import CircleAlert from "lucide-solid/icons/circle-alert";
import { Show, createUniqueId, splitProps, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Field.module.css";

export interface FieldProps {
  label: string;
  /** Keeps the label for screen readers only. */
  hideLabel?: boolean;
  hint?: JSX.Element;
  error?: string | null;
  class?: string;
}

export function FieldError(props: { id?: string; children: JSX.Element }) {
  return (
    <p id={props.id} class={styles.error}>
      <CircleAlert aria-hidden="true" />
      <span>{props.children}</span>
    </p>
  );
}

export type InputProps = FieldProps &
  Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "class"> & {
    size?: "sm" | "md";
    mono?: boolean;
    /** Text shown fixed before the value (for example the URL of a slug). */
    prefix?: string;
    /** Extra class on the <input> itself (`class` goes on the field). */
    controlClass?: string;
  };

export function Input(props: InputProps) {
  const [local, rest] = splitProps(props, ["label", "hideLabel", "hint", "error", "class", "size", "mono", "prefix", "id", "controlClass"]);
  const generated = createUniqueId();
  const id = () => local.id ?? `input-${generated}`;
  const hintId = () => `${id()}-hint`;
  const errorId = () => `${id()}-error`;
  const describedBy = () =>
    [local.error ? errorId() : null, local.hint ? hintId() : null].filter(Boolean).join(" ") || undefined;

  const control = () => (
    <input
      id={id()}
      class={cx(styles.control, local.size === "sm" && styles.sm, local.mono && styles.mono, local.controlClass)}
      aria-invalid={local.error ? true : undefined}
      aria-describedby={describedBy()}
      {...rest}
    />
  );

  return (
    <div class={cx(styles.field, local.class)}>
      <label for={id()} class={cx(styles.label, local.hideLabel && "visually-hidden")}>
        {local.label}
      </label>
      <Show when={local.prefix} fallback={control()}>
        <div class={styles.prefixed}>
          <span class={styles.prefix} aria-hidden="true">
            {local.prefix}
          </span>
          {control()}
        </div>
      </Show>
      <Show when={local.error}>
        <FieldError id={errorId()}>{local.error}</FieldError>
      </Show>
      <Show when={local.hint}>
        <p id={hintId()} class={styles.hint}>
          {local.hint}
        </p>
      </Show>
    </div>
  );
}
