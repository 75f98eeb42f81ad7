/**
 * The autodeploy routes (docs/api.md, Autodeploy): an app's repository, targets and runs,
 * through the typed client. `:app` is the app's console id (`Stage.appId`; the server also
 * takes its name). Their answers are named in `types.ts`.
 */
import { client, encode, read } from "./client";
import type { Targets } from "./types";

const w = client.api.workspaces[":workspace"];
const a = w.apps[":app"];
const opts = (signal?: AbortSignal) => (signal ? { init: { signal } } : undefined);
const p = (workspace: string, app: string) => encode({ workspace, app });
const pr = (workspace: string, app: string, run: string) => encode({ workspace, app, run });

export const autodeployApi = {
  repository: (workspace: string, app: string, signal?: AbortSignal) => read(a.repository.$get({ param: p(workspace, app) }, opts(signal))),
  linkRepository: (workspace: string, app: string, input: { installationId: string; fullName: string }) =>
    read(a.repository.$put({ param: p(workspace, app), json: input })),
  unlinkRepository: (workspace: string, app: string) => read(a.repository.$delete({ param: p(workspace, app) })),
  /** What the workspace's installations can see. */
  repositories: (workspace: string, signal?: AbortSignal) => read(w.github.repositories.$get({ param: encode({ workspace }) }, opts(signal))),

  targets: (workspace: string, app: string, signal?: AbortSignal) => read(a.targets.$get({ param: p(workspace, app) }, opts(signal))),
  saveTargets: (workspace: string, app: string, targets: Targets) => read(a.targets.$put({ param: p(workspace, app), json: targets })),

  runs: (workspace: string, app: string, q: { stage?: string; cursor?: string | null }, signal?: AbortSignal) =>
    read(a.runs.$get({ param: p(workspace, app), query: { stage: q.stage || undefined, cursor: q.cursor || undefined } }, opts(signal))),
  run: (workspace: string, app: string, run: string, signal?: AbortSignal) => read(a.runs[":run"].$get({ param: pr(workspace, app, run) }, opts(signal))),
  logs: (workspace: string, app: string, run: string, cursor: string | null, signal?: AbortSignal) =>
    read(a.runs[":run"].logs.$get({ param: pr(workspace, app, run), query: { cursor: cursor || undefined } }, opts(signal))),
  cancel: (workspace: string, app: string, run: string) => read(a.runs[":run"].cancel.$post({ param: pr(workspace, app, run) })),
  redeploy: (workspace: string, app: string, run: string) => read(a.runs[":run"].redeploy.$post({ param: pr(workspace, app, run) })),
};
