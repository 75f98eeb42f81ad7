import CircleAlert from "lucide-solid/icons/circle-alert";
import CircleCheck from "lucide-solid/icons/circle-check";
import Info from "lucide-solid/icons/info";
import X from "lucide-solid/icons/x";
import { For, Match, Show, Switch, createSignal } from "solid-js";
import { describeError } from "../lib/api";
import { cx } from "../lib/cx";
import { Button } from "./Button";
import styles from "./Toast.module.css";

type Tone = "success" | "error" | "info";

interface ToastItem {
  id: number;
  tone: Tone;
  message: string;
  action?: { label: string; run: () => void };
}

const [items, setItems] = createSignal<ToastItem[]>([]);
let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

function dismiss(id: number): void {
  const timer = timers.get(id);
  if (timer) clearTimeout(timer);
  timers.delete(id);
  setItems((list) => list.filter((t) => t.id !== id));
}

function show(tone: Tone, message: string, action?: ToastItem["action"]): number {
  const id = nextId++;
  setItems((list) => [...list.slice(-3), { id, tone, message, action }]);
  const ms = tone === "error" ? 8000 : action ? 8000 : 4000;
  timers.set(
    id,
    setTimeout(() => dismiss(id), ms),
  );
  return id;
}

/** Short messages about the result of an action. */
export const toast = {
  success: (message: string, action?: ToastItem["action"]) => show("success", message, action),
  info: (message: string, action?: ToastItem["action"]) => show("info", message, action),
  error: (messageOrError: unknown) =>
    show("error", typeof messageOrError === "string" ? messageOrError : describeError(messageOrError)),
  dismiss,
};

/** Mounted once at the root. Screen readers hear new toasts through the live regions. */
export function Toaster() {
  return (
    <section class={styles.region} aria-label="Notifications">
      <For each={items()}>
        {(item) => (
          <div
            class={cx(styles.toast, styles[item.tone])}
            role={item.tone === "error" ? "alert" : "status"}
            onMouseEnter={() => {
              const timer = timers.get(item.id);
              if (timer) clearTimeout(timer);
            }}
            onMouseLeave={() => timers.set(item.id, setTimeout(() => dismiss(item.id), 3000))}
          >
            <span class={styles.icon} aria-hidden="true">
              <Switch>
                <Match when={item.tone === "success"}>
                  <CircleCheck />
                </Match>
                <Match when={item.tone === "error"}>
                  <CircleAlert />
                </Match>
                <Match when={item.tone === "info"}>
                  <Info />
                </Match>
              </Switch>
            </span>
            <p class={styles.message}>{item.message}</p>
            <div class={styles.actions}>
              <Show when={item.action}>
                {(action) => (
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => {
                      action().run();
                      dismiss(item.id);
                    }}
                  >
                    {action().label}
                  </Button>
                )}
              </Show>
              <Button
                size="sm"
                variant="ghost"
                icon={<X aria-hidden="true" />}
                aria-label="Dismiss notification"
                onClick={() => dismiss(item.id)}
              />
            </div>
          </div>
        )}
      </For>
    </section>
  );
}
