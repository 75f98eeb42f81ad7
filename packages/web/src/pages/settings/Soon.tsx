/** Settings sections that are not built yet. */
import { useLocation } from "@solidjs/router";
import Bell from "lucide-solid/icons/bell";
import CreditCard from "lucide-solid/icons/credit-card";
import { Show } from "solid-js";
import { Badge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { Page, PageHeader } from "../../components/Page";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { useWorkspace } from "../../layout/workspace-context";

export default function Soon() {
  const location = useLocation();
  const { workspace } = useWorkspace();
  const alerts = () => location.pathname.endsWith("/alerts");
  const title = () => (alerts() ? "Alerts" : "Usage & billing");
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: title() }]);
  return (
    <Page>
      <PageHeader title={title()} />
      <EmptyState
        icon={<Show when={alerts()} fallback={<CreditCard />}><Bell /></Show>}
        title={`${title()} is coming soon`}
        action={<Badge>Soon</Badge>}
      >
        {alerts()
          ? "Alerts on Slack, email or a webhook when an issue is new or comes back."
          : "Invocations per function this cycle, and the cost by tier."}
      </EmptyState>
    </Page>
  );
}
