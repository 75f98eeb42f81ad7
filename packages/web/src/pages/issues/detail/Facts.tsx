/** Where and when: stage, functions, counts, first and last seen, runtime, and why these errors are grouped. */
import { A } from "@solidjs/router";
import ChevronRight from "lucide-solid/icons/chevron-right";
import { For, Show, createSignal, type JSX } from "solid-js";
import { RelativeTime } from "../../../components/RelativeTime";
import { useWorkspace } from "../../../layout/workspace-context";
import type { IssueDetail, LambdaFunction, Stage } from "../../../lib/api";
import { cx } from "../../../lib/cx";
import { functionLabel } from "../../../lib/issues";
import { functionPath } from "../../../lib/logs";
import { stagePath } from "../../../lib/stages";
import { formatExact } from "../../../lib/time";
import styles from "./IssueDetail.module.css";

const RUNTIME_LABEL: Record<string, string> = {
  node: "Node.js",
  python: "Python",
  java: "Java",
  dotnet: ".NET",
  go: "Go",
  ruby: "Ruby",
  provided: "Custom runtime",
  unknown: "Unknown runtime",
};

function Fact(props: { label: string; children: JSX.Element }) {
  return (
    <div class={styles.fact}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

export function Facts(props: { detail: IssueDetail; stages?: Stage[]; functions?: LambdaFunction[] }) {
  const { workspace } = useWorkspace();
  const issue = () => props.detail.issue;
  const stage = () => props.detail.stage;
  const basis = () => issue().groupingBasis;
  return (
    <aside class={styles.facts} aria-label="Issue details">
      <dl class={styles.factList}>
        <Fact label="Stage">
          <Show when={stage()} fallback={<span class={styles.subtle}>{issue().app && issue().stage ? `${issue().app} / ${issue().stage}` : "Removed"}</span>}>
            {(s) => (
              <span class={styles.stack}>
                <A href={stagePath(workspace().slug, s(), props.stages, "issues")}>
                  {s().app} / {s().name}
                </A>
                <span class={styles.subtle}>
                  {s().region} · {s().accountId ?? "—"}
                </span>
              </span>
            )}
          </Show>
        </Fact>
        <Fact label={props.detail.functions.length === 1 ? "Function" : "Functions"}>
          <Show when={props.detail.functions.length > 0} fallback={<span class={styles.subtle}>{functionLabel(issue().functionName, props.functions)}</span>}>
            <ul class={styles.fnList} aria-label="Functions it hit">
              <For each={props.detail.functions}>
                {(f) => (
                  <li>
                    <Show
                      when={stage() && props.functions?.find((fn) => fn.name === f.functionName)}
                      fallback={
                        <span class={styles.fnName} title={f.functionName}>
                          {functionLabel(f.functionName, props.functions)}
                        </span>
                      }
                    >
                      {(fn) => (
                        <A class={styles.fnName} title={`Logs of ${f.functionName}`} href={functionPath(workspace().slug, stage()!, props.stages, fn().id)}>
                          {functionLabel(f.functionName, props.functions)}
                        </A>
                      )}
                    </Show>
                    <span class={styles.fnCount}>{f.count.toLocaleString()}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Fact>
        <Fact label="Events">
          <span class={styles.num}>{issue().count.toLocaleString()}</span>
        </Fact>
        <Fact label="First seen">
          <span class={styles.stack}>
            <RelativeTime time={issue().timeFirstSeen} />
            <span class={styles.subtle}>{formatExact(issue().timeFirstSeen)}</span>
          </span>
        </Fact>
        <Fact label="Last seen">
          <span class={styles.stack}>
            <RelativeTime time={issue().timeLastSeen} />
            <span class={styles.subtle}>{formatExact(issue().timeLastSeen)}</span>
          </span>
        </Fact>
        <Fact label="Runtime">
          {RUNTIME_LABEL[issue().error.runtime] ?? issue().error.runtime}
          <Show when={issue().error.phase === "init"}> · init phase</Show>
        </Fact>
      </dl>
      <GroupingBasis
        basis={basis()?.basis}
        components={basis()?.components ?? []}
        version={issue().groupingVersion}
        hashes={props.detail.hashes}
        merged={props.detail.mergedIssues}
      />
    </aside>
  );
}

const BASIS_TEXT: Record<string, string> = {
  stack: "The error type and the in-app frames of the stack (module or file, function and source line; never line numbers).",
  message: "The error type and its message with numbers, ids, dates and URLs taken out (there is no usable stack).",
  function: "A fixed key per function for this kind of failure (timeouts, out of memory, runtime exits).",
  fingerprint: "A fingerprint the function logged itself, or a fingerprint rule of this workspace.",
  rule: "A fingerprint rule of this workspace.",
};

function GroupingBasis(props: { basis?: string; components: string[]; version: number; hashes: number; merged: number }) {
  const [open, setOpen] = createSignal(false);
  return (
    <div class={styles.grouping}>
      <button type="button" class={styles.groupingToggle} aria-expanded={open()} onClick={() => setOpen(!open())}>
        <ChevronRight class={cx(styles.chevron, open() && styles.chevronOpen)} aria-hidden="true" />
        Why these errors are grouped
      </button>
      <Show when={open()}>
        <div class={styles.groupingBody}>
          <Show when={props.basis} fallback={<p class={styles.subtle}>Console did not record what this issue was grouped by.</p>}>
            {(b) => (
              <p>
                Grouped by <strong>{b()}</strong>: {BASIS_TEXT[b()] ?? "what the grouping engine found in the error."}
              </p>
            )}
          </Show>
          <Show when={props.components.length > 0}>
            <ul class={styles.components} aria-label="Grouping components">
              <For each={props.components}>{(c) => <li>{c}</li>}</For>
            </ul>
          </Show>
          <p class={styles.subtle}>
            Grouping version {props.version}
            {props.merged > 0 ? ` · ${props.hashes} fingerprints lead here (${props.merged} merged ${props.merged === 1 ? "issue" : "issues"})` : ""}
          </p>
        </div>
      </Show>
    </div>
  );
}
