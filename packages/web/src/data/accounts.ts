/**
 * AWS account connections: the list (polled while one of them is busy: connecting,
 * scanning or disconnecting; one poll however many pages show it), one account, what
 * to deploy, and the actions (rescan and disconnect optimistic, confirming a stack's
 * reported deletion, the demo account).
 */
import { queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/solid-query";
import type { Accessor } from "solid-js";
import { anyBusy } from "../lib/accounts";
import { api, type Account, type TemplateVariant } from "../lib/api";
import { keys } from "./keys";
import { useQuery } from "./query";

export const ACCOUNTS_POLL_MS = 2000;

/** What the stage list depends on: a scan that moves on or ends changes it. */
function scanSignature(accounts: Account[]): string {
  return accounts
    .map((a) => `${a.id}:${a.status}:${a.progress?.stagesFound ?? ""}:${a.progress?.regionsDone ?? ""}:${a.timeScanned ?? ""}`)
    .join("|");
}

/**
 * The accounts of a workspace. A scan that moves on (or ends) changes the stage list: when
 * a load sees that, the stages reload wherever they are shown (once, however many pages
 * show the accounts).
 */
export const accountsQuery = (ws: string) =>
  queryOptions({
    queryKey: keys.accounts.list(ws),
    queryFn: async ({ signal, client }) => {
      const before = client.getQueryData<Account[]>(keys.accounts.list(ws));
      const list = await api.accounts.list(ws, signal);
      if (before && scanSignature(before) !== scanSignature(list)) void client.invalidateQueries({ queryKey: keys.stages.all(ws) });
      return list;
    },
    refetchInterval: (query) => (anyBusy(query.state.data) ? ACCOUNTS_POLL_MS : false),
    reconcile: "id",
  });

/** One connection; `poll` follows it while it connects (the stack reports back by itself). */
export const accountQuery = (ws: string, account: string, poll = false) =>
  queryOptions({
    queryKey: keys.accounts.one(ws, account),
    queryFn: ({ signal }) => api.accounts.get(ws, account, signal),
    refetchInterval: (query) => (poll && query.state.data?.status === "connecting" ? ACCOUNTS_POLL_MS : false),
  });

export const connectInfoQuery = (ws: string, account: string, variant: TemplateVariant) =>
  queryOptions({
    queryKey: keys.accounts.connect(ws, account, variant),
    queryFn: () => api.accounts.connect(ws, account, variant),
    staleTime: Infinity,
  });

/** The accounts of a workspace (polled while one is busy). */
export function useAccounts(ws: Accessor<string>) {
  return useQuery(() => accountsQuery(ws()));
}

function patchAccount(client: QueryClient, ws: string, id: string, update: Partial<Account>) {
  client.setQueryData(accountsQuery(ws).queryKey, (list) => list?.map((a) => (a.id === id ? { ...a, ...update } : a)));
}

/** Rescan: shows the account scanning at once, back as it was if the server says no. */
export function useRescan(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (account: Account) => api.accounts.scan(ws(), account.id),
    onMutate: async (account: Account) => {
      await client.cancelQueries({ queryKey: keys.accounts.list(ws()) });
      const before = client.getQueryData(accountsQuery(ws()).queryKey);
      patchAccount(client, ws(), account.id, { status: "scanning", progress: null });
      return { before };
    },
    onError: (_err, _account, context) => client.setQueryData(accountsQuery(ws()).queryKey, context?.before),
    onSettled: () => client.invalidateQueries({ queryKey: keys.accounts.all(ws()) }),
  }));
}

/** Disconnect (or remove a pending connection): the account shows disconnecting until it is gone. */
export function useDisconnect(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (account: Account) => api.accounts.remove(ws(), account.id),
    onSuccess: (_answer, account) => patchAccount(client, ws(), account.id, { status: "disconnecting", progress: null }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.accounts.all(ws()) }),
  }));
}

/**
 * Confirms that a stack which reported its deletion is gone (the console could not check
 * it itself): the account shows disconnecting until it is gone.
 */
export function useConfirmRemoval(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (account: Account) => api.accounts.confirmRemoval(ws(), account.id),
    onSuccess: (_answer, account) => patchAccount(client, ws(), account.id, { status: "disconnecting", progress: null, timeStackDeleted: null }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.accounts.all(ws()) }),
  }));
}

/** Connects the emulated demo account; every list of accounts shows it and its scan. */
export function useConnectDemo() {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (ws: string) => api.accounts.demo(ws),
    onSuccess: (_account, ws) => client.invalidateQueries({ queryKey: keys.accounts.all(ws) }),
  }));
}

/** The list changed under a dialog (a pending connection created, or its state moved). */
export function invalidateAccounts(client: QueryClient, ws: string) {
  return client.invalidateQueries({ queryKey: keys.accounts.all(ws) });
}
