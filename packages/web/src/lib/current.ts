/** The workspace on screen, set by the workspace layout, read by the top bar and command bar. */
import { createSignal } from "solid-js";
import type { Workspace } from "./api";

const [currentWorkspace, setCurrentWorkspace] = createSignal<Workspace | undefined>(undefined);
export { currentWorkspace, setCurrentWorkspace };

const [commandBarOpen, setCommandBarOpen] = createSignal(false);
export { commandBarOpen, setCommandBarOpen };
