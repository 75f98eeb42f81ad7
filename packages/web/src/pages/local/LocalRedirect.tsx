/**
 * `/local` and `/local/:app/:stage` (the address SST v3's `sst dev` printed): waits for
 * `sst dev` to say which app and stage it runs (or takes them from the address), finds that
 * stage among the person's workspaces, in the browser (../../data/local.ts), and opens its
 * Local tab; says so when no connected AWS account has it, and how to fix that.
 */
import { A, Navigate, useParams, useSearchParams } from "@solidjs/router";
import Laptop from "lucide-solid/icons/laptop";
import PackageSearch from "lucide-solid/icons/package-search";
import { For, Match, Show, Switch, createEffect, createMemo } from "solid-js";
import { ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { Page } from "../../components/Page";
import { SkeletonRows } from "../../components/Skeleton";
import { useLocalStage } from "../../data/local";
import { useMe } from "../../data/session";
import { useLocal } from "../../lib/local";
import { portFromSearch } from "../../lib/local/connection";
import { stagePath } from "../../lib/stages";
import { LocalHelp } from "./LocalHelp";
import styles from "./Local.module.css";

function decode(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export default function LocalRedirect() {
  const params = useParams();
  const me = useMe();
  const local = useLocal();
  const [search] = useSearchParams();
  // `?_port=N` (what SST v2 printed): look at that port, even when the app was open already.
  createEffect(() => {
    const port = portFromSearch(`?_port=${typeof search._port === "string" ? search._port : ""}`);
    if (port) local.usePort(port);
  });
  const target = createMemo(() => {
    const app = decode(params.app);
    const stage = decode(params.stage);
    if (app && stage) return { app, stage };
    const d = local.dev();
    return d ? { app: d.app, stage: d.stage } : undefined;
  });
  const found = useLocalStage(() => me.data?.workspaces, target);
  const single = () => (!found.loading() && found.matches().length === 1 ? found.matches()[0] : undefined);

  return (
    <Page narrow>
      <Switch>
        <Match when={!target()}>
          <EmptyState icon={<Laptop />} title={local.rounds() > 0 ? "sst dev is not reachable from this browser" : "Looking for sst dev…"}>
            <p>This page opens the stage that sst dev runs on this computer, as soon as it finds it.</p>
            <LocalHelp port={local.port()} />
          </EmptyState>
        </Match>
        <Match when={found.loading()}>
          <SkeletonRows rows={3} columns={2} label="Finding the stage" />
        </Match>
        <Match when={single()}>{(m) => <Navigate href={stagePath(m().workspace.slug, m().stage, m().all, "local")} />}</Match>
        <Match when={found.matches().length > 1}>
          <EmptyState icon={<Laptop />} title={`${target()!.stage} of ${target()!.app} is in several places`}>
            <p>Choose which one to open:</p>
            <ul aria-label="Stages with this name">
              <For each={found.matches()}>
                {(m) => (
                  <li>
                    <A href={stagePath(m.workspace.slug, m.stage, m.all, "local")}>
                      {m.workspace.name} · {m.stage.region} · account {m.stage.accountId ?? "—"}
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </EmptyState>
        </Match>
        <Match when={true}>
          <EmptyState
            icon={<PackageSearch />}
            title="No connected AWS account has this stage"
            action={
              <Show when={me.data?.workspaces[0]}>
                {(w) => (
                  <ButtonLink href={`/${w().slug}/settings/accounts`} variant="primary">
                    AWS accounts
                  </ButtonLink>
                )}
              </Show>
            }
          >
            <p>
              sst dev runs <strong>{target()!.stage}</strong> of <strong>{target()!.app}</strong>, but none of your workspaces has
              that stage.
            </p>
            <ul class={styles.help}>
              <li>Connect the AWS account sst dev deploys to, in a workspace's settings (AWS accounts).</li>
              <li>If it is connected already, rescan it there: a stage that sst dev deployed moments ago appears after the scan.</li>
              <li>If the account is in a workspace you are not a member of, ask its owner to invite you.</li>
            </ul>
            <Show when={found.failed() > 0}>
              <p class={styles.subtle}>The stages of {found.failed()} workspace(s) could not be loaded; reload to try again.</p>
            </Show>
          </EmptyState>
        </Match>
      </Switch>
    </Page>
  );
}
