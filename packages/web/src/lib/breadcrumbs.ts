/** The breadcrumb trail shown in the top bar after the workspace switcher. */
import { createEffect, createSignal, onCleanup } from "solid-js";

export interface Crumb {
  label: string;
  href?: string;
}

const [crumbs, setCrumbs] = createSignal<Crumb[]>([]);
export { crumbs };

/** Sets the trail while the calling component is mounted. */
export function useBreadcrumbs(trail: () => Crumb[]): void {
  let mine: Crumb[] | undefined;
  createEffect(() => {
    mine = trail();
    setCrumbs(mine);
  });
  onCleanup(() => {
    // Another page may already have set its own trail: only clear ours.
    if (crumbs() === mine) setCrumbs([]);
  });
}
