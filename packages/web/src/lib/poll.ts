/**
 * Polling while something is in progress: runs `tick` every `ms` while `active()` is true,
 * one run at a time, paused while the tab is hidden, stopped with the calling component.
 */
import { createEffect, onCleanup, type Accessor } from "solid-js";

export function usePolling(active: Accessor<boolean>, tick: () => Promise<unknown>, ms = 2000): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let disposed = false;

  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  const schedule = () => {
    clear();
    if (disposed || running || !active()) return;
    timer = setTimeout(run, ms);
  };

  const run = async () => {
    timer = undefined;
    if (disposed || !active()) return;
    if (document.visibilityState === "hidden") return; // resumes on visibilitychange
    running = true;
    try {
      await tick();
    } catch {
      // The query shows its own error; keep polling.
    } finally {
      running = false;
    }
    schedule();
  };

  const onVisible = () => {
    if (document.visibilityState === "visible" && !timer && !running) schedule();
  };
  document.addEventListener("visibilitychange", onVisible);

  createEffect(() => {
    if (active()) {
      if (!timer && !running) schedule();
    } else clear();
  });

  onCleanup(() => {
    disposed = true;
    clear();
    document.removeEventListener("visibilitychange", onVisible);
  });
}
