/**
 * The emulated demo account (local runtime only, when `GET /api/config` says `demo`):
 * one click connects it, then its scan shows like any other.
 */
import FlaskConical from "lucide-solid/icons/flask-conical";
import { useConnectDemo } from "../data/accounts";
import type { Account } from "../lib/api";
import { Button } from "./Button";
import { toast } from "./Toast";
import styles from "./DemoAccount.module.css";

export const DEMO_EXPLANATION =
  "An emulated AWS account with sample SST apps, for trying the console locally. Nothing is created in a real AWS account.";

export function DemoAccountButton(props: {
  workspaceId: string;
  onConnected?: (account: Account) => void;
  variant?: "primary" | "secondary";
  size?: "sm" | "md";
}) {
  const demo = useConnectDemo();
  const connect = async () => {
    if (demo.isPending) return;
    try {
      const account = await demo.mutateAsync(props.workspaceId);
      toast.success("Demo account connected. Console is scanning it for apps…");
      props.onConnected?.(account);
    } catch (err) {
      toast.error(err);
    }
  };
  return (
    <Button
      variant={props.variant ?? "secondary"}
      size={props.size}
      icon={<FlaskConical aria-hidden="true" />}
      loading={demo.isPending}
      onClick={() => void connect()}
    >
      Connect demo account
    </Button>
  );
}

/** A callout above the accounts list: what the demo account is, and the button. */
export function DemoCallout(props: { workspaceId: string; onConnected?: (account: Account) => void }) {
  return (
    <section class={styles.callout} aria-labelledby="demo-callout-title">
      <span class={styles.icon} aria-hidden="true">
        <FlaskConical />
      </span>
      <div class={styles.text}>
        <h2 id="demo-callout-title" class={styles.title}>
          Try Console with the demo account
        </h2>
        <p class={styles.description}>{DEMO_EXPLANATION}</p>
      </div>
      <DemoAccountButton workspaceId={props.workspaceId} onConnected={props.onConnected} />
    </section>
  );
}

export { styles as demoStyles };
