/**
 * Theme choice: system, light or dark, stored in localStorage and applied as
 * `data-theme` on <html> (tokens.css turns that into `color-scheme`).
 */
import { createSignal } from "solid-js";
import { storage } from "./storage";

export type ThemePreference = "system" | "light" | "dark";

const KEY = "console.theme";

function read(): ThemePreference {
  const value = storage.get(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

const media = typeof window !== "undefined" ? window.matchMedia("(prefers-color-scheme: dark)") : null;

const [preference, setPreferenceSignal] = createSignal<ThemePreference>(read());
const [systemDark, setSystemDark] = createSignal(media?.matches ?? false);
media?.addEventListener("change", (e) => setSystemDark(e.matches));

export { preference as themePreference };

/** The theme on screen now. */
export function resolvedTheme(): "light" | "dark" {
  const p = preference();
  if (p !== "system") return p;
  return systemDark() ? "dark" : "light";
}

function apply(p: ThemePreference): void {
  const root = document.documentElement;
  if (p === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", p);
}

export function setThemePreference(p: ThemePreference): void {
  if (p === "system") storage.remove(KEY);
  else storage.set(KEY, p);
  setPreferenceSignal(p);
  apply(p);
}

/** Switches to the other theme than the one on screen. */
export function toggleTheme(): void {
  setThemePreference(resolvedTheme() === "dark" ? "light" : "dark");
}

export function initTheme(): void {
  apply(preference());
}
