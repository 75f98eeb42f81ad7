/**
 * Invoking a function from the console, replaying an invocation whose event is known, and
 * the workspace's saved payloads (usable from any function).
 */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/solid-query";
import type { Accessor } from "solid-js";
import { apiFetch, type LogLine } from "../lib/api";
import { useQuery } from "./query";

/** The answer of `POST /functions/:function/invoke`. */
export interface InvokeResult {
  statusCode: number;
  functionError?: string | null;
  response: unknown;
  requestId: string | null;
  logs: LogLine[];
}

/** A named payload of the workspace. */
export interface SavedPayload {
  id: string;
  name: string;
  payload: unknown;
  timeCreated?: string;
  timeUpdated?: string;
}

const base = (workspace: string) => `/api/workspaces/${encodeURIComponent(workspace)}`;

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await apiFetch(path, init);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const invokeApi = {
  invoke: (workspace: string, fn: string, payload: unknown) =>
    json<InvokeResult>(`${base(workspace)}/functions/${encodeURIComponent(fn)}/invoke`, { method: "POST", body: JSON.stringify({ payload }) }),
  payloads: (workspace: string, signal?: AbortSignal) => json<SavedPayload[]>(`${base(workspace)}/payloads`, { signal }),
  createPayload: (workspace: string, input: { name: string; payload: unknown }) =>
    json<SavedPayload>(`${base(workspace)}/payloads`, { method: "POST", body: JSON.stringify(input) }),
  updatePayload: (workspace: string, payload: string, input: { name?: string; payload?: unknown }) =>
    json<SavedPayload>(`${base(workspace)}/payloads/${encodeURIComponent(payload)}`, { method: "PATCH", body: JSON.stringify(input) }),
  removePayload: (workspace: string, payload: string) => json<unknown>(`${base(workspace)}/payloads/${encodeURIComponent(payload)}`, { method: "DELETE" }),
};

export const payloadKeys = {
  all: (ws: string) => ["ws", ws, "payloads"] as const,
};

export const payloadsQuery = (ws: string) =>
  queryOptions({
    queryKey: payloadKeys.all(ws),
    queryFn: ({ signal }) => invokeApi.payloads(ws, signal),
    staleTime: 30_000,
  });

export function usePayloads(ws: Accessor<string>) {
  return useQuery(() => payloadsQuery(ws()));
}

/** Save, rename, change and delete saved payloads; the list reloads after each. */
export function usePayloadMutations(ws: Accessor<string>) {
  const client = useQueryClient();
  const settle = () => client.invalidateQueries({ queryKey: payloadKeys.all(ws()) });
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
