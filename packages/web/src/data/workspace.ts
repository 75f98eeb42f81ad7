/** A workspace: itself (as the address names it), its members, invitations and audit log. */
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from "@tanstack/solid-query";
import type { Accessor } from "solid-js";
import { api, type Invitation, type Member, type Role, type Workspace } from "../lib/api";
import { keys } from "./keys";
import { useInfiniteQuery, useQuery } from "./query";

/** How often the workspace layout checks that the viewer still belongs to the workspace. */
export const REVALIDATE_MS = 30_000;
export const AUDIT_PAGE = 50;

/** The workspace by slug or id (the address); re-checked every 30 s while the tab is visible. */
export const workspaceQuery = (key: string) =>
  queryOptions({
    queryKey: keys.workspace(key),
    queryFn: ({ signal }) => api.workspaces.get(key, signal),
    refetchInterval: REVALIDATE_MS,
  });

export const membersQuery = (ws: string) =>
  queryOptions({ queryKey: keys.members(ws), queryFn: ({ signal }) => api.members.list(ws, signal), reconcile: "id" });

export const invitationsQuery = (ws: string) =>
  queryOptions({ queryKey: keys.invitations(ws), queryFn: ({ signal }) => api.invitations.list(ws, signal), reconcile: "id" });

export const auditQuery = (ws: string) =>
  infiniteQueryOptions({
    queryKey: keys.audit(ws),
    queryFn: ({ pageParam, signal }) => api.audit.list(ws, pageParam, AUDIT_PAGE, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });

export function useWorkspaceQuery(key: Accessor<string | undefined>) {
  return useQuery(() => ({ ...workspaceQuery(key() ?? ""), enabled: !!key() }));
}

export function useMembers(ws: Accessor<string>) {
  return useQuery(() => membersQuery(ws()));
}

export function useInvitations(ws: Accessor<string>) {
  return useQuery(() => invitationsQuery(ws()));
}

export function useAudit(ws: Accessor<string>, enabled: Accessor<boolean> = () => true) {
  return useInfiniteQuery(() => ({ ...auditQuery(ws()), enabled: enabled() }));
}

/** After a rename: the workspace under its old and new address, without a round trip. */
export function useWorkspaceUpdated() {
  const client = useQueryClient();
  return (before: Workspace, after: Workspace) => {
    for (const key of [before.slug, before.id, after.slug]) client.setQueryData(workspaceQuery(key).queryKey, after);
  };
}

/** Changes a member's role: shown at once, back as it was if the server says no. */
export function useChangeRole(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (input: { member: Member; role: Role }) => api.members.update(ws(), input.member.id, input.role),
    onMutate: async ({ member, role }: { member: Member; role: Role }) => {
      await client.cancelQueries({ queryKey: keys.members(ws()) });
      const before = client.getQueryData(membersQuery(ws()).queryKey);
      client.setQueryData(membersQuery(ws()).queryKey, (list) => list?.map((x) => (x.id === member.id ? { ...x, role } : x)));
      return { before };
    },
    onError: (_err, _input, context) => client.setQueryData(membersQuery(ws()).queryKey, context?.before),
    onSuccess: (updated) => client.setQueryData(membersQuery(ws()).queryKey, (list) => list?.map((x) => (x.id === updated.id ? { ...x, ...updated } : x))),
  }));
}

export function useRemoveMember(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (member: Member) => api.members.remove(ws(), member.id),
    onSuccess: (_answer, member) => client.setQueryData(membersQuery(ws()).queryKey, (list) => list?.filter((x) => x.id !== member.id)),
  }));
}

export function useInvite(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (input: { email: string; role: Role }) => api.members.invite(ws(), input),
    onSuccess: (invitation) =>
      client.setQueryData(invitationsQuery(ws()).queryKey, (list) => [invitation, ...(list ?? []).filter((x) => x.id !== invitation.id)]),
  }));
}

/** Revokes an invitation: gone at once, back if the server says no. */
export function useRevokeInvitation(ws: Accessor<string>) {
  const client = useQueryClient();
  return useMutation(() => ({
    mutationFn: (invitation: Invitation) => api.invitations.revoke(ws(), invitation.id),
    onMutate: async (invitation: Invitation) => {
      await client.cancelQueries({ queryKey: keys.invitations(ws()) });
      const before = client.getQueryData(invitationsQuery(ws()).queryKey);
      client.setQueryData(invitationsQuery(ws()).queryKey, (list) => list?.filter((x) => x.id !== invitation.id));
      return { before };
    },
    onError: (_err, _invitation, context) => client.setQueryData(invitationsQuery(ws()).queryKey, context?.before),
  }));
}
