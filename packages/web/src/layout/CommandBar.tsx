/**
 * Cmd-K / Ctrl-K: a fuzzy list of navigation commands, the workspace's apps, stages and
 * functions, and its issues (searched by type and message on the server as you type).
 * Arrow keys (or Ctrl-N/P) move, Enter runs, Escape closes.
 */
import ArrowRight from "lucide-solid/icons/arrow-right";
import Boxes from "lucide-solid/icons/boxes";
import Bug from "lucide-solid/icons/bug";
import Cloud from "lucide-solid/icons/cloud";
import AppWindow from "lucide-solid/icons/app-window";
import FlaskConical from "lucide-solid/icons/flask-conical";
import LayoutDashboard from "lucide-solid/icons/layout-dashboard";
import LogOut from "lucide-solid/icons/log-out";
import Plus from "lucide-solid/icons/plus";
import Rocket from "lucide-solid/icons/rocket";
import ScrollText from "lucide-solid/icons/scroll-text";
import Search from "lucide-solid/icons/search";
import Settings from "lucide-solid/icons/settings";
import SquareFunction from "lucide-solid/icons/square-function";
import SunMoon from "lucide-solid/icons/sun-moon";
import Users from "lucide-solid/icons/users";
import { For, Show, createEffect, createMemo, createSignal, createUniqueId, on, onCleanup, type JSX } from "solid-js";
import { Dialog } from "../components/Dialog";
import { toast } from "../components/Toast";
import { useQueryClient } from "@tanstack/solid-query";
import { accountsQuery, useConnectDemo } from "../data/accounts";
import { useQuery } from "../data/query";
import { useDemoAvailable, useMe, useSession } from "../data/session";
import { functionNamesQuery, stagesQuery } from "../data/stages";
import { keys } from "../data/keys";
import { api } from "../lib/api";
import { hasDemoAccount } from "../lib/accounts";
import { commandBarOpen, currentStage, currentWorkspace, setCommandBarOpen } from "../lib/current";
import { autodeployPath } from "../lib/autodeploy";
import { fuzzyFilter } from "../lib/fuzzy";
import { signOut } from "../lib/signout";
import { groupByApp, namesakes, stagePath } from "../lib/stages";
import { functionPath } from "../lib/logs";
import { toggleTheme } from "../lib/theme";
import styles from "./CommandBar.module.css";

interface Command {
  id: string;
  label: string;
  group: string;
  icon: () => JSX.Element;
  keywords?: string;
  run: () => void;
}

type Navigate = (to: string, options?: { replace?: boolean }) => void;

export function CommandBar(props: { navigate: Navigate }) {
  const [query, setQuery] = createSignal("");
  const [active, setActive] = createSignal(0);
  const listId = `commands-${createUniqueId()}`;
  let list: HTMLUListElement | undefined;

  const close = () => {
    setCommandBarOpen(false);
    setQuery("");
    setActive(0);
  };

  const client = useQueryClient();
  const me = useMe();
  const session = useSession();
  const demoAvailable = useDemoAvailable();
  const connectDemo = useConnectDemo();
  // The stages (commands to open them) and accounts (is the demo account there?) of the
  // workspace on screen: the pages' cached queries, refreshed when the bar opens.
  const open = () => commandBarOpen() && !!currentWorkspace();
  const stages = useQuery(() => ({ ...stagesQuery(currentWorkspace()?.id ?? ""), enabled: open() }));
  const accounts = useQuery(() => ({ ...accountsQuery(currentWorkspace()?.id ?? ""), enabled: open() }));
  const functions = useQuery(() => ({ ...functionNamesQuery(currentWorkspace()?.id ?? ""), enabled: open() }));
  // Issues are searched on the server (type and message), a moment after typing stops.
  const [searched, setSearched] = createSignal("");
  createEffect(
    on(query, (q) => {
      const timer = setTimeout(() => setSearched(q.trim()), 150);
      onCleanup(() => clearTimeout(timer));
    }),
  );
  const issues = useQuery(() => {
    const ws = currentWorkspace()?.id ?? "";
    return {
      queryKey: [...keys.issues.all(ws), "search", searched()] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) => api.issues.list(ws, { status: "active", q: searched(), limit: 8 }, signal),
      enabled: open() && searched().length >= 2,
      staleTime: 10_000,
    };
  });

  createEffect(
    on(commandBarOpen, (isOpen) => {
      if (isOpen) void session.refresh();
    }),
  );

  const isAdmin = () => {
    const role = currentWorkspace()?.role;
    return role === "owner" || role === "admin";
  };

  const commands = createMemo<Command[]>(() => {
    const go = (to: string) => () => props.navigate(to);
    const ws = currentWorkspace();
    const out: Command[] = [];
    if (ws) {
      const base = `/${ws.slug}`;
      out.push(
        { id: "overview", label: "Go to overview", group: ws.name, icon: () => <LayoutDashboard aria-hidden="true" />, keywords: "home apps stages", run: go(base) },
        { id: "issues", label: "Go to issues", group: ws.name, icon: () => <Bug aria-hidden="true" />, keywords: "errors exceptions problems", run: go(`${base}/issues`) },
        { id: "members", label: "Go to members", group: ws.name, icon: () => <Users aria-hidden="true" />, keywords: "team invite people", run: go(`${base}/settings/members`) },
        { id: "audit", label: "Go to audit log", group: ws.name, icon: () => <ScrollText aria-hidden="true" />, keywords: "history activity", run: go(`${base}/settings/audit`) },
        { id: "accounts", label: "Go to AWS accounts", group: ws.name, icon: () => <Cloud aria-hidden="true" />, keywords: "connect aws", run: go(`${base}/settings/accounts`) },
        { id: "settings", label: "Go to workspace settings", group: ws.name, icon: () => <Settings aria-hidden="true" />, keywords: "general rename slug delete", run: go(`${base}/settings/general`) },
        { id: "alerts", label: "Go to alerts", group: ws.name, icon: () => <Settings aria-hidden="true" />, keywords: "settings notifications slack email webhook", run: go(`${base}/settings/alerts`) },
        { id: "usage", label: "Go to usage and billing", group: ws.name, icon: () => <Settings aria-hidden="true" />, keywords: "settings billing plan invoices", run: go(`${base}/settings/usage`) },
      );
      const here = currentStage();
      if (here) {
        out.unshift({
          id: "stage-issues",
          label: `Issues of ${here.stage.name}`,
          group: `${here.stage.app} / ${here.stage.name}`,
          icon: () => <Bug aria-hidden="true" />,
          keywords: `errors stage ${here.stage.app} ${here.stage.region}`,
          run: go(here.issuesPath),
        });
      }
      if (isAdmin()) {
        out.push({ id: "connect", label: "Connect an AWS account", group: ws.name, icon: () => <Plus aria-hidden="true" />, keywords: "aws add cloudformation stack", run: go(`${base}/settings/accounts?connect=1`) });
        const demoThere = hasDemoAccount(accounts.data);
        if (demoAvailable() && !demoThere) {
          out.push({
            id: "demo",
            label: "Connect demo account",
            group: ws.name,
            icon: () => <FlaskConical aria-hidden="true" />,
            keywords: "aws emulated sample try",
            run: () => {
              toast.info("Connecting the demo account…");
              connectDemo.mutateAsync(ws.id).then(
                () => {
                  toast.success("Demo account connected. Console is scanning it for apps…");
                  props.navigate(base);
                },
                (err: unknown) => toast.error(err),
              );
            },
          });
        }
      }
      const list = stages.data;
      if (list) {
        for (const group of groupByApp(list)) {
          out.push({
            id: `app-${group.appId}`,
            label: `Go to app ${group.app}`,
            group: "Apps",
            icon: () => <AppWindow aria-hidden="true" />,
            keywords: `app ${group.stages.map((s) => s.name).join(" ")}`,
            run: go(`${base}/app/${encodeURIComponent(group.app)}`),
          });
          out.push({
            id: `autodeploy-${group.appId}`,
            label: `Autodeploy of ${group.app}`,
            group: "Apps",
            icon: () => <Rocket aria-hidden="true" />,
            keywords: `runs deploys git github push repository targets ${group.app}`,
            run: go(autodeployPath(ws.slug, group.app)),
          });
        }
        for (const stage of groupByApp(list).flatMap((g) => g.stages)) {
          const ambiguous = namesakes(stage, list).length > 1;
          out.push({
            id: `stage-${stage.id}`,
            label: `Go to ${stage.app} / ${stage.name}${ambiguous ? ` (${stage.region})` : ""}`,
            group: stage.personal ? "Personal stages" : "Stages",
            icon: () => <Boxes aria-hidden="true" />,
            keywords: `app stage ${stage.region} ${stage.accountId ?? ""}`,
            run: go(stagePath(ws.slug, stage, list)),
          });
        }
        const byId = new Map(list.map((stage) => [stage.id, stage]));
        for (const fn of functions.data ?? []) {
          const stage = byId.get(fn.stageId);
          if (!stage) continue;
          const path = stagePath(ws.slug, stage, list);
          out.push({
            id: `fn-${fn.id}`,
            label: `${fn.component} (${stage.app} / ${stage.name})`,
            group: "Functions",
            icon: () => <SquareFunction aria-hidden="true" />,
            keywords: `function lambda ${fn.name}`,
            run: go(`${path}${path.includes("?") ? "&" : "?"}fn=${encodeURIComponent(fn.id)}`),
          });
          out.push({
            id: `fn-logs-${fn.id}`,
            label: `Logs of ${fn.component} (${stage.app} / ${stage.name})`,
            group: "Function logs",
            icon: () => <ScrollText aria-hidden="true" />,
            keywords: `logs invoke tail live ${fn.name}`,
            run: go(functionPath(ws.slug, stage, list, fn.id)),
          });
        }
      }
    }
    for (const w of me.data?.workspaces ?? []) {
      if (w.id === ws?.id) continue;
      out.push({
        id: `switch-${w.id}`,
        label: `Switch to ${w.name}`,
        group: "Workspaces",
        icon: () => <ArrowRight aria-hidden="true" />,
        keywords: `workspace ${w.slug}`,
        run: go(`/${w.slug}`),
      });
    }
    out.push(
      { id: "create", label: "Create workspace", group: "Workspaces", icon: () => <Plus aria-hidden="true" />, keywords: "new workspace", run: go("/workspace/new") },
      { id: "theme", label: "Toggle theme", group: "Preferences", icon: () => <SunMoon aria-hidden="true" />, keywords: "dark light mode", run: toggleTheme },
      { id: "signout", label: "Sign out", group: "Account", icon: () => <LogOut aria-hidden="true" />, keywords: "log out logout", run: () => void signOut(client, props.navigate) },
    );
    return out;
  });

  /** Issues the server found for the words typed (they match by word, in any order). */
  const issueCommands = createMemo<Command[]>(() => {
    const ws = currentWorkspace();
    if (!ws || query().trim().length < 2) return [];
    return (issues.data?.issues ?? []).map((issue) => ({
      id: `issue-${issue.id}`,
      label: `${issue.type}: ${issue.message}`,
      group: `Issue · ${issue.app} / ${issue.stage}`,
      icon: () => <Bug aria-hidden="true" />,
      run: go(`/${ws.slug}/issues/${issue.id}`),
    }));
  });

  const go = (to: string) => () => props.navigate(to);

  const results = createMemo(() => [
    ...fuzzyFilter(commands(), query(), (c) => `${c.label} ${c.keywords ?? ""}`),
    ...issueCommands(),
  ]);

  createEffect(on(query, () => setActive(0)));

  const optionId = (index: number) => `${listId}-${index}`;

  const run = (command: Command | undefined) => {
    if (!command) return;
    close();
    command.run();
  };

  const move = (delta: number) => {
    const count = results().length;
    if (count === 0) return;
    const next = (active() + delta + count) % count;
    setActive(next);
    list?.querySelector(`#${CSS.escape(optionId(next))}`)?.scrollIntoView({ block: "nearest" });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || (e.ctrlKey && e.key === "n")) {
      e.preventDefault();
      move(1);
    } else if (e.key === "ArrowUp" || (e.ctrlKey && e.key === "p")) {
      e.preventDefault();
      move(-1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      run(results()[active()]);
    }
  };

  return (
    <Dialog open={commandBarOpen()} onClose={close} title="Command bar" bare flush placement="top" size="lg">
      <div>
        <div class={styles.inputRow}>
          <Search aria-hidden="true" />
          <input
            class={styles.input}
            role="combobox"
            aria-label="Type a command or search"
            aria-expanded="true"
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={results().length > 0 ? optionId(active()) : undefined}
            placeholder="Type a command or search…"
            value={query()}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={onKeyDown}
            autofocus
            autocomplete="off"
            spellcheck={false}
          />
        </div>
        <ul ref={list} id={listId} class={styles.list} role="listbox" aria-label="Commands">
          <For each={results()}>
            {(command, index) => (
              <li
                id={optionId(index())}
                role="option"
                aria-selected={index() === active()}
                class={styles.option}
                onMouseMove={() => setActive(index())}
                onClick={() => run(command)}
              >
                {command.icon()}
                <span class={styles.label}>{command.label}</span>
                <span class={styles.group}>{command.group}</span>
              </li>
            )}
          </For>
        </ul>
        <Show when={results().length === 0}>
          <p class={styles.empty}>No command matches “{query()}”.</p>
        </Show>
        <div class={styles.footer} aria-hidden="true">
          <span>
            <kbd class={styles.kbd}>↑</kbd> <kbd class={styles.kbd}>↓</kbd> to move
          </span>
          <span>
            <kbd class={styles.kbd}>Enter</kbd> to run
          </span>
          <span>
            <kbd class={styles.kbd}>Esc</kbd> to close
          </span>
        </div>
      </div>
    </Dialog>
  );
}
