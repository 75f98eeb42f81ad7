import { createContext, useContext, type Accessor } from "solid-js";
import type { Stage } from "../../lib/api";

export interface AppContextValue {
  /** The app on screen: its console id (the autodeploy routes' `:app`) and name (its address). */
  app: Accessor<{ id: string; name: string }>;
  /** This app's stages (personal ones last). */
  stages: Accessor<Stage[]>;
  /** Every stage of the workspace, to build stage links that stay unambiguous. */
  allStages: Accessor<Stage[]>;
  /** The address of the app's page, or of one of its parts. */
  path: (part?: "autodeploy") => string;
}

export const AppContext = createContext<AppContextValue>();

/** The app of the current route; only usable under /:workspace/app/:app (its own pages). */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp() used outside an app route");
  return value;
}
