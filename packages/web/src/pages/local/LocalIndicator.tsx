/** The top bar's sign that `sst dev` runs on this computer: its app and stage, a link to its Local tab. */
import Laptop from "lucide-solid/icons/laptop";
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { useLocal } from "../../lib/local";
import styles from "./Local.module.css";

export default function LocalIndicator() {
  const local = useLocal();
  return (
    <Show when={local.dev()}>
      {(d) => (
        <A
          href={`/local/${encodeURIComponent(d().app)}/${encodeURIComponent(d().stage)}`}
          class={styles.indicator}
          title={`sst dev runs ${d().app} / ${d().stage} on this computer`}
          aria-label={`sst dev: ${d().app} / ${d().stage}`}
        >
          <Laptop aria-hidden="true" />
          <span class={styles.indicatorLabel}>
            {d().app} / {d().stage}
          </span>
        </A>
      )}
    </Show>
  );
}
