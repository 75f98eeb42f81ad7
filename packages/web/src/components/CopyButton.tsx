import Check from "lucide-solid/icons/check";
import Copy from "lucide-solid/icons/copy";
import { Show, createSignal, onCleanup } from "solid-js";
import { copyText } from "../lib/clipboard";
import { Button } from "./Button";
import { toast } from "./Toast";

/** An icon button that copies `value`; its accessible name is "Copy <label>". */
export function CopyButton(props: { value: string; label: string; size?: "sm" | "md" }) {
  const [copied, setCopied] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => timer && clearTimeout(timer));

  const copy = async () => {
    try {
      await copyText(props.value);
      setCopied(true);
      toast.success(`${props.label} copied`);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => setCopied(false), 1500);
    } catch {
      toast.error(`Could not copy the ${props.label}. Select it and copy it by hand.`);
    }
  };

  return (
    <Button
      size={props.size ?? "sm"}
      variant="ghost"
      aria-label={`Copy ${props.label}`}
      title={`Copy ${props.label}`}
      icon={
        <Show when={copied()} fallback={<Copy aria-hidden="true" />}>
          <Check aria-hidden="true" />
        </Show>
      }
      onClick={() => void copy()}
    />
  );
}
