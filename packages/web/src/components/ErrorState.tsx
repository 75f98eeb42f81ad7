import CircleAlert from "lucide-solid/icons/circle-alert";
import RefreshCw from "lucide-solid/icons/refresh-cw";
import { Show, createSignal, type JSX } from "solid-js";
import { describeError, toApiError } from "../lib/api";
import { Button } from "./Button";
import styles from "./State.module.css";
import { cx } from "../lib/cx";

export interface ErrorStateProps {
  title?: string;
  error: unknown;
  /** Shown as a Retry button. */
  onRetry?: () => Promise<unknown> | unknown;
  /** Other ways out. */
  actions?: JSX.Element;
}

/** What failed, what to do, and a retry. */
export function ErrorState(props: ErrorStateProps) {
  const [retrying, setRetrying] = createSignal(false);
  const code = () => toApiError(props.error).code;
  const retry = async () => {
    setRetrying(true);
    try {
      await props.onRetry?.();
    } finally {
      setRetrying(false);
    }
  };
  return (
    <section class={cx(styles.state, styles.error)} role="alert" aria-label={props.title ?? "Could not load"}>
      <div class={styles.icon} aria-hidden="true">
        <CircleAlert />
      </div>
      <h2 class={styles.title}>{props.title ?? "Could not load this page"}</h2>
      <p class={styles.text}>{describeError(props.error)}</p>
      <Show when={code() && code() !== "network" && code() !== "client"}>
        <p class={styles.detail}>Error code: {code()}</p>
      </Show>
      <div class={styles.actions}>
        <Show when={props.onRetry}>
          <Button icon={<RefreshCw aria-hidden="true" />} loading={retrying()} onClick={() => void retry()}>
            Retry
          </Button>
        </Show>
        {props.actions}
      </div>
    </section>
  );
}
