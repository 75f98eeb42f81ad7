/** The workspace overview. Apps and stages come with connected AWS accounts. */
import Cloud from "lucide-solid/icons/cloud";
import { Show } from "solid-js";
import { ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { Page, PageHeader } from "../../components/Page";
import { useWorkspace } from "../../layout/workspace-context";
import { useBreadcrumbs } from "../../lib/breadcrumbs";

export default function Overview() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Overview" }]);
  return (
    <Page>
      <PageHeader title="Overview" description="The apps and stages of every AWS account connected to this workspace." />
      <EmptyState
        icon={<Cloud />}
        title="Connect an AWS account"
        action={
          <Show
            when={isAdmin()}
            fallback={
              <ButtonLink href={`/${workspace().slug}/settings/accounts`} variant="secondary">
                See AWS accounts
              </ButtonLink>
            }
          >
            <ButtonLink href={`/${workspace().slug}/settings/accounts`} variant="primary">
              Connect an AWS account
            </ButtonLink>
          </Show>
        }
      >
        <Show
          when={isAdmin()}
          fallback="No AWS account is connected yet. An owner or admin of this workspace can connect one."
        >
          Connect an AWS account and Console finds the SST apps and stages in it, with their functions,
          issues and logs. Nothing changes in your code.
        </Show>
      </EmptyState>
    </Page>
  );
}
