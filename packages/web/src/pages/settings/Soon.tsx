/** Settings → Usage & billing (not built yet: what it will show). */
import CreditCard from "lucide-solid/icons/credit-card";
import { Badge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { Page, PageHeader } from "../../components/Page";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { useWorkspace } from "../../layout/workspace-context";

export default function Soon() {
  const { workspace } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Settings", href: `/${workspace().slug}/settings` }, { label: "Usage & billing" }]);
  return (
    <Page>
      <PageHeader title="Usage & billing" />
      <EmptyState icon={<CreditCard />} title="Usage & billing is coming soon" action={<Badge>Soon</Badge>}>
        Invocations per function this cycle, and the cost by tier.
      </EmptyState>
    </Page>
  );
}
