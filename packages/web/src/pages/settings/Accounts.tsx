/** AWS accounts. Connecting accounts is the next part to be built; this page says so. */
import Cloud from "lucide-solid/icons/cloud";
import { Badge } from "../../components/Badge";
import { EmptyState } from "../../components/EmptyState";
import { Page, PageHeader } from "../../components/Page";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { useWorkspace } from "../../layout/workspace-context";

export default function Accounts() {
  const { workspace } = useWorkspace();
  useBreadcrumbs(() => [
    { label: "Settings", href: `/${workspace().slug}/settings` },
    { label: "AWS accounts" },
  ]);
  return (
    <Page>
      <PageHeader
        title="AWS accounts"
        description="The AWS accounts whose SST apps this workspace watches."
      />
      <EmptyState icon={<Cloud />} title="No AWS account connected" action={<Badge>Coming next</Badge>}>
        Connecting an AWS account is not available in this version yet: it comes next. You will deploy a
        CloudFormation stack that lets Console read your apps, and they will appear here.
      </EmptyState>
    </Page>
  );
}
