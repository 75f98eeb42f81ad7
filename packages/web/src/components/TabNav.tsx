import { A } from "@solidjs/router";
import { For, Show, type JSX } from "solid-js";
import styles from "./TabNav.module.css";

export interface TabItem {
  href: string;
  label: string;
  icon?: () => JSX.Element;
  /** A number shown after the label (for example the open issues). */
  count?: number;
  /** Describes the count for screen readers ("3 active issues"). */
  countLabel?: string;
  /** Also current on the pages below this one (default: only on this exact path). */
  prefix?: boolean;
}

/**
 * Tabs that are pages: a navigation of links, the current one marked with
 * aria-current="page" (its path must match exactly).
 */
export function TabNav(props: { label: string; items: TabItem[] }) {
  return (
    <nav class={styles.nav} aria-label={props.label}>
      <ul class={styles.list}>
        <For each={props.items}>
          {(item) => (
            <li>
              <A href={item.href} class={styles.tab} end={!item.prefix}>
                {item.icon?.()}
                <span>{item.label}</span>
                <Show when={item.count !== undefined}>
                  <span class={styles.count} aria-hidden={item.countLabel ? "true" : undefined}>
                    {item.count}
                  </span>
                  <Show when={item.countLabel}>
                    <span class="visually-hidden">, {item.countLabel}</span>
                  </Show>
                </Show>
              </A>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
}
