import { createContext, useContext, type Accessor } from "solid-js";
import type { Stage } from "../../lib/api";
import type { StageTab } from "../../lib/stages";

export interface StageContextValue {
  /** The stage on screen (from the workspace's stage list). */
  stage: Accessor<Stage>;
  /** Every stage of the workspace, to build links that stay unambiguous. */
  stages: Accessor<Stage[]>;
  /** The address of one of this stage's tabs. */
  path: (tab?: StageTab) => string;
  /** Reloads the stage list (and with it this stage). */
  refetch: () => Promise<void>;
}

export const StageContext = createContext<StageContextValue>();

/** The stage of the current route; only usable under /:workspace/app/:app/:stage. */
export function useStage(): StageContextValue {
  const value = useContext(StageContext);
  if (!value) throw new Error("useStage() used outside a stage route");
  return value;
}
