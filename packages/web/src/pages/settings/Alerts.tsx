/** Settings → Alerts (placeholder until alerts are built: what they will do). */
import Bell from "lucide-solid/icons/bell";
import { Badge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { Page, PageHeader } from "../../components/Page";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { useWorkspace } from "../../layout/workspace-context";

export default function Alerts() {
  const { workspace } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Alerts" }]);
  return (
    <Page>
      <PageHeader title="Alerts" />
      <EmptyState icon={<Bell />} title="Alerts are coming soon" action={<Badge>Soon</Badge>}>
        Alerts on Slack, email or a webhook when an issue is new or comes back.
      </EmptyState>
    </Page>
  );
}
