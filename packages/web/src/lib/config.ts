/** What this console can do (`GET /api/config`), loaded once per page load and shared. */
import { createSignal } from "solid-js";
import { api, type ConsoleConfig } from "./api";

const [config, setConfig] = createSignal<ConsoleConfig | undefined>(undefined);
export { config };

let inflight: Promise<ConsoleConfig | undefined> | null = null;

/** Loads the config once; a failure is retried on the next call (the pages work without it). */
export function ensureConfig(): Promise<ConsoleConfig | undefined> {
  const known = config();
  if (known) return Promise.resolve(known);
  inflight ??= api
    .config()
    .then((value) => {
      setConfig(value);
      return value;
    })
    .catch(() => undefined)
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

/** Whether this console offers the emulated demo account. */
export const demoAvailable = () => config()?.demo === true;
