import { Show, createSignal, type JSX } from "solid-js";
import { describeError } from "../lib/api";
import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { FormError } from "./FormError";
import { Input } from "./Input";

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  children?: JSX.Element;
  confirmLabel: string;
  /** Red confirm button: for what cannot be undone. */
  danger?: boolean;
  /** The user must type this text before confirming (deleting a workspace). */
  requireText?: string;
  /** Runs the action; the dialog stays open showing the error if it throws. */
  onConfirm: () => Promise<unknown> | unknown;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [typed, setTyped] = createSignal("");

  const close = () => {
    if (busy()) return;
    setError(null);
    setTyped("");
    props.onClose();
  };

  const ready = () => !props.requireText || typed().trim() === props.requireText;

  const confirm = async () => {
    if (!ready() || busy()) return;
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      setTyped("");
      props.onClose();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={close}
      title={props.title}
      onSubmit={() => void confirm()}
      footer={
        <>
          <Button onClick={close} disabled={busy()}>
            Cancel
          </Button>
          <Button type="submit" variant={props.danger ? "danger" : "primary"} loading={busy()} disabled={!ready()}>
            {props.confirmLabel}
          </Button>
        </>
      }
    >
      <div>{props.children}</div>
      <Show when={props.requireText}>
        {(text) => (
          <Input
            label={`Type ${text()} to confirm`}
            value={typed()}
            onInput={(e) => setTyped(e.currentTarget.value)}
            autocomplete="off"
            spellcheck={false}
            mono
            autofocus
          />
        )}
      </Show>
      <FormError>{error()}</FormError>
    </Dialog>
  );
}
