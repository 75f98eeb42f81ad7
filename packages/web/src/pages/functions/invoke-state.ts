/**
 * The state of a function page's invoke panel, made by the page so that an invocation row
 * can replay into it: the editor's text, the saved payload picked, whether the panel is
 * open, and the last answer (or error).
 */
import { createSignal, type Accessor } from "solid-js";
import { useInvoke, type InvokeInput, type InvokeResult } from "../../data/invoke";
import { checkJson } from "../../lib/logs";

export interface InvokeState {
  text: Accessor<string>;
  setText: (text: string) => void;
  selected: Accessor<string>;
  setSelected: (id: string) => void;
  open: Accessor<boolean>;
  setOpen: (open: boolean) => void;
  running: Accessor<boolean>;
  result: Accessor<InvokeResult | undefined>;
  error: Accessor<unknown>;
  /** Invokes with the editor's payload (nothing when it is not valid JSON). */
  invoke: () => void;
  /** Opens the panel with the event of a console invocation (`payload`) and sends it again. */
  replay: (requestId: string, payload: unknown) => void;
}

export function createInvokeState(ws: Accessor<string>, fn: Accessor<string>): InvokeState {
  const [text, setText] = createSignal("{}");
  const [selected, setSelected] = createSignal("");
  const [open, setOpen] = createSignal(false);
  const mutation = useInvoke(ws, fn);
  const run = (input: InvokeInput) => {
    mutation.reset();
    mutation.mutate(input);
  };
  return {
    text,
    setText,
    selected,
    setSelected,
    open,
    setOpen,
    running: () => mutation.isPending,
    result: () => mutation.data,
    error: () => mutation.error ?? undefined,
    invoke: () => {
      const c = checkJson(text());
      if (c.ok && !mutation.isPending) run({ payload: c.value });
    },
    replay: (requestId, payload) => {
      if (mutation.isPending) return;
      setOpen(true);
      setSelected("");
      setText(JSON.stringify(payload, null, 2));
      run({ replay: requestId });
    },
  };
}
