/**
 * Invoking a function from the console, replaying a console invocation (its event is
 * kept), the function's recent console invocations (what can be replayed), and the
 * workspace's saved payloads (usable from any function).
 */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/solid-query";
import type { Accessor } from "solid-js";
import { client, encode, read, type Data } from "../lib/api";
import { keys } from "./keys";
import { useQuery } from "./query";

const w = client.api.workspaces[":workspace"];
const ws = (workspace: string) => encode({ workspace });
const opts = (signal?: AbortSignal) => (signal ? { init: { signal } } : undefined);

/** The answer of `POST /functions/:function/invoke`. */
export type InvokeResult = Data<(typeof w.functions)[":function"]["invoke"]["$post"]>;
/** A named payload of the workspace. */
export type SavedPayload = Data<typeof w.payloads.$get>[number];
/** An invocation made from the console (its event is known). */
export type ConsoleInvocation = Data<(typeof w.functions)[":function"]["invocations"]["$get"]>["invocations"][number];

/** Either an event, or the id (or request id) of a console invocation to send its event again. */
export type InvokeInput = { payload: unknown } | { replay: string };

export const invokeApi = {
  invoke: (workspace: string, fn: string, input: InvokeInput) =>
    read(w.functions[":function"].invoke.$post({ param: encode({ workspace, function: fn }), json: input as { payload?: unknown; replay?: string } })),
  invocations: (workspace: string, fn: string, signal?: AbortSignal) =>
    read(w.functions[":function"].invocations.$get({ param: encode({ workspace, function: fn }), query: { limit: "100" } }, opts(signal))),
  payloads: (workspace: string, signal?: AbortSignal) => read(w.payloads.$get({ param: ws(workspace) }, opts(signal))),
  createPayload: (workspace: string, input: { name: string; payload: unknown }) => read(w.payloads.$post({ param: ws(workspace), json: input })),
  updatePayload: (workspace: string, payload: string, input: { name?: string; payload?: unknown }) =>
    read(w.payloads[":payload"].$patch({ param: encode({ workspace, payload }), json: input })),
  removePayload: (workspace: string, payload: string) => read(w.payloads[":payload"].$delete({ param: encode({ workspace, payload }) })),
};

const invokeKeys = keys.invoke;

export const payloadsQuery = (ws: string) =>
  queryOptions({
    queryKey: invokeKeys.payloads(ws),
    queryFn: ({ signal }) => invokeApi.payloads(ws, signal),
    staleTime: 30_000,
  });

export function usePayloads(ws: Accessor<string>) {
  return useQuery(() => payloadsQuery(ws()));
}

/** The function's recent console invocations: their request ids can be replayed. */
export function useConsoleInvocations(ws: Accessor<string>, fn: Accessor<string>) {
  return useQuery(() => ({
    queryKey: invokeKeys.invocations(ws(), fn()),
    queryFn: ({ signal }: { signal: AbortSignal }) => invokeApi.invocations(ws(), fn(), signal),
    staleTime: 30_000,
  }));
}

/** Invokes (or replays); the console invocations reload after each. */
export function useInvoke(ws: Accessor<string>, fn: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (input: InvokeInput) => invokeApi.invoke(ws(), fn(), input),
    onSettled: () => client.invalidateQueries({ queryKey: invokeKeys.invocations(ws(), fn()) }),
  }));
}

/** Save, rename, change and delete saved payloads; the list reloads after each. */
export function usePayloadMutations(ws: Accessor<string>) {
  const client = useQueryClient();
  const settle = () => client.invalidateQueries({ queryKey: invokeKeys.payloads(ws()) });
  const create = useMutation(() => ({
    mutationFn: (input: { name: string; payload: unknown }) => invokeApi.createPayload(ws(), input),
    onSettled: settle,
  }));
  const update = useMutation(() => ({
    mutationFn: (input: { id: string; name?: string; payload?: unknown }) => invokeApi.updatePayload(ws(), input.id, { name: input.name, payload: input.payload }),
    onSettled: settle,
  }));
  const remove = useMutation(() => ({
    mutationFn: (id: string) => invokeApi.removePayload(ws(), id),
    onSettled: settle,
  }));
  return { create, update, remove };
}

/** The workspace's settings (today: who may invoke functions of non-personal stages). */
export type WorkspaceSettings = Data<typeof w.settings.$get>;
export type InvokeRole = WorkspaceSettings["invokeRole"];

const settingsKey = keys.invoke.settings;

export function useWorkspaceSettings(ws: Accessor<string>) {
  return useQuery(() => ({
    queryKey: settingsKey(ws()),
    queryFn: ({ signal }: { signal: AbortSignal }) => read(w.settings.$get({ param: encode({ workspace: ws() }) }, opts(signal))),
    staleTime: 60_000,
  }));
}

/** Changes the settings (admins); the cached settings take the answer. */
export function useUpdateWorkspaceSettings(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (input: { invokeRole: InvokeRole }) => read(w.settings.$patch({ param: encode({ workspace: ws() }), json: input })),
    onSuccess: (settings: WorkspaceSettings) => client.setQueryData(settingsKey(ws()), settings),
  }));
}
