import { A, type RouteSectionProps } from "@solidjs/router";
import Bell from "lucide-solid/icons/bell";
import Cloud from "lucide-solid/icons/cloud";
import CreditCard from "lucide-solid/icons/credit-card";
import ScrollText from "lucide-solid/icons/scroll-text";
import SlidersHorizontal from "lucide-solid/icons/sliders-horizontal";
import Users from "lucide-solid/icons/users";
import { For, Show, type JSX } from "solid-js";
import { Badge } from "../components/Badge";
import { useWorkspace } from "./workspace-context";
import styles from "./SettingsLayout.module.css";

interface NavItem {
  path: string;
  label: string;
  icon: () => JSX.Element;
  /** Not built yet: a link to a page saying what is coming, marked "Soon". */
  soon?: boolean;
}

const items: NavItem[] = [
  { path: "general", label: "General", icon: () => <SlidersHorizontal aria-hidden="true" /> },
  { path: "accounts", label: "AWS accounts", icon: () => <Cloud aria-hidden="true" /> },
  { path: "members", label: "Members", icon: () => <Users aria-hidden="true" /> },
  { path: "alerts", label: "Alerts", icon: () => <Bell aria-hidden="true" /> },
  { path: "usage", label: "Usage & billing", icon: () => <CreditCard aria-hidden="true" />, soon: true },
  { path: "audit", label: "Audit log", icon: () => <ScrollText aria-hidden="true" /> },
];

/** Settings: side navigation and the chosen section. */
export default function SettingsLayout(props: RouteSectionProps) {
  const { workspace } = useWorkspace();
  return (
    <div class={styles.layout}>
      <nav class={styles.nav} aria-label="Settings">
        <h2 class={styles.heading}>Settings</h2>
        <ul>
          <For each={items}>
            {(item) => (
              <li>
                <A href={`/${workspace().slug}/settings/${item.path}`} class={styles.item}>
                  {item.icon()}
                  <span class={styles.label}>{item.label}</span>
                  <Show when={item.soon}>
                    <span class={styles.soon}>
                      <Badge>Soon</Badge>
                    </span>
                  </Show>
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
      <div class={styles.content}>{props.children}</div>
    </div>
  );
}
