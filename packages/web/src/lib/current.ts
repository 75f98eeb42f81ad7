/** The workspace on screen, set by the workspace layout, read by the top bar and command bar. */
import { createSignal } from "solid-js";
import type { Stage, Workspace } from "./api";

const [currentWorkspace, setCurrentWorkspace] = createSignal<Workspace | undefined>(undefined);
export { currentWorkspace, setCurrentWorkspace };

const [commandBarOpen, setCommandBarOpen] = createSignal(false);
export { commandBarOpen, setCommandBarOpen };

/** The stage on screen (set by the stage layout), for the command bar's "Issues of <stage>". */
export interface CurrentStage {
  stage: Stage;
  /** The stage's Issues tab. */
  issuesPath: string;
}
const [currentStage, setCurrentStage] = createSignal<CurrentStage | undefined>(undefined);
export { currentStage, setCurrentStage };
