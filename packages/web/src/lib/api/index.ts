/**
 * The API as the web app calls it: one function per route of docs/api.md, built on the
 * typed client (`client.ts`). Their inputs and answers are the server's types
 * (`types.ts` names the ones pages use).
 *
 * To call a new route: add it on the server (packages/functions/src/api/routes), then a
 * function here that calls `client…$get/$post(...)` through `read`, and name its answer in
 * `types.ts` if pages need the type. Data loading and caching is `src/data` (queries).
 */
import { client, encode, read } from "./client";
import type { IssueQuery, LogQuery, Role, TemplateVariant } from "./types";

export * from "./client";
export * from "./errors";
export * from "./autodeploy";
export type * from "./types";

const w = client.api.workspaces[":workspace"];
const ws = (workspace: string) => encode({ workspace });
const opts = (signal?: AbortSignal) => (signal ? { init: { signal } } : undefined);

export const api = {
  sendCode: (email: string) => read(client.api.auth.code.$post({ json: { email } })),
  verify: (email: string, code: string) => read(client.api.auth.verify.$post({ json: { email, code } })),
  logout: () => read(client.api.auth.logout.$post()),
  me: (signal?: AbortSignal) => read(client.api.me.$get(undefined, opts(signal))),
  config: (signal?: AbortSignal) => read(client.api.config.$get(undefined, opts(signal))),

  /** The download link of the connection template (public). */
  templateUrl: (variant: TemplateVariant) => client.api.template.$path({ query: { variant } }),

  workspaces: {
    list: () => read(client.api.workspaces.$get()),
    create: (input: { name: string; slug?: string }) => read(client.api.workspaces.$post({ json: input })),
    get: (workspace: string, signal?: AbortSignal) => read(w.$get({ param: ws(workspace) }, opts(signal))),
    update: (workspace: string, input: { name?: string; slug?: string }) =>
      read(w.$patch({ param: ws(workspace), json: input })),
    remove: (workspace: string) => read(w.$delete({ param: ws(workspace) })),
  },

  members: {
    list: (workspace: string, signal?: AbortSignal) => read(w.members.$get({ param: ws(workspace) }, opts(signal))),
    invite: (workspace: string, input: { email: string; role: Role }) =>
      read(w.members.$post({ param: ws(workspace), json: input })),
    update: (workspace: string, member: string, role: Role) =>
      read(w.members[":member"].$patch({ param: encode({ workspace, member }), json: { role } })),
    remove: (workspace: string, member: string) => read(w.members[":member"].$delete({ param: encode({ workspace, member }) })),
  },

  invitations: {
    list: (workspace: string, signal?: AbortSignal) => read(w.invitations.$get({ param: ws(workspace) }, opts(signal))),
    revoke: (workspace: string, invitation: string) =>
      read(w.invitations[":invitation"].$delete({ param: encode({ workspace, invitation }) })),
  },

  /** The signed-in person's own pending invitations (joining is their choice). */
  myInvitations: {
    list: (signal?: AbortSignal) => read(client.api.invitations.$get(undefined, opts(signal))),
    accept: (invitation: string) => read(client.api.invitations[":invitation"].accept.$post({ param: encode({ invitation }) })),
    decline: (invitation: string) => read(client.api.invitations[":invitation"].decline.$post({ param: encode({ invitation }) })),
  },

  audit: {
    list: (workspace: string, before?: string | null, limit = 50, signal?: AbortSignal) =>
      read(w.audit.$get({ param: ws(workspace), query: { limit: String(limit), before: before ?? undefined } }, opts(signal))),
  },

  accounts: {
    list: (workspace: string, signal?: AbortSignal) => read(w.accounts.$get({ param: ws(workspace) }, opts(signal))),
    get: (workspace: string, account: string, signal?: AbortSignal) =>
      read(w.accounts[":account"].$get({ param: encode({ workspace, account }) }, opts(signal))),
    create: (workspace: string) => read(w.accounts.$post({ param: ws(workspace), json: { method: "stack" } })),
    demo: (workspace: string) => read(w.accounts.demo.$post({ param: ws(workspace) })),
    connect: (workspace: string, account: string, variant: TemplateVariant = "least") =>
      read(w.accounts[":account"].connect.$get({ param: encode({ workspace, account }), query: { variant } })),
    check: (workspace: string, account: string, accountId: string) =>
      read(w.accounts[":account"].check.$post({ param: encode({ workspace, account }), json: { accountId } })),
    scan: (workspace: string, account: string) => read(w.accounts[":account"].scan.$post({ param: encode({ workspace, account }) })),
    remove: (workspace: string, account: string) => read(w.accounts[":account"].$delete({ param: encode({ workspace, account }) })),
    confirmRemoval: (workspace: string, account: string) =>
      read(w.accounts[":account"]["confirm-removal"].$post({ param: encode({ workspace, account }) })),
  },

  functions: {
    list: (workspace: string, signal?: AbortSignal) => read(w.functions.$get({ param: ws(workspace) }, opts(signal))),
    /** Past invocations, newest first; `cursor` is the `next` of the previous page. */
    logs: (workspace: string, fn: string, q: LogQuery, signal?: AbortSignal) =>
      read(
        w.functions[":function"].logs.$get(
          {
            param: encode({ workspace, function: fn }),
            query: {
              start: q.start !== undefined ? String(q.start) : undefined,
              end: q.end !== undefined ? String(q.end) : undefined,
              q: q.q || undefined,
              cursor: q.cursor || undefined,
            },
          },
          opts(signal),
        ),
      ),
    /** The live tail's address (an `EventSource`: the session cookie authenticates it). */
    liveUrl: (workspace: string, fn: string) =>
      `/api/workspaces/${encodeURIComponent(workspace)}/functions/${encodeURIComponent(fn)}/logs/live`,
  },

  deploys: {
    list: (workspace: string, stage: string, after?: string | null, signal?: AbortSignal) =>
      read(w.stages[":stage"].deploys.$get({ param: encode({ workspace, stage }), query: { after: after ?? undefined } }, opts(signal))),
    get: (workspace: string, stage: string, deploy: string, signal?: AbortSignal) =>
      read(w.stages[":stage"].deploys[":deploy"].$get({ param: encode({ workspace, stage, deploy }) }, opts(signal))),
  },

  stages: {
    list: (workspace: string, signal?: AbortSignal) => read(w.stages.$get({ param: ws(workspace) }, opts(signal))),
    get: (workspace: string, stage: string, signal?: AbortSignal) =>
      read(w.stages[":stage"].$get({ param: encode({ workspace, stage }) }, opts(signal))),
  },

  issues: {
    list: (workspace: string, q: IssueQuery, signal?: AbortSignal) =>
      read(
        w.issues.$get(
          {
            param: ws(workspace),
            query: {
              status: q.status,
              limit: String(q.limit ?? 50),
              stage: q.stage || undefined,
              function: q.function || undefined,
              before: q.before || undefined,
              q: q.q || undefined,
              sort: q.sort && q.sort !== "last" ? q.sort : undefined,
            },
          },
          opts(signal),
        ),
      ),
    counts: (workspace: string, stage?: string, signal?: AbortSignal) =>
      read(w.issues.counts.$get({ param: ws(workspace), query: { stage: stage || undefined } }, opts(signal))),
    get: (workspace: string, issue: string, signal?: AbortSignal) =>
      read(w.issues[":issue"].$get({ param: encode({ workspace, issue }) }, opts(signal))),
    occurrenceLogs: (workspace: string, issue: string, occurrence: string, signal?: AbortSignal) =>
      read(
        w.issues[":issue"].occurrences[":occurrence"].logs.$get({ param: encode({ workspace, issue, occurrence }) }, opts(signal)),
      ),
    resolve: (workspace: string, ids: string[]) => read(w.issues.resolve.$post({ param: ws(workspace), json: { ids } })),
    ignore: (workspace: string, ids: string[]) => read(w.issues.ignore.$post({ param: ws(workspace), json: { ids } })),
    reopen: (workspace: string, ids: string[]) => read(w.issues.reopen.$post({ param: ws(workspace), json: { ids } })),
    merge: (workspace: string, target: string, sources: string[]) =>
      read(w.issues.merge.$post({ param: ws(workspace), json: { target, sources } })),
  },

  warnings: {
    list: (workspace: string, stage?: string, signal?: AbortSignal) =>
      read(w.warnings.$get({ param: ws(workspace), query: { stage: stage || undefined } }, opts(signal))),
    retry: (workspace: string, warning: string) =>
      read(w.warnings[":warning"].retry.$post({ param: encode({ workspace, warning }) })),
  },

  github: {
    /** Whether installs can start here, and the workspace's installations. */
    get: (workspace: string, signal?: AbortSignal) => read(w.github.$get({ param: ws(workspace) }, opts(signal))),
    /** GitHub's install page for this workspace (admin); the browser goes there. */
    install: (workspace: string) => read(w.github.install.$post({ param: ws(workspace) })),
    removeInstallation: (workspace: string, installation: string) =>
      read(w.github.installations[":installation"].$delete({ param: encode({ workspace, installation }) })),
  },

  usage: {
    get: (workspace: string, month?: string, signal?: AbortSignal) =>
      read(w.usage.$get({ param: ws(workspace), query: { month } }, opts(signal))),
    refresh: (workspace: string) => read(w.usage.refresh.$post({ param: ws(workspace) })),
  },

  billing: {
    get: (workspace: string, signal?: AbortSignal) => read(w.billing.$get({ param: ws(workspace) }, opts(signal))),
    checkout: (workspace: string, successUrl: string, cancelUrl: string) =>
      read(w.billing.checkout.$post({ param: ws(workspace), json: { successUrl, cancelUrl } })),
    portal: (workspace: string, returnUrl: string) => read(w.billing.portal.$post({ param: ws(workspace), json: { returnUrl } })),
  },
};
