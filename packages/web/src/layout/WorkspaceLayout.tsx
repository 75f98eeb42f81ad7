/**
 * Everything under /:workspace. Loads the workspace (by slug or id) and checks, again and
 * again, that the viewer still belongs to it: on navigation, when the tab comes back, every
 * 30 seconds, and whenever an API call on this workspace answers 403/404. When access is
 * gone (removed, or the workspace was deleted) the page says so and offers a way out.
 */
import { A, useLocation, useNavigate, useParams, type RouteSectionProps } from "@solidjs/router";
import Lock from "lucide-solid/icons/lock";
import Plus from "lucide-solid/icons/plus";
import { For, Match, Show, Switch, createEffect, createSignal, on, onCleanup, onMount } from "solid-js";
import { ButtonLink } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { Page } from "../components/Page";
import { forgetLastWorkspace, getLastWorkspace, setLastWorkspace, useMe, useSession } from "../data/session";
import { useWorkspaceQuery, useWorkspaceUpdated } from "../data/workspace";
import { onWorkspaceDenied, type Workspace } from "../lib/api";
import { setCurrentWorkspace } from "../lib/current";
import { BillingBanner } from "./BillingBanner";
import { PageSkeleton } from "./PageSkeleton";
import { WorkspaceContext } from "./workspace-context";

/** Slugs and ids this tab has seen the viewer belong to. */
const seen = new Set<string>();

export default function WorkspaceLayout(props: RouteSectionProps) {
  const params = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const meQuery = useMe();
  const me = () => meQuery.data;
  const session = useSession();
  const updated = useWorkspaceUpdated();
  // Re-checked every 30 s and when the tab comes back (src/data/workspace.ts).
  const query = useWorkspaceQuery(() => params.workspace);
  const [lost, setLost] = createSignal<null | { hadAccess: boolean }>(null);
  let last: Workspace | undefined;

  // A new workspace in the URL starts fresh.
  createEffect(on(() => params.workspace, () => setLost(null)));

  createEffect(() => {
    const ws = query.data;
    if (!ws) return;
    last = ws;
    seen.add(ws.slug);
    seen.add(ws.id);
    setLost(null);
    setCurrentWorkspace(ws);
    const user = me()?.user;
    if (user) setLastWorkspace(user.id, ws.slug);
    // Opened by id (or an old slug): show the canonical address.
    const key = params.workspace;
    if (key && key !== ws.slug) {
      const rest = location.pathname.slice(`/${key}`.length);
      navigate(`/${ws.slug}${rest}${location.search}`, { replace: true });
    }
  });

  createEffect(() => {
    const error = query.error;
    if (!error?.isNoAccess || lost()) return;
    const key = params.workspace ?? "";
    const user = me()?.user;
    const hadAccess =
      seen.has(key) ||
      (!!user && getLastWorkspace(user.id) === key) ||
      !!me()?.workspaces.some((w) => w.slug === key || w.id === key);
    setLost({ hadAccess });
    setCurrentWorkspace(undefined);
    if (user) forgetLastWorkspace(user.id, key);
    void session.refresh();
  });

  onCleanup(() => setCurrentWorkspace(undefined));

  const revalidate = () => {
    if (query.data && !query.isFetching) void query.refetch();
  };

  createEffect(on(() => location.pathname, revalidate, { defer: true }));

  onMount(() => {
    const unsubscribe = onWorkspaceDenied((key) => {
      // A load in flight (including the one that was just denied) reports for itself.
      if (query.isFetching) return;
      const ws = query.data;
      if (key === params.workspace || (ws && (key === ws.id || key === ws.slug))) void query.refetch();
    });
    onCleanup(unsubscribe);
  });

  const workspace = () => (query.data ?? last) as Workspace;
  const role = () => workspace()?.role;

  return (
    <Switch fallback={<PageSkeleton />}>
      <Match when={lost()}>{(state) => <NoAccess hadAccess={state().hadAccess} />}</Match>
      <Match when={query.data}>
        <WorkspaceContext.Provider
          value={{
            workspace,
            refetch: () => query.refetch().then(() => undefined),
            update: (ws) => {
              updated(workspace(), ws);
              session.patchWorkspace(ws.id, ws);
            },
            isAdmin: () => role() === "owner" || role() === "admin",
            isOwner: () => role() === "owner",
          }}
        >
          <BillingBanner />
          {props.children}
        </WorkspaceContext.Provider>
      </Match>
      <Match when={query.error}>
        {(error) => (
          <Page>
            <ErrorState title="Could not load this workspace" error={error()} onRetry={() => query.refetch()} />
          </Page>
        )}
      </Match>
    </Switch>
  );
}

function NoAccess(props: { hadAccess: boolean }) {
  const me = useMe();
  const others = () => me.data?.workspaces ?? [];
  return (
    <Page narrow>
      <EmptyState
        icon={<Lock />}
        title={props.hadAccess ? "You no longer have access to this workspace" : "Workspace not found"}
        action={
          <>
            <ButtonLink href="/" variant="primary">
              Go to my workspaces
            </ButtonLink>
            <ButtonLink href="/workspace/new" icon={<Plus aria-hidden="true" />}>
              Create workspace
            </ButtonLink>
          </>
        }
      >
        <p>
          {props.hadAccess
            ? "You were removed from it, or it was deleted. Ask one of its owners or admins to invite you again."
            : "It does not exist, or you are not a member of it."}
        </p>
        <Show when={others().length > 0}>
          <p>
            Your workspaces:{" "}
            <For each={others()}>
              {(ws, i) => (
                <>
                  <A href={`/${ws.slug}`}>{ws.name}</A>
                  {i() < others().length - 1 ? ", " : ""}
                </>
              )}
            </For>
          </p>
        </Show>
      </EmptyState>
    </Page>
  );
}
