/**
 * Between the invoke panel and the invocation rows: which invocations can be replayed
 * (their event is known: they were made from the console) and how to replay one.
 */
import { createContext, useContext } from "solid-js";

export interface Replay {
  /** Whether the invocation `requestId` can be replayed. */
  known: (requestId: string | null) => boolean;
  /** Replays it (the invoke panel shows the answer). */
  run: (requestId: string) => void;
}

const none: Replay = { known: () => false, run: () => undefined };

export const ReplayContext = createContext<Replay>(none);

export function useReplay(): Replay {
  return useContext(ReplayContext);
}
