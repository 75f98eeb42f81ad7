/** The stack trace of the issue (library frames collapsed), copyable and as raw text. */
import Code from "lucide-solid/icons/code";
import { Show, createSignal } from "solid-js";
import { Button } from "../../../components/Button";
import { CopyButton } from "../../../components/CopyButton";
import { Section } from "../../../components/Page";
import type { IssueDetail } from "../../../lib/api";
import { rawStack } from "../../../lib/issues";
import { StackTrace } from "../StackTrace";
import { NoSourceMap } from "./NoSourceMap";
import styles from "./IssueDetail.module.css";

export function StackSection(props: { detail: IssueDetail }) {
  const [raw, setRaw] = createSignal(false);
  const error = () => props.detail.issue.error;
  const hasFrames = () => error().frames.length > 0;
  return (
    <Section
      title="Stack trace"
      id="stack-trace"
      description={hasFrames() ? "Most recent call first. Library and runtime frames are collapsed." : undefined}
      actions={
        <Show when={hasFrames()}>
          <CopyButton value={rawStack(error())} label="stack trace" />
          <Button size="sm" variant="ghost" icon={<Code aria-hidden="true" />} aria-pressed={raw()} onClick={() => setRaw(!raw())}>
            Raw
          </Button>
        </Show>
      }
    >
      <NoSourceMap detail={props.detail} />
      <Show when={raw()} fallback={<StackTrace error={error()} />}>
        <pre class={styles.raw} aria-label="Raw stack trace" tabIndex={0}>
          {rawStack(error())}
        </pre>
      </Show>
    </Section>
  );
}
