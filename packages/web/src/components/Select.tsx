import ChevronDown from "lucide-solid/icons/chevron-down";
import { For, Show, createUniqueId, splitProps, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import { FieldError, type FieldProps } from "./Input";
import styles from "./Field.module.css";

export interface SelectOption<V extends string> {
  value: V;
  label: string;
  disabled?: boolean;
}

export type SelectProps<V extends string> = FieldProps &
  Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, "class" | "onChange" | "value"> & {
    options: SelectOption<V>[];
    value: V;
    onChange: (value: V) => void;
    size?: "sm" | "md";
  };

/** A native select (keyboard and screen readers work as everywhere), styled. */
export function Select<V extends string>(props: SelectProps<V>) {
  const [local, rest] = splitProps(props, [
    "label",
    "hideLabel",
    "hint",
    "error",
    "class",
    "options",
    "value",
    "onChange",
    "size",
    "id",
  ]);
  const generated = createUniqueId();
  const id = () => local.id ?? `select-${generated}`;
  return (
    <div class={cx(styles.field, local.class)}>
      <label for={id()} class={cx(styles.label, local.hideLabel && "visually-hidden")}>
        {local.label}
      </label>
      <div class={styles.selectWrap}>
        <select
          id={id()}
          class={cx(styles.control, styles.select, local.size === "sm" && styles.sm)}
          value={local.value}
          aria-invalid={local.error ? true : undefined}
          onChange={(e) => local.onChange(e.currentTarget.value as V)}
          {...rest}
        >
          <For each={local.options}>
            {(option) => (
              <option value={option.value} disabled={option.disabled} selected={option.value === local.value}>
                {option.label}
              </option>
            )}
          </For>
        </select>
        <ChevronDown aria-hidden="true" />
      </div>
      <Show when={local.error}>
        <FieldError>{local.error}</FieldError>
      </Show>
      <Show when={local.hint}>
        <p class={styles.hint}>{local.hint}</p>
      </Show>
    </div>
  );
}
