/**
 * Invoke a function with a JSON event: an editor that checks the JSON as you type (and says
 * where it is wrong), the workspace's saved payloads (pick, save, rename, delete), and the
 * answer: status, the function's error, its response and the logs of that invocation.
 */
import { useSearchParams } from "@solidjs/router";
import { useQueryClient } from "@tanstack/solid-query";
import Braces from "lucide-solid/icons/braces";
import Pencil from "lucide-solid/icons/pencil";
import Play from "lucide-solid/icons/play";
import Save from "lucide-solid/icons/save";
import Trash from "lucide-solid/icons/trash";
import { For, Match, Show, Switch, createMemo, createSignal, createUniqueId } from "solid-js";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CopyButton } from "../../components/CopyButton";
import { FieldError, Input } from "../../components/Input";
import { Section } from "../../components/Page";
import { Select } from "../../components/Select";
import { toast } from "../../components/Toast";
import { keys } from "../../data/keys";
import { usePayloadMutations, usePayloads, type InvokeResult } from "../../data/invoke";
import { useWorkspace } from "../../layout/workspace-context";
import { describeError, type LambdaFunction } from "../../lib/api";
import { cx } from "../../lib/cx";
import { isErrorLine } from "../../lib/issues";
import { checkJson, formatDuration } from "../../lib/logs";
import type { InvokeState } from "./invoke-state";
import styles from "./Function.module.css";

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** What the function answered, shown as JSON when it is JSON. */
function responseText(response: unknown): string {
  if (typeof response === "string") {
    try {
      return pretty(JSON.parse(response));
    } catch {
      return response;
    }
  }
  return response === undefined ? "" : pretty(response);
}

export function InvokePanel(props: { fn: LambdaFunction; state: InvokeState; /** Whether the caller may invoke this function (the workspace's setting). */ allowed: boolean }) {
  const { workspace } = useWorkspace();
  const [, setSearch] = useSearchParams();
  const client = useQueryClient();
  const payloads = usePayloads(() => workspace().id);
  const mutations = usePayloadMutations(() => workspace().id);
  const s = props.state;
  const editorId = `payload-${createUniqueId()}`;
  const errorId = `${editorId}-error`;

  const check = createMemo(() => checkJson(s.text()));
  const invalid = () => {
    const c = check();
    return c.ok ? null : c;
  };
  const selected = createMemo(() => payloads.data?.find((p) => p.id === s.selected()));
  const changed = () => {
    const p = selected();
    const c = check();
    return !!p && c.ok && JSON.stringify(c.value) !== JSON.stringify(p.payload);
  };

  const [naming, setNaming] = createSignal<"save" | "rename" | null>(null);
  const [name, setName] = createSignal("");
  const [nameError, setNameError] = createSignal<string | null>(null);
  const [deleting, setDeleting] = createSignal(false);

  const pick = (id: string) => {
    s.setSelected(id);
    const p = payloads.data?.find((x) => x.id === id);
    if (p) s.setText(pretty(p.payload));
  };

  const submitName = async (e: SubmitEvent) => {
    e.preventDefault();
    const value = name().trim();
    if (!value) {
      setNameError("Give the payload a name.");
      return;
    }
    const c = check();
    try {
      if (naming() === "rename" && selected()) {
        await mutations.update.mutateAsync({ id: selected()!.id, name: value });
        toast.success(`Renamed to ${value}`);
      } else {
        if (!c.ok) return;
        const created = await mutations.create.mutateAsync({ name: value, payload: c.value });
        s.setSelected(created.id);
        toast.success(`Saved ${value}`);
      }
      setNaming(null);
      setNameError(null);
    } catch (err) {
      setNameError(describeError(err));
    }
  };

  const saveChanges = async () => {
    const p = selected();
    const c = check();
    if (!p || !c.ok) return;
    try {
      await mutations.update.mutateAsync({ id: p.id, payload: c.value });
      toast.success(`Saved ${p.name}`);
    } catch (err) {
      toast.error(err);
    }
  };

  return (
    <Section
      title="Invoke"
      id="invoke"
      description="Run the function with an event and see its answer and logs."
      actions={
        <Button size="sm" variant={s.open() ? "ghost" : "secondary"} icon={<Play aria-hidden="true" />} aria-expanded={s.open()} aria-controls="invoke-panel" onClick={() => s.setOpen(!s.open())}>
          {s.open() ? "Hide" : "Invoke…"}
        </Button>
      }
    >
      <Show when={s.open()}>
        <div id="invoke-panel" class={styles.invoke}>
          <Show when={!props.allowed}>
            <p class={styles.note} role="note">
              In this workspace only admins and owners may invoke functions of non-personal stages. You can still prepare and save payloads.
            </p>
          </Show>
          <div class={styles.payloadBar}>
            <Select
              label="Saved payload"
              size="sm"
              value={s.selected()}
              options={[{ value: "", label: payloads.data?.length ? "New payload" : "No saved payloads yet" }, ...(payloads.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
              onChange={pick}
            />
            <Show when={!selected()}>
              <Button size="sm" icon={<Save aria-hidden="true" />} disabled={!check().ok} onClick={() => { setName(""); setNameError(null); setNaming("save"); }}>
                Save as…
              </Button>
            </Show>
            <Show when={selected()}>
              {(p) => (
                <>
                  <Button size="sm" icon={<Save aria-hidden="true" />} disabled={!changed()} loading={mutations.update.isPending && !naming()} onClick={() => void saveChanges()}>
                    Save changes
                  </Button>
                  <Button size="sm" icon={<Pencil aria-hidden="true" />} onClick={() => { setName(p().name); setNameError(null); setNaming("rename"); }}>
                    Rename
                  </Button>
                  <Button size="sm" variant="dangerGhost" icon={<Trash aria-hidden="true" />} onClick={() => setDeleting(true)}>
                    Delete
                  </Button>
                </>
              )}
            </Show>
          </div>

          <Show when={naming()}>
            <form class={styles.inline} aria-label={naming() === "rename" ? "Rename the payload" : "Save the payload"} onSubmit={(e) => void submitName(e)}>
              <Input label={naming() === "rename" ? "New name" : "Name"} size="sm" maxLength={100} value={name()} error={nameError()} onInput={(e) => setName(e.currentTarget.value)} autofocus />
              <Button size="sm" variant="primary" type="submit" loading={mutations.create.isPending || mutations.update.isPending}>
                {naming() === "rename" ? "Rename" : "Save"}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setNaming(null)}>
                Cancel
              </Button>
            </form>
          </Show>

          <label for={editorId} class={styles.editorLabel}>
            Event (JSON)
          </label>
          <textarea
            id={editorId}
            class={styles.editor}
            spellcheck={false}
            autocomplete="off"
            aria-invalid={invalid() ? true : undefined}
            aria-describedby={invalid() ? errorId : undefined}
            value={s.text()}
            onInput={(e) => s.setText(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                if (props.allowed) s.invoke();
              }
            }}
          />
          <Show when={invalid()}>
            {(c) => (
              <FieldError id={errorId}>
                Not valid JSON{c().line ? ` (line ${c().line}, column ${c().column})` : ""}: {c().message}
              </FieldError>
            )}
          </Show>
          <div class={styles.actions}>
            <Button variant="primary" icon={<Play aria-hidden="true" />} loading={s.running()} disabled={!check().ok || !props.allowed} onClick={() => s.invoke()}>
              Invoke
            </Button>
            <Button
              variant="ghost"
              icon={<Braces aria-hidden="true" />}
              disabled={!check().ok || !s.text().trim()}
              onClick={() => {
                const c = check();
                if (c.ok) s.setText(pretty(c.value));
              }}
            >
              Format
            </Button>
            <span class={styles.subtle}>Ctrl+Enter invokes</span>
          </div>

          <Switch>
            <Match when={s.error()}>
              {(err) => (
                <section class={cx(styles.result, styles.resultFailed)} role="alert" aria-label="Invoke result">
                  <div class={styles.resultHead}>
                    <Badge tone="danger">Could not invoke</Badge>
                  </div>
                  <p class={styles.errorText}>{describeError(err())}</p>
                </section>
              )}
            </Match>
            <Match when={s.result()}>{(r) => <Result
                  result={r()}
                  onShow={(id) => {
                    // The invocation is newer than the logs on screen: read them again, its row opened.
                    setSearch({ request: id, at: undefined, around: undefined, range: undefined, q: undefined }, { replace: true });
                    void client.invalidateQueries({ queryKey: keys.logs.functionAll(workspace().id, props.fn.id) });
                    document.getElementById("function-logs-title")?.scrollIntoView({ block: "start" });
                  }}
                />}</Match>
          </Switch>
        </div>
      </Show>

      <ConfirmDialog
        open={deleting()}
        onClose={() => setDeleting(false)}
        title={`Delete ${selected()?.name ?? "the payload"}?`}
        confirmLabel="Delete"
        danger
        onConfirm={async () => {
          const p = selected();
          if (!p) return;
          await mutations.remove.mutateAsync(p.id);
          s.setSelected("");
          setDeleting(false);
          toast.success(`Deleted ${p.name}`);
        }}
      >
        It is removed for everyone in this workspace. The editor keeps its text.
      </ConfirmDialog>
    </Section>
  );
}

function Result(props: { result: InvokeResult; onShow: (requestId: string) => void }) {
  const failed = () => !!props.result.functionError || props.result.statusCode >= 300;
  return (
    <section class={cx(styles.result, failed() && styles.resultFailed)} aria-label="Invoke result" data-request={props.result.requestId ?? undefined}>
      <div class={styles.resultHead}>
        <Badge tone={failed() ? "danger" : "success"}>{props.result.functionError ? `Function error: ${props.result.functionError}` : `Status ${props.result.statusCode}`}</Badge>
        <Show when={props.result.functionError}>
          <span class={styles.subtle}>Status {props.result.statusCode}</span>
        </Show>
        <Show when={props.result.requestId}>
          {(id) => (
            <span class={styles.request}>
              <span class={styles.subtle}>Request</span>
              <span class={styles.mono} title={id()}>
                {id()}
              </span>
              <CopyButton value={id()} label="request id" size="sm" />
              <Button size="sm" variant="ghost" onClick={() => props.onShow(id())}>
                Show in the logs
              </Button>
            </span>
          )}
        </Show>
      </div>
      <h3 class={styles.editorLabel}>{props.result.functionError ? "Error" : "Response"}</h3>
      <pre class={styles.response} aria-label={props.result.functionError ? "Error" : "Response"}>
        {responseText(props.result.response) || "(empty)"}
      </pre>
      <Show when={props.result.responseTruncated}>
        <p class={styles.subtle}>The response was larger than 1 MB: only its beginning is shown.</p>
      </Show>
      <Show when={props.result.report}>
        {(r) => (
          <p class={styles.figures}>
            <span>Duration {formatDuration(r().duration)}</span>
            <span>Billed {formatDuration(r().billedDuration)}</span>
            <span>
              Memory {r().maxMemoryUsed ?? "—"} / {r().memorySize ?? "—"} MB
            </span>
            <Show when={r().initDuration !== null && r().initDuration !== undefined}>
              <span>Cold start, init {formatDuration(r().initDuration)}</span>
            </Show>
          </p>
        )}
      </Show>
      <Show when={props.result.logs.length > 0}>
        <h3 class={styles.editorLabel}>Logs of this invocation</h3>
        <Show when={props.result.logsTruncated}>
          <p class={styles.subtle}>Lambda returns the last 4 KB of an invocation's logs: the whole log is in the list below.</p>
        </Show>
        <ol class={styles.tail} aria-label="Logs of this invocation">
          <For each={props.result.logs}>{(line) => <li class={cx(isErrorLine({ timestamp: 0, message: line }, new Set()) && styles.tailError)}>{line}</li>}</For>
        </ol>
      </Show>
    </section>
  );
}
