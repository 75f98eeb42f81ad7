/**
 * The signed-in frame: top bar (workspace switcher, breadcrumbs, command bar, account
 * menu) over the page. Loads `/api/me` first; a 401 sends the user to sign in.
 */
import { A, useLocation, useNavigate, type RouteSectionProps } from "@solidjs/router";
import Bug from "lucide-solid/icons/bug";
import LayoutDashboard from "lucide-solid/icons/layout-dashboard";
import Settings from "lucide-solid/icons/settings";
import Search from "lucide-solid/icons/search";
import SquareTerminal from "lucide-solid/icons/square-terminal";
import { For, Match, Show, Switch, onCleanup, onMount } from "solid-js";
import { ErrorState } from "../components/ErrorState";
import { InvitationsNotice } from "../components/InvitationsNotice";
import { Page } from "../components/Page";
import { crumbs } from "../lib/breadcrumbs";
import { currentWorkspace, setCommandBarOpen } from "../lib/current";
import { useMe } from "../data/session";
import { AccountMenu } from "./AccountMenu";
import { CommandBar } from "./CommandBar";
import { PageSkeleton } from "./PageSkeleton";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";
import LocalIndicator from "../pages/local/LocalIndicator";
import styles from "./Shell.module.css";

const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export default function Shell(props: RouteSectionProps) {
  const navigate = useNavigate();
  const me = useMe();
  const location = useLocation();
  /** The workspace section on screen (Issues and Settings are current on the pages below them too). */
  const section = () => {
    const ws = currentWorkspace();
    if (!ws) return undefined;
    const rest = location.pathname.slice(`/${ws.slug}`.length);
    if (rest.startsWith("/settings")) return "settings";
    if (rest.startsWith("/issues")) return "issues";
    if (rest === "" || rest === "/") return "overview";
    return undefined;
  };

  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setCommandBarOpen((open) => !open);
      }
    };
    // `/api/me` reloads by itself when the tab comes back (a query: src/data/session.ts).
    window.addEventListener("keydown", onKey);
    onCleanup(() => window.removeEventListener("keydown", onKey));
  });

  return (
    <div class={styles.shell}>
      <header class={styles.topbar}>
        <A href="/" class={styles.logo} aria-label="Console home">
          <span class={styles.logoMark} aria-hidden="true">
            <SquareTerminal />
          </span>
        </A>
        <span class={styles.slash} aria-hidden="true">
          /
        </span>
        <WorkspaceSwitcher />
        <Show when={crumbs().length > 0}>
          <nav class={styles.crumbs} aria-label="Breadcrumb">
            <ol>
              <For each={crumbs()}>
                {(crumb, index) => (
                  <li>
                    <span class={styles.slash} aria-hidden="true">
                      /
                    </span>
                    <Show
                      when={crumb.href && index() < crumbs().length - 1}
                      fallback={<span aria-current={index() === crumbs().length - 1 ? "page" : undefined}>{crumb.label}</span>}
                    >
                      <A href={crumb.href ?? "/"}>{crumb.label}</A>
                    </Show>
                  </li>
                )}
              </For>
            </ol>
          </nav>
        </Show>
        <div class={styles.spacer} />
        <Show when={currentWorkspace()}>
          {(ws) => (
            <nav class={styles.wsNav} aria-label="Workspace">
              <A href={`/${ws().slug}`} end class={styles.navLink} title="Overview" aria-current={section() === "overview" ? "page" : undefined}>
                <LayoutDashboard aria-hidden="true" />
                <span class={styles.navLabel}>Overview</span>
              </A>
              <A href={`/${ws().slug}/issues`} class={styles.navLink} title="Issues" aria-current={section() === "issues" ? "page" : undefined}>
                <Bug aria-hidden="true" />
                <span class={styles.navLabel}>Issues</span>
              </A>
              <A href={`/${ws().slug}/settings`} class={styles.navLink} title="Settings" aria-current={section() === "settings" ? "page" : undefined}>
                <Settings aria-hidden="true" />
                <span class={styles.navLabel}>Settings</span>
              </A>
            </nav>
          )}
        </Show>
        <LocalIndicator />
        <button
          type="button"
          class={styles.search}
          onClick={() => setCommandBarOpen(true)}
          aria-keyshortcuts={isMac ? "Meta+K" : "Control+K"}
          aria-label="Open command bar"
        >
          <Search aria-hidden="true" />
          <span class={styles.searchLabel}>Jump to…</span>
          <kbd class={styles.kbd}>{isMac ? "⌘K" : "Ctrl K"}</kbd>
        </button>
        <AccountMenu />
      </header>
      <main class={styles.main} id="main">
        <Switch fallback={<PageSkeleton />}>
          <Match when={me.data}>
            <InvitationsNotice />
            {props.children}
          </Match>
          <Match when={me.error && me.error.status !== 401}>
            <Page>
              <ErrorState title="Could not load your account" error={me.error} onRetry={() => me.refetch()} />
            </Page>
          </Match>
        </Switch>
      </main>
      <CommandBar navigate={navigate} />
    </div>
  );
}
