import { createContext, useContext, type Accessor } from "solid-js";
import type { Workspace } from "../lib/api";

export interface WorkspaceContextValue {
  workspace: Accessor<Workspace>;
  /** Reloads the workspace (after a rename, or to check access). */
  refetch: () => Promise<void>;
  /** Replaces the workspace locally (after PATCH answered with the new one). */
  update: (workspace: Workspace) => void;
  isAdmin: Accessor<boolean>;
  isOwner: Accessor<boolean>;
}

export const WorkspaceContext = createContext<WorkspaceContextValue>();

/** The workspace of the current route; only usable under /:workspace. */
export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace() used outside a workspace route");
  return value;
}
