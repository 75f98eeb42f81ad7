import CircleAlert from "lucide-solid/icons/circle-alert";
import { Show, type JSX } from "solid-js";
import styles from "./Field.module.css";

/** An error about a whole form (not one field), announced when it appears. */
export function FormError(props: { children?: JSX.Element; id?: string }) {
  return (
    <Show when={props.children}>
      <div id={props.id} role="alert" class={styles.formError}>
        <CircleAlert aria-hidden="true" />
        <span>{props.children}</span>
      </div>
    </Show>
  );
}
