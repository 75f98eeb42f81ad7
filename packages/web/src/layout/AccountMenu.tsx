import { useNavigate } from "@solidjs/router";
import LogOut from "lucide-solid/icons/log-out";
import Monitor from "lucide-solid/icons/monitor";
import Moon from "lucide-solid/icons/moon";
import Sun from "lucide-solid/icons/sun";
import { Menu, MenuGroupLabel, MenuItem, MenuRadioItem, MenuSeparator } from "../components/Menu";
import { useQueryClient } from "@tanstack/solid-query";
import { useMe } from "../data/session";
import { signOut } from "../lib/signout";
import { setThemePreference, themePreference } from "../lib/theme";
import styles from "./Shell.module.css";

/** The account menu: who is signed in, the theme, sign out. */
export function AccountMenu() {
  const navigate = useNavigate();
  const client = useQueryClient();
  const me = useMe();
  const email = () => me.data?.user.email ?? "";
  return (
    <Menu
      label="Account"
      align="end"
      triggerLabel="Account menu"
      triggerClass={styles.accountTrigger}
      trigger={
        <span class={styles.avatar} aria-hidden="true">
          {(email()[0] ?? "?").toUpperCase()}
        </span>
      }
    >
      <MenuGroupLabel>{email() || "Signed in"}</MenuGroupLabel>
      <MenuSeparator />
      <MenuGroupLabel>Theme</MenuGroupLabel>
      <MenuRadioItem
        checked={themePreference() === "system"}
        onSelect={() => setThemePreference("system")}
        icon={<Monitor aria-hidden="true" />}
      >
        System
      </MenuRadioItem>
      <MenuRadioItem
        checked={themePreference() === "light"}
        onSelect={() => setThemePreference("light")}
        icon={<Sun aria-hidden="true" />}
      >
        Light
      </MenuRadioItem>
      <MenuRadioItem
        checked={themePreference() === "dark"}
        onSelect={() => setThemePreference("dark")}
        icon={<Moon aria-hidden="true" />}
      >
        Dark
      </MenuRadioItem>
      <MenuSeparator />
      <MenuItem icon={<LogOut aria-hidden="true" />} onSelect={() => void signOut(client, navigate)}>
        Sign out
      </MenuItem>
    </Menu>
  );
}
