import ChevronsUpDown from "lucide-solid/icons/chevrons-up-down";
import Plus from "lucide-solid/icons/plus";
import { For, Show } from "solid-js";
import { Menu, MenuGroupLabel, MenuItem, MenuSeparator } from "../components/Menu";
import { Skeleton } from "../components/Skeleton";
import { currentWorkspace } from "../lib/current";
import { useMe, useSession } from "../data/session";
import styles from "./Shell.module.css";

export function initial(name: string): string {
  return (name.trim()[0] ?? "?").toUpperCase();
}

/** The workspace switcher: lists the caller's workspaces (refreshed on open). */
export function WorkspaceSwitcher() {
  const current = currentWorkspace;
  const meQuery = useMe();
  const me = () => meQuery.data;
  const session = useSession();
  return (
    <Show when={me()} fallback={<Skeleton width="md" />}>
      <Menu
        label="Workspaces"
        triggerLabel={current() ? `Workspace: ${current()?.name}. Switch workspace` : "Choose a workspace"}
        onOpen={() => void session.refresh()}
        trigger={
          <>
            <Show when={current()} fallback={<span>Choose a workspace</span>}>
              {(ws) => (
                <>
                  <span class={styles.wsMark} aria-hidden="true">
                    {initial(ws().name)}
                  </span>
                  <span class={styles.wsName}>{ws().name}</span>
                </>
              )}
            </Show>
            <ChevronsUpDown class={styles.chevron} aria-hidden="true" />
          </>
        }
      >
        <MenuGroupLabel>Workspaces</MenuGroupLabel>
        <For each={me()?.workspaces ?? []}>
          {(ws) => (
            <MenuItem
              href={`/${ws.slug}`}
              current={current()?.id === ws.id}
              icon={
                <span class={styles.wsMark} aria-hidden="true">
                  {initial(ws.name)}
                </span>
              }
            >
              {ws.name}
            </MenuItem>
          )}
        </For>
        <Show when={(me()?.workspaces.length ?? 0) === 0}>
          <MenuGroupLabel>You are not in any workspace yet.</MenuGroupLabel>
        </Show>
        <MenuSeparator />
        <MenuItem href="/workspace/new" icon={<Plus aria-hidden="true" />}>
          Create workspace
        </MenuItem>
      </Menu>
    </Show>
  );
}
