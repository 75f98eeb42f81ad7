/**
 * A stack trace, newest call first: in-app frames first-class and expanded with the source
 * lines around the error (the error line highlighted); runs of library and runtime frames
 * collapsed into "N library frames" that expand. Mapped frames say discreetly where in the
 * bundle they came from. Chained causes follow.
 */
import ChevronRight from "lucide-solid/icons/chevron-right";
import { For, Show, createSignal, type JSX } from "solid-js";
import type { DetectedError, ErrorCause, Frame, IssueKind, SourceContext } from "../../lib/api";
import { cx } from "../../lib/cx";
import { plural } from "../../lib/format";
import { NO_STACK, frameFunction, frameLocation, groupFrames } from "../../lib/issues";
import styles from "./StackTrace.module.css";

/** Lines of a frame's context with their numbers (`start` is the first line's number). */
function contextLines(ctx: SourceContext): { n: number; text: string; error: boolean }[] {
  const out: { n: number; text: string; error: boolean }[] = [];
  let n = ctx.start;
  for (const text of ctx.pre) out.push({ n: n++, text, error: false });
  out.push({ n: n++, text: ctx.line, error: true });
  for (const text of ctx.post) out.push({ n: n++, text, error: false });
  return out;
}

export function SourceLines(props: { frame: Frame; context: SourceContext }) {
  return (
    <ol
      class={styles.code}
      aria-label={`Source of ${props.frame.file} around line ${props.frame.line ?? props.context.start + props.context.pre.length}`}
    >
      <For each={contextLines(props.context)}>
        {(l) => (
          <li class={cx(styles.codeLine, l.error && styles.codeLineError)} aria-current={l.error ? "true" : undefined}>
            <span class={styles.lineNo} aria-hidden="true">
              {l.n}
            </span>
            <code class={styles.lineText}>{l.text || " "}</code>
          </li>
        )}
      </For>
    </ol>
  );
}

function Location(props: { frame: Frame }) {
  return (
    <>
      <span class={styles.fn}>{frameFunction(props.frame)}</span>
      <span class={styles.at}>{props.frame.function ? "in" : ""}</span>
      <span class={styles.location}>{frameLocation(props.frame)}</span>
    </>
  );
}

function Mapped(props: { frame: Frame }) {
  return (
    <Show when={props.frame.generated}>
      {(g) => <span class={styles.mapped}>mapped from {frameLocation(g())}</span>}
    </Show>
  );
}

function AppFrame(props: { frame: Frame; expanded?: boolean }) {
  const [open, setOpen] = createSignal(props.expanded ?? true);
  const ctx = () => props.frame.context;
  return (
    <li class={cx(styles.frame, styles.appFrame)} title={props.frame.raw}>
      <Show
        when={ctx()}
        fallback={
          <div class={styles.frameHead}>
            <span class={styles.chevronSpace} aria-hidden="true" />
            <Location frame={props.frame} />
            <Mapped frame={props.frame} />
          </div>
        }
      >
        {(context) => (
          <>
            <button
              type="button"
              class={styles.frameHead}
              aria-expanded={open()}
              onClick={() => setOpen(!open())}
            >
              <ChevronRight class={cx(styles.chevron, open() && styles.chevronOpen)} aria-hidden="true" />
              <Location frame={props.frame} />
              <Mapped frame={props.frame} />
            </button>
            <Show when={open()}>
              <SourceLines frame={props.frame} context={context()} />
            </Show>
          </>
        )}
      </Show>
    </li>
  );
}

function LibraryGroup(props: { frames: Frame[]; open?: boolean }) {
  const [open, setOpen] = createSignal(props.open ?? false);
  return (
    <li class={styles.libGroup}>
      <button type="button" class={styles.libToggle} aria-expanded={open()} onClick={() => setOpen(!open())}>
        <ChevronRight class={cx(styles.chevron, open() && styles.chevronOpen)} aria-hidden="true" />
        <span>{plural(props.frames.length, "library frame")}</span>
        <Show when={!open()}>
          <span class={styles.libPreview}>{props.frames.map((f) => frameFunction(f)).slice(0, 3).join(" · ")}</span>
        </Show>
      </button>
      <Show when={open()}>
        <ol class={styles.libFrames}>
          <For each={props.frames}>
            {(frame) => (
              <li class={cx(styles.frame, styles.libFrame)} title={frame.raw}>
                <div class={styles.frameHead}>
                  <span class={styles.chevronSpace} aria-hidden="true" />
                  <Location frame={frame} />
                  <Mapped frame={frame} />
                </div>
                <Show when={frame.context}>{(c) => <SourceLines frame={frame} context={c()} />}</Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </li>
  );
}

/** The frames of one error (or cause). */
export function Frames(props: { frames: Frame[]; label: string; kind?: IssueKind }) {
  const groups = () => groupFrames(props.frames);
  const hasApp = () => props.frames.some((f) => f.inApp);
  return (
    <Show
      when={props.frames.length > 0}
      fallback={<p class={styles.noStack}>{(props.kind && NO_STACK[props.kind]) ?? "This error was logged without a stack trace."}</p>}
    >
      <ol class={styles.frames} aria-label={props.label}>
        <For each={groups()}>
          {(group) =>
            group.kind === "app" ? (
              <AppFrame frame={group.frame} />
            ) : (
              // Without any in-app frame, the library frames are all there is: open them.
              <LibraryGroup frames={group.frames.map((f) => f.frame)} open={!hasApp()} />
            )
          }
        </For>
      </ol>
    </Show>
  );
}

function ErrorHead(props: { type: string; message: string; prefix?: JSX.Element; oneLine?: boolean }) {
  // The page's header shows the whole message; here its first line is enough.
  const message = () => (props.oneLine ? (props.message.split("\n")[0] ?? "") : props.message);
  return (
    <p class={cx(styles.errorHead, props.oneLine && styles.oneLine)} title={props.oneLine ? props.message : undefined}>
      {props.prefix}
      <span class={styles.errorType}>{props.type}</span>
      <Show when={message()}>
        {" "}
        <span class={styles.errorMessage}>{message()}</span>
      </Show>
    </p>
  );
}

/** The whole trace of an error: its frames, then each cause's. */
export function StackTrace(props: { error: DetectedError; compact?: boolean }) {
  const causes = (): ErrorCause[] => props.error.causes ?? [];
  return (
    <div class={cx(styles.trace, props.compact && styles.compact)}>
      <Show when={!props.compact}>
        <ErrorHead type={props.error.type} message={props.error.message} oneLine />
      </Show>
      <Frames frames={props.error.frames} label={`Frames of ${props.error.type}`} kind={props.error.kind} />
      <For each={causes()}>
        {(cause) => (
          <div class={styles.cause}>
            <ErrorHead type={cause.type} message={cause.message} prefix={<span class={styles.causedBy}>Caused by </span>} />
            <Frames frames={cause.frames} label={`Frames of ${cause.type} (cause)`} />
          </div>
        )}
      </For>
    </div>
  );
}
