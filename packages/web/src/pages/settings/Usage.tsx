/**
 * Settings → Usage and billing: the month's invocations as a daily chart by stage, the
 * cost by tier, the projected month, subscribe / manage buttons and the invoices link
 * (the Stripe customer portal). Members see usage; owners and admins manage billing.
 */
import { For, Show, createSignal } from "solid-js";
import { Banner } from "../../components/Banner";
import { Button } from "../../components/Button";
import { ErrorState } from "../../components/ErrorState";
import { Page, PageHeader } from "../../components/Page";
import { toast } from "../../components/Toast";
import { useWorkspace } from "../../layout/workspace-context";
import { useQuery } from "../../data/query";
import { billingKey } from "../../layout/BillingBanner";
import { api } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";

const COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#06b6d4", "#8b5cf6", "#84cc16", "#ec4899"];
const fmt = (n: number | string) => (typeof n === "number" ? n.toLocaleString("en-US") : n);

export default function Usage() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Usage and billing" }]);
  const month = new Date().toISOString().slice(0, 7);
  const usageQuery = useQuery(() => ({
    queryKey: ["ws", workspace().id, "usage", month] as const,
    queryFn: () => api.usage.get(workspace().id, month),
  }));
  const billingQuery = useQuery(() => ({ queryKey: billingKey(workspace().id), queryFn: ({ signal }) => api.billing.get(workspace().id, signal), staleTime: 60_000 }));
  const usage = () => usageQuery.data;
  const billing = () => billingQuery.data;
  const refetch = () => Promise.all([usageQuery.refetch(), billingQuery.refetch()]);
  const [busy, setBusy] = createSignal(false);

  const refresh = async () => {
    setBusy(true);
    try {
      await api.usage.refresh(workspace().id);
      await refetch();
    } catch (err) {
      toast.error(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const go = async (kind: "checkout" | "portal") => {
    setBusy(true);
    try {
      const here = window.location.href;
      const res = kind === "checkout" ? await api.billing.checkout(workspace().id, here, here) : await api.billing.portal(workspace().id, here);
      window.location.assign(res.url);
    } catch (err) {
      toast.error(err as Error);
      setBusy(false);
    }
  };

  const stageColor = (stageId: string) => {
    const ids = usage()?.stages.filter((s) => !s.personal).map((s) => s.stageId) ?? [];
    return COLORS[Math.max(0, ids.indexOf(stageId)) % COLORS.length];
  };
  const maxDay = () => Math.max(1, ...(usage()?.days.map((d) => d.invocations) ?? [1]));

  return (
    <Page>
      <PageHeader title="Usage & billing" description="Lambda invocations of deployed stages this month. Personal stages and sst dev are never counted." />
      <Show when={usageQuery.error}>
        <ErrorState title="Could not load usage" error={usageQuery.error} onRetry={() => refetch()} />
      </Show>
      <Show when={usage()?.warnings.length}>
        <Banner tone="warning" role="alert" title="Some invocations could not be read">
          <ul data-testid="usage-warnings">
            <For each={usage()?.warnings}>{(w) => <li>{w.message}</li>}</For>
          </ul>
          <p>
            The connection's role needs <code>cloudwatch:GetMetricData</code>. Update the account's stack from Settings → AWS accounts; days already
            read are kept.
          </p>
        </Banner>
      </Show>
      <Show when={usage()}>
        {(u) => (
          <div data-testid="usage">
            <section style={{ display: "flex", gap: "32px", "margin-bottom": "24px" }}>
              <div><div>Invocations ({u().month})</div><strong data-testid="usage-invocations">{fmt(u().invocations)}</strong></div>
              <div><div>Cost so far</div><strong data-testid="usage-cost">${u().costUsd}</strong></div>
              <div><div>Projected month</div><strong data-testid="usage-projected">${u().projected.costUsd}</strong> <span>({fmt(u().projected.invocations)} invocations)</span></div>
            </section>
            <section aria-label="Daily invocations by stage" data-testid="usage-chart" style={{ display: "flex", "align-items": "flex-end", gap: "4px", height: "160px", "margin-bottom": "8px" }}>
              <For each={u().days}>
                {(d) => (
                  <div title={`${d.day}: ${fmt(d.invocations)}`} style={{ flex: "1", display: "flex", "flex-direction": "column-reverse", height: `${(d.invocations / maxDay()) * 100}%` }}>
                    <For each={u().stageDays.filter((s) => s.day === d.day)}>
                      {(s) => <div style={{ background: stageColor(s.stageId), height: `${(s.invocations / Math.max(1, d.invocations)) * 100}%` }} />}
                    </For>
                  </div>
                )}
              </For>
            </section>
            <ul style={{ display: "flex", gap: "16px", "flex-wrap": "wrap", "list-style": "none", padding: "0" }}>
              <For each={u().stages}>
                {(s) => (
                  <li>
                    <span style={{ display: "inline-block", width: "10px", height: "10px", background: s.personal ? "#d1d5db" : stageColor(s.stageId) }} /> {s.app}/{s.stage}
                    {s.personal ? " (personal, not counted)" : `: ${fmt(s.invocations)}`}
                  </li>
                )}
              </For>
            </ul>
            <table data-testid="usage-tiers">
              <thead><tr><th>Tier</th><th>Price each</th><th>Invocations</th><th>Cost</th></tr></thead>
              <tbody>
                <For each={u().tiers}>
                  {(t) => (
                    <tr>
                      <td>{fmt(t.from)} – {t.upTo === null ? "∞" : fmt(t.upTo)}</td>
                      <td>${t.unitPriceUsd}</td>
                      <td>{fmt(t.invocations)}</td>
                      <td>${t.costUsd}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </Show>
      <div style={{ display: "flex", gap: "8px", "margin-top": "16px" }}>
        <Button onClick={refresh} disabled={busy()}>Refresh usage</Button>
        <Show when={billing()?.enabled && isAdmin()}>
          <Show when={!billing()?.subscribed} fallback={<Button onClick={() => go("portal")} disabled={busy()}>Manage subscription</Button>}>
            <Button onClick={() => go("checkout")} disabled={busy()}>Subscribe</Button>
          </Show>
          <Show when={billing()?.hasCustomer}>
            <Button onClick={() => go("portal")} disabled={busy()}>Invoices</Button>
          </Show>
        </Show>
      </div>
    </Page>
  );
}
