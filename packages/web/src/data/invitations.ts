/**
 * The signed-in person's pending invitations (docs/api.md, "Invitations"), shared by the
 * invitations page and the notice in the top frame. Joining a workspace is always the
 * invitee's choice: accept or decline.
 */
import { queryOptions, useQueryClient, type QueryClient } from "@tanstack/solid-query";
import { api, type PendingInvitation } from "../lib/api";
import { keys } from "./keys";
import { useQuery } from "./query";
import { refreshMe } from "./session";

export const pendingInvitationsQuery = () =>
  queryOptions({
    queryKey: keys.myInvitations(),
    queryFn: ({ signal }) => api.myInvitations.list(signal),
    staleTime: 10_000,
  });

export function usePendingInvitations() {
  return useQuery(pendingInvitationsQuery);
}

/** Loads the pending invitations afresh (after sign-in); undefined when it fails. */
export function fetchPendingInvitations(client: QueryClient): Promise<PendingInvitation[] | undefined> {
  return client.fetchQuery({ ...pendingInvitationsQuery(), staleTime: 0 }).catch(() => undefined);
}

function forget(client: QueryClient, id: string) {
  client.setQueryData(keys.myInvitations(), (list: PendingInvitation[] | undefined) => list?.filter((i) => i.id !== id));
}

/** Accept or decline; an answered invitation leaves the list at once, and joining reloads `/api/me`. */
export function useInvitationActions() {
  const client = useQueryClient();
  const settle = (id: string) => {
    forget(client, id);
    void client.invalidateQueries({ queryKey: keys.myInvitations() });
  };
  return {
    accept: async (id: string) => {
      const result = await api.myInvitations.accept(id).catch((err: unknown) => {
        void client.invalidateQueries({ queryKey: keys.myInvitations() });
        throw err;
      });
      settle(id);
      await refreshMe(client);
      return result;
    },
    decline: async (id: string) => {
      const result = await api.myInvitations.decline(id).catch((err: unknown) => {
        void client.invalidateQueries({ queryKey: keys.myInvitations() });
        throw err;
      });
      settle(id);
      return result;
    },
  };
}
