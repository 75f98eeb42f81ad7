import { A } from "@solidjs/router";
import Check from "lucide-solid/icons/check";
import { Show, createContext, createSignal, createUniqueId, onCleanup, useContext, type JSX } from "solid-js";
import { cx } from "../lib/cx";
import styles from "./Menu.module.css";

interface MenuContextValue {
  close: (refocus?: boolean) => void;
}

const MenuContext = createContext<MenuContextValue>();

export interface MenuProps {
  /** Content of the trigger button. */
  trigger: JSX.Element;
  /** Accessible name of the trigger when its content is not enough. */
  triggerLabel?: string;
  triggerClass?: string;
  /** Accessible name of the menu. */
  label: string;
  align?: "start" | "end";
  /** Called when the menu opens (for example to refresh what it lists). */
  onOpen?: () => void;
  children: JSX.Element;
}

const ITEM = "[role^='menuitem']:not([disabled]):not([aria-disabled='true'])";

/**
 * A dropdown menu (button + role="menu"): arrow keys, Home/End, Escape and Tab work;
 * a click outside closes it.
 */
export function Menu(props: MenuProps) {
  const [open, setOpen] = createSignal(false);
  const id = `menu-${createUniqueId()}`;
  let root!: HTMLDivElement;
  let trigger!: HTMLButtonElement;
  let menu: HTMLDivElement | undefined;

  const items = () => (menu ? Array.from(menu.querySelectorAll<HTMLElement>(ITEM)) : []);

  const onPointerDown = (e: PointerEvent) => {
    if (!root.contains(e.target as Node)) close(false);
  };

  const show = (focus: "first" | "last" | null) => {
    if (!open()) {
      setOpen(true);
      props.onOpen?.();
      document.addEventListener("pointerdown", onPointerDown, true);
    }
    queueMicrotask(() => {
      const list = items();
      const target = focus === "last" ? list[list.length - 1] : list[0];
      (target ?? menu)?.focus();
    });
  };

  function close(refocus = true) {
    if (!open()) return;
    setOpen(false);
    document.removeEventListener("pointerdown", onPointerDown, true);
    if (refocus) trigger.focus();
  }

  onCleanup(() => document.removeEventListener("pointerdown", onPointerDown, true));

  const move = (delta: number | "first" | "last") => {
    const list = items();
    if (list.length === 0) return;
    const current = list.indexOf(document.activeElement as HTMLElement);
    let next: number;
    if (delta === "first") next = 0;
    else if (delta === "last") next = list.length - 1;
    else next = (current + delta + list.length) % list.length;
    list[next]?.focus();
  };

  const onMenuKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        move(1);
        break;
      case "ArrowUp":
        e.preventDefault();
        move(-1);
        break;
      case "Home":
        e.preventDefault();
        move("first");
        break;
      case "End":
        e.preventDefault();
        move("last");
        break;
      case "Escape":
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case "Tab":
        close(false);
        break;
    }
  };

  return (
    <MenuContext.Provider value={{ close }}>
      <div class={styles.root} ref={root}>
        <button
          ref={trigger}
          type="button"
          class={cx(styles.trigger, props.triggerClass)}
          aria-haspopup="menu"
          aria-expanded={open()}
          aria-controls={open() ? id : undefined}
          aria-label={props.triggerLabel}
          onClick={() => (open() ? close(false) : show("first"))}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              show("first");
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              show("last");
            }
          }}
        >
          {props.trigger}
        </button>
        <Show when={open()}>
          <div
            ref={menu}
            id={id}
            role="menu"
            aria-label={props.label}
            tabIndex={-1}
            class={cx(styles.menu, props.align === "end" ? styles.end : styles.start)}
            onKeyDown={onMenuKeyDown}
          >
            {props.children}
          </div>
        </Show>
      </div>
    </MenuContext.Provider>
  );
}

function useMenu(): MenuContextValue {
  return useContext(MenuContext) ?? { close: () => {} };
}

export interface MenuItemProps {
  icon?: JSX.Element;
  children: JSX.Element;
  onSelect?: () => void;
  /** Makes the item a link. */
  href?: string;
  danger?: boolean;
  disabled?: boolean;
  /** Marks the current choice (the open workspace) with a check. */
  current?: boolean;
}

export function MenuItem(props: MenuItemProps) {
  const menu = useMenu();
  return (
    <Show
      when={props.href}
      fallback={
        <button
          type="button"
          role="menuitem"
          tabIndex={-1}
          class={cx(styles.item, props.danger && styles.danger)}
          disabled={props.disabled}
          onClick={() => {
            menu.close(false);
            props.onSelect?.();
          }}
        >
          {props.icon}
          <span class={styles.itemLabel}>{props.children}</span>
          <Show when={props.current}>
            <span class={styles.check} aria-hidden="true">
              <Check />
            </span>
          </Show>
        </button>
      }
    >
      {(href) => (
        <A
          href={href()}
          role="menuitem"
          tabIndex={-1}
          aria-current={props.current ? "page" : undefined}
          class={cx(styles.item, props.danger && styles.danger)}
          onClick={() => {
            menu.close(false);
            props.onSelect?.();
          }}
        >
          {props.icon}
          <span class={styles.itemLabel}>{props.children}</span>
          <Show when={props.current}>
            <span class={styles.check} aria-hidden="true">
              <Check />
            </span>
          </Show>
        </A>
      )}
    </Show>
  );
}

/** One choice of a set (theme), with a check mark on the chosen one. */
export function MenuRadioItem(props: { checked: boolean; onSelect: () => void; icon?: JSX.Element; children: JSX.Element }) {
  const menu = useMenu();
  return (
    <button
      type="button"
      role="menuitemradio"
      aria-checked={props.checked}
      tabIndex={-1}
      class={styles.item}
      onClick={() => {
        menu.close(false);
        props.onSelect();
      }}
    >
      {props.icon}
      <span class={styles.itemLabel}>{props.children}</span>
      <span class={styles.check} aria-hidden="true">
        <Show when={props.checked}>
          <Check />
        </Show>
      </span>
    </button>
  );
}

export function MenuGroupLabel(props: { children: JSX.Element }) {
  return (
    <div class={styles.group} role="presentation">
      {props.children}
    </div>
  );
}

export function MenuSeparator() {
  return <hr class={styles.separator} role="separator" />;
}

export { styles as menuStyles };
