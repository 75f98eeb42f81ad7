import { Show, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Page.module.css";

/** The frame of a page's content: width, padding, vertical rhythm. */
export function Page(props: { children: JSX.Element; narrow?: boolean; wide?: boolean; class?: string }) {
  return (
    <div class={cx(styles.page, props.narrow && styles.narrow, props.wide && styles.wide, props.class)}>{props.children}</div>
  );
}

export function PageHeader(props: { title: string; description?: JSX.Element; actions?: JSX.Element }) {
  return (
    <header class={styles.header}>
      <div class={styles.titles}>
        <h1>{props.title}</h1>
        <Show when={props.description}>
          <p class={styles.description}>{props.description}</p>
        </Show>
      </div>
      <Show when={props.actions}>
        <div class={styles.actions}>{props.actions}</div>
      </Show>
    </header>
  );
}

export function Section(props: {
  title: string;
  description?: JSX.Element;
  actions?: JSX.Element;
  children: JSX.Element;
  id?: string;
}) {
  const headingId = () => (props.id ? `${props.id}-title` : undefined);
  return (
    <section class={styles.section} aria-labelledby={headingId()} aria-label={props.id ? undefined : props.title}>
      <div class={styles.sectionHeader}>
        <div>
          <h2 id={headingId()} class={styles.sectionTitle}>
            {props.title}
          </h2>
          <Show when={props.description}>
            <p class={styles.sectionDescription}>{props.description}</p>
          </Show>
        </div>
        <Show when={props.actions}>
          <div class={styles.actions}>{props.actions}</div>
        </Show>
      </div>
      {props.children}
    </section>
  );
}

/** A bordered panel with an optional footer (forms in settings). */
export function Card(props: {
  children: JSX.Element;
  footer?: JSX.Element;
  footerEnd?: boolean;
  danger?: boolean;
  as?: "div" | "form";
  onSubmit?: (e: SubmitEvent) => void;
  "aria-label"?: string;
}) {
  const content = () => (
    <>
      <div class={styles.cardBody}>{props.children}</div>
      <Show when={props.footer}>
        <div class={cx(styles.cardFooter, props.footerEnd && styles.cardFooterEnd)}>{props.footer}</div>
      </Show>
    </>
  );
  return (
    <Show
      when={props.as === "form"}
      fallback={
        <div class={cx(styles.card, props.danger && styles.danger)} aria-label={props["aria-label"]}>
          {content()}
        </div>
      }
    >
      <form
        class={cx(styles.card, props.danger && styles.danger)}
        aria-label={props["aria-label"]}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit?.(e);
        }}
      >
        {content()}
      </form>
    </Show>
  );
}

export { styles as pageStyles };
