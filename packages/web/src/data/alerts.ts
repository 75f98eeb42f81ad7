/** Alerts of a workspace: destinations, rules, deliveries, Slack (Settings → Alerts). */
import { queryOptions, useMutation, useQueryClient } from "@tanstack/solid-query";
import type { Accessor } from "solid-js";
import { client, encode, read, type Data } from "../lib/api";
import { useQuery } from "./query";

const w = client.api.workspaces[":workspace"];
const a = w.alerts;
const ws = (workspace: string) => encode({ workspace });
const opts = (signal?: AbortSignal) => (signal ? { init: { signal } } : undefined);

/** The answer of the destination routes (docs/api.md, Alerts). */
export type Destination = Data<typeof a.destinations.$get>[number];
export type CreatedDestination = Data<typeof a.destinations.$post>;
export type Rule = Data<(typeof a.rules)[":rule"]["$get"]>;
export type Delivery = Data<typeof a.deliveries.$get>[number];
export type SlackStatus = Data<typeof a.slack.$get>;
export type SlackChannel = Data<typeof a.slack.channels.$get>[number];
export type TestResult = Data<(typeof a.destinations)[":destination"]["test"]["$post"]>;
export type AlertEvent = Rule["events"][number];
export type NewDestination = Parameters<typeof a.destinations.$post>[0]["json"];
export type NewRule = Parameters<typeof a.rules.$post>[0]["json"];

export const alertsApi = {
  destinations: (workspace: string, signal?: AbortSignal) => read(a.destinations.$get({ param: ws(workspace) }, opts(signal))),
  createDestination: (workspace: string, json: NewDestination) => read(a.destinations.$post({ param: ws(workspace), json })),
  removeDestination: (workspace: string, destination: string) => read(a.destinations[":destination"].$delete({ param: encode({ workspace, destination }) })),
  test: (workspace: string, destination: string) => read(a.destinations[":destination"].test.$post({ param: encode({ workspace, destination }) })),
  rotate: (workspace: string, destination: string) =>
    read(a.destinations[":destination"]["rotate-secret"].$post({ param: encode({ workspace, destination }) })),
  rules: (workspace: string, signal?: AbortSignal) => read(a.rules.$get({ param: ws(workspace) }, opts(signal))),
  createRule: (workspace: string, json: NewRule) => read(a.rules.$post({ param: ws(workspace), json })),
  updateRule: (workspace: string, rule: string, json: { enabled?: boolean }) => read(a.rules[":rule"].$patch({ param: encode({ workspace, rule }), json })),
  removeRule: (workspace: string, rule: string) => read(a.rules[":rule"].$delete({ param: encode({ workspace, rule }) })),
  deliveries: (workspace: string, signal?: AbortSignal) => read(a.deliveries.$get({ param: ws(workspace), query: { limit: "50" } }, opts(signal))),
  slack: (workspace: string, signal?: AbortSignal) => read(a.slack.$get({ param: ws(workspace) }, opts(signal))),
  slackChannels: (workspace: string, signal?: AbortSignal) => read(a.slack.channels.$get({ param: ws(workspace) }, opts(signal))),
  slackInstall: (workspace: string) => read(a.slack.install.$post({ param: ws(workspace) })),
  slackDisconnect: (workspace: string) => read(a.slack.$delete({ param: ws(workspace) })),
};

const key = (workspace: string, what: string) => ["alerts", workspace, what] as const;

export function useDestinations(workspace: Accessor<string>) {
  return useQuery(() => queryOptions({ queryKey: key(workspace(), "destinations"), queryFn: ({ signal }) => alertsApi.destinations(workspace(), signal), reconcile: "id" }));
}
export function useRules(workspace: Accessor<string>) {
  return useQuery(() => queryOptions({ queryKey: key(workspace(), "rules"), queryFn: ({ signal }) => alertsApi.rules(workspace(), signal), reconcile: "id" }));
}
export function useDeliveries(workspace: Accessor<string>) {
  return useQuery(() => queryOptions({ queryKey: key(workspace(), "deliveries"), queryFn: ({ signal }) => alertsApi.deliveries(workspace(), signal), reconcile: "id", refetchInterval: 15_000 }));
}
export function useSlack(workspace: Accessor<string>) {
  return useQuery(() => queryOptions({ queryKey: key(workspace(), "slack"), queryFn: ({ signal }) => alertsApi.slack(workspace(), signal) }));
}
export function useSlackChannels(workspace: Accessor<string>, enabled: Accessor<boolean>) {
  return useQuery(() => ({ ...queryOptions({ queryKey: key(workspace(), "slack-channels"), queryFn: ({ signal }) => alertsApi.slackChannels(workspace(), signal) }), enabled: enabled() }));
}

/** Runs `fn`, then refreshes every alerts query of the workspace. */
export function useAlertsMutation<I, O>(workspace: Accessor<string>, fn: (workspace: string, input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation(() => ({
    mutationFn: (input: I) => fn(workspace(), input),
    onSettled: () => qc.invalidateQueries({ queryKey: ["alerts", workspace()] }),
  }));
}
