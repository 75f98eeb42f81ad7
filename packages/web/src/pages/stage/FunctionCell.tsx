/**
 * A function in a stage's tables (Resources, Logs): its component name (a link or a button,
 * given by the page), Live and Internal badges, and its Lambda name in full on hover.
 */
import { Show, type JSX } from "solid-js";
import { Badge } from "../../components/Badge";
import type { LambdaFunction } from "../../lib/api";
import styles from "./Resources.module.css";

export function FunctionCell(props: { fn: LambdaFunction; name: (className: string) => JSX.Element }) {
  return (
    <span class={styles.fn}>
      <span class={styles.fnTop}>
        {props.name(styles.fnName!)}
        <Show when={props.fn.live}>
          <Badge tone="accent" title="Runs on a developer's machine through sst dev">
            Live
          </Badge>
        </Show>
        <Show when={props.fn.internal}>
          <Badge title="Created by SST for a component (a site's server, an image optimizer)">Internal</Badge>
        </Show>
      </span>
      <span class={styles.lambda} title={props.fn.name}>
        {props.fn.name}
      </span>
    </span>
  );
}
