import X from "lucide-solid/icons/x";
import { Show, createUniqueId, onCleanup, onMount, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import { Button } from "./Button";
import styles from "./Dialog.module.css";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: JSX.Element;
  children?: JSX.Element;
  footer?: JSX.Element;
  size?: "md" | "lg";
  /** Place near the top of the screen (command bar) instead of the centre. */
  placement?: "center" | "top";
  /** Hide the visible header (the title still names the dialog for screen readers). */
  bare?: boolean;
  /** No padding around the body (the command bar lays out its own). */
  flush?: boolean;
  /** Wrap body and footer in a form; submitting calls this. */
  onSubmit?: (event: SubmitEvent) => void;
}

/**
 * A modal dialog on the native <dialog> element: focus is kept inside, Escape closes,
 * a click on the backdrop closes, and focus goes back where it was on close.
 */
export function Dialog(props: DialogProps) {
  return (
    <Show when={props.open}>
      <DialogInner {...props} />
    </Show>
  );
}

function DialogInner(props: DialogProps) {
  let ref!: HTMLDialogElement;
  const titleId = `dialog-title-${createUniqueId()}`;
  const descriptionId = `dialog-desc-${createUniqueId()}`;
  const previous = document.activeElement as HTMLElement | null;
  let pressedOnBackdrop = false;

  onMount(() => {
    ref.showModal();
  });
  onCleanup(() => {
    if (ref.open) ref.close();
    queueMicrotask(() => {
      if (previous && previous.isConnected) previous.focus();
    });
  });

  const content = () => (
    <>
      <Show when={!props.bare}>
        <div class={styles.header}>
          <div>
            <h2 id={titleId} class={styles.title}>
              {props.title}
            </h2>
            <Show when={props.description}>
              <p id={descriptionId} class={styles.description}>
                {props.description}
              </p>
            </Show>
          </div>
        </div>
      </Show>
      <div class={cx(styles.body, props.flush && styles.flush)}>{props.children}</div>
      <Show when={props.footer}>
        <div class={styles.footer}>{props.footer}</div>
      </Show>
      <Show when={!props.bare}>
        {/* Last in tab order, so opening the dialog focuses its first field, not this. */}
        <Button
          class={styles.close}
          variant="ghost"
          size="sm"
          icon={<X aria-hidden="true" />}
          aria-label="Close"
          onClick={() => props.onClose()}
        />
      </Show>
    </>
  );

  return (
    <dialog
      ref={ref}
      class={cx(styles.dialog, props.size === "lg" && styles.lg, props.placement === "top" && styles.top)}
      aria-labelledby={props.bare ? undefined : titleId}
      aria-label={props.bare ? props.title : undefined}
      aria-describedby={props.description ? descriptionId : undefined}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onMouseDown={(e) => {
        pressedOnBackdrop = e.target === ref;
      }}
      onClick={(e) => {
        if (e.target === ref && pressedOnBackdrop) props.onClose();
        pressedOnBackdrop = false;
      }}
    >
      <Show
        when={props.onSubmit}
        fallback={<div class={styles.inner}>{content()}</div>}
      >
        <form
          class={styles.inner}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            props.onSubmit?.(e);
          }}
        >
          {content()}
        </form>
      </Show>
    </dialog>
  );
}

export { styles as dialogStyles };
