import TriangleAlert from "lucide-solid/icons/triangle-alert";
import { Match, Show, Switch } from "solid-js";
import type { Account } from "../lib/api";
import { STATUS_LABEL, scanFraction, scanProgressText } from "../lib/accounts";
import { Badge, type BadgeTone } from "./Badge";
import styles from "./AccountStatus.module.css";

const TONE: Record<Account["status"], BadgeTone> = {
  connecting: "neutral",
  connected: "success",
  scanning: "accent",
  failed: "danger",
  disconnecting: "warning",
};

/** A scan's progress: "Scanning eu-west-1 · 12 of 17 regions" over a thin bar. */
export function ScanProgressBar(props: { account: Account }) {
  const text = () => scanProgressText(props.account);
  return (
    <>
      <span class={styles.progressText}>{text()}</span>
      <Show
        when={scanFraction(props.account) !== null}
        fallback={<progress class={styles.progress} aria-label="Scan progress" aria-valuetext={text()} />}
      >
        <progress
          class={styles.progress}
          aria-label="Scan progress"
          aria-valuetext={text()}
          max={props.account.progress?.regionsTotal ?? 1}
          value={props.account.progress?.regionsDone ?? 0}
        />
      </Show>
    </>
  );
}

/**
 * The state of a connection: a badge (connecting neutral, connected green, scanning accent,
 * failed red, disconnecting amber) and what goes with it (scan progress, the AWS reason).
 */
export function AccountStatus(props: { account: Account }) {
  const a = () => props.account;
  return (
    <div class={styles.status} data-status={a().status}>
      <Badge tone={TONE[a().status]}>{STATUS_LABEL[a().status]}</Badge>
      <Switch>
        <Match when={a().status === "scanning"}>
          <ScanProgressBar account={a()} />
        </Match>
        <Match when={a().status === "failed"}>
          <span class={styles.reason}>{a().reason ?? "The console could not use this account. Try again."}</span>
        </Match>
        <Match when={a().status === "connecting"}>
          <span class={styles.detail}>
            {a().accountId ? "Verifying the role…" : "Waiting for the stack to be deployed and checked."}
          </span>
        </Match>
        <Match when={a().status === "disconnecting"}>
          <span class={styles.detail}>Removing the console's rules and notifications…</span>
        </Match>
        <Match when={a().status === "connected" && a().reason}>
          <span class={styles.warning}>
            <TriangleAlert aria-hidden="true" />
            <span>Last scan: {a().reason}</span>
          </span>
        </Match>
      </Switch>
    </div>
  );
}
