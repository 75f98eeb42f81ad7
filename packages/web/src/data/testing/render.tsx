/** Renders a data hook with its own query client (`renderHook` of @solidjs/testing-library). */
import { QueryClientProvider, type QueryClient } from "@tanstack/solid-query";
import { renderHook } from "@solidjs/testing-library";
import type { JSX } from "solid-js";
import { createQueryClient } from "../query";

export function renderData<R>(hook: () => R, client: QueryClient = createQueryClient()) {
  const wrapper = (props: { children: JSX.Element }) => <QueryClientProvider client={client}>{props.children}</QueryClientProvider>;
  const rendered = renderHook(hook, { wrapper });
  return { ...rendered, client };
}
