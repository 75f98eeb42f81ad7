/**
 * Above every workspace page while the workspace must subscribe (over the free tier) or pay
 * (past due): the server refuses issues and logs meanwhile (402), and nothing is lost.
 * Owners and admins get the way to fix it; members are told whom to ask.
 */
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { Banner } from "../components/Banner";
import { useQuery } from "../data/query";
import { api } from "../lib/api";
import { useWorkspace } from "./workspace-context";

/** The workspace's billing state (GET /billing), shared with the Usage and billing page. */
export const billingKey = (workspaceId: string) => ["ws", workspaceId, "billing"] as const;

export function BillingBanner() {
  const { workspace, isAdmin } = useWorkspace();
  const billing = useQuery(() => ({
    queryKey: billingKey(workspace().id),
    queryFn: ({ signal }) => api.billing.get(workspace().id, signal),
    staleTime: 60_000,
  }));
  const pastDue = () => billing.data?.reason === "past_due";
  return (
    <Show when={billing.data?.gated}>
      <div data-testid="billing-gate" style={{ padding: "12px 16px 0" }}>
        <Banner tone="warning" role="alert" title={pastDue() ? "The last payment failed" : "This workspace is over the free tier"}>
          <p>
            {pastDue()
              ? "Issues and logs are paused until the payment method is updated. Nothing is lost meanwhile."
              : "Issues and logs are paused until the workspace subscribes. Nothing is lost meanwhile."}{" "}
            <Show when={isAdmin()} fallback={<span>Ask an owner or admin of the workspace to {pastDue() ? "update the payment method" : "subscribe"}.</span>}>
              <A href={`/${workspace().slug}/settings/usage`}>{pastDue() ? "Update the payment method" : "Subscribe"} in Usage &amp; billing</A>
            </Show>
          </p>
        </Banner>
      </div>
    </Show>
  );
}
