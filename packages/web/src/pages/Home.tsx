/**
 * `/`: opens the last workspace used (or the only one), sends a person without any
 * workspace to create one, and lets someone with several choose.
 */
import { A, useNavigate } from "@solidjs/router";
import ArrowRight from "lucide-solid/icons/arrow-right";
import Plus from "lucide-solid/icons/plus";
import { For, Match, Switch, createEffect, createMemo, onMount } from "solid-js";
import { RoleBadge } from "../components/RoleBadge";
import { ButtonLink } from "../components/Button";
import { Page, PageHeader } from "../components/Page";
import { SkeletonRows } from "../components/Skeleton";
import { pickWorkspace, useMe, useSession } from "../data/session";
import styles from "./Home.module.css";

export default function Home() {
  const navigate = useNavigate();
  const meQuery = useMe();
  const me = () => meQuery.data;
  const session = useSession();
  onMount(() => void session.refresh());
  const choice = createMemo(() => {
    const value = me();
    return value ? pickWorkspace(value) : undefined;
  });

  createEffect(() => {
    const c = choice();
    if (c === "new") navigate("/workspace/new", { replace: true });
    else if (c && c !== "choose") navigate(`/${c.slug}`, { replace: true });
  });

  return (
    <Page narrow>
      <Switch fallback={<SkeletonRows rows={3} columns={2} label="Loading your workspaces" />}>
        <Match when={choice() === "choose"}>
          <PageHeader
            title="Choose a workspace"
            description="You belong to several workspaces. Pick one; you can switch at any time from the top bar."
          />
          <ul class={styles.list} aria-label="Your workspaces">
            <For each={me()?.workspaces ?? []}>
              {(ws) => (
                <li>
                  <A href={`/${ws.slug}`} class={styles.item}>
                    <span class={styles.mark} aria-hidden="true">
                      {ws.name.trim()[0] ?? "?"}
                    </span>
                    <span class={styles.name}>
                      {ws.name}
                      <span class={styles.slug}>/{ws.slug}</span>
                    </span>
                    <RoleBadge role={ws.role} />
                    <ArrowRight class={styles.arrow} aria-hidden="true" />
                  </A>
                </li>
              )}
            </For>
          </ul>
          <div>
            <ButtonLink href="/workspace/new" icon={<Plus aria-hidden="true" />}>
              Create workspace
            </ButtonLink>
          </div>
        </Match>
      </Switch>
    </Page>
  );
}
