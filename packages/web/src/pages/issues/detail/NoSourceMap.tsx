/**
 * Frames of a Node bundle that no source map mapped: the stack says so, where the
 * console looked (in the order it looks, see core/src/issue/sourcemaps.ts), and the
 * three ways to provide a map, instead of leaving bare minified names unexplained.
 */
import FileQuestion from "lucide-solid/icons/file-question-mark";
import { For, Show } from "solid-js";
import type { DetectedError, Frame, IssueDetail } from "../../../lib/api";
import styles from "./NoSourceMap.module.css";

const BUNDLE = /^\/var\/task\/(?!(?:.*\/)?node_modules\/).+\.(?:m|c)?js$/;

/** Bundle files (`index.mjs`) of in-app frames that were not mapped, in the order they appear. */
export function unmappedBundles(error: DetectedError): string[] {
  if (error.runtime !== "node") return [];
  const frames: Frame[] = [...error.frames, ...(error.causes ?? []).flatMap((c) => c.frames)];
  if (frames.some((f) => f.generated)) return [];
  const files = frames.filter((f) => f.inApp && BUNDLE.test(f.file)).map((f) => f.file.slice("/var/task/".length));
  return [...new Set(files)];
}

export function NoSourceMap(props: { detail: IssueDetail }) {
  const files = () => unmappedBundles(props.detail.issue.error);
  const fn = () => props.detail.occurrences[0]?.functionName ?? props.detail.issue.functionName ?? "the function";
  const logGroup = () => props.detail.occurrences[0]?.logGroup ?? `/aws/lambda/${fn()}`;
  const stage = () => props.detail.stage;
  const region = () => stage()?.region ?? "<region>";
  const account = () => stage()?.accountId ?? "<account>";
  const file = () => files()[0] ?? "index.mjs";
  const base = () => file().split("/").pop() ?? file();
  return (
    <Show when={files().length > 0}>
      <aside class={styles.note} aria-label="No source map">
        <FileQuestion class={styles.icon} aria-hidden="true" />
        <div class={styles.body}>
          <p class={styles.title}>
            No source map was found for <code>{files().join(", ")}</code>: the frames show the bundle's minified names and
            positions.
          </p>
          <p>The console looked, for the deployment live when the error happened, in:</p>
          <ol class={styles.places} aria-label="Where the console looked">
            <li>
              maps uploaded for <code>{fn()}</code> and <code>{base()}</code>;
            </li>
            <li>
              SST v3: the asset bucket of {region()}, under{" "}
              <code>
                sourcemap/arn:aws:logs:{region()}:{account()}:log-group:{logGroup()}/
              </code>
              ;
            </li>
            <Show when={stage()}>
              {(s) => (
                <li>
                  SST v2: the bootstrap bucket, under{" "}
                  <code>
                    sourcemap/{s().app}/{s().name}/arn:aws:lambda:{region()}:{account()}:function:{fn()}/
                  </code>
                  ;
                </li>
              )}
            </Show>
            <li>
              <code>{file()}.map</code> inside the function's code package.
            </li>
          </ol>
          <p>To provide one:</p>
          <ul class={styles.ways} aria-label="How to provide a source map">
            <li>
              SST: leave <code>nodejs.sourcemap</code> unset (SST 3.3.18 and later upload the maps to the asset bucket on
              deploy), or set <code>{"nodejs: { sourcemap: true }"}</code> to ship them inside the code package; then
              deploy again.
            </li>
            <li>
              The CLI:{" "}
              <code>
                npm run --silent cli -- sourcemaps upload --function {fn()} --file {base()} {base()}.map
              </code>
            </li>
            <li>
              The API: <code>POST /api/workspaces/:workspace/sourcemaps</code> with{" "}
              <code>{"{ functionName, file, map }"}</code>.
            </li>
          </ul>
          <p class={styles.subtle}>New errors are mapped from the next one on; this stack stays as it was read.</p>
        </div>
      </aside>
    </Show>
  );
}
