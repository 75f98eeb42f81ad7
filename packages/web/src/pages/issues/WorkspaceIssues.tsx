/**
 * `/:workspace/issues`: the issues of every stage of the workspace, with a stage filter,
 * and a summary of what stops issues from arriving.
 */
import Cloud from "lucide-solid/icons/cloud";
import { Match, Switch } from "solid-js";
import { ButtonLink } from "../../components/Button";
import { EmptyState } from "../../components/EmptyState";
import { Page, PageHeader } from "../../components/Page";
import { useStages } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { workspaceIssuePath } from "../../lib/issues";
import { IssueList } from "./list/IssueList";
import { WorkspaceWarnings } from "./Warnings";

export default function WorkspaceIssues() {
  const { workspace, isAdmin } = useWorkspace();
  useBreadcrumbs(() => [{ label: "Issues" }]);
  const stages = useStages(() => workspace().id);

  return (
    <Page wide>
      <PageHeader
        title="Issues"
        description="Errors in the functions of every stage, detected in their logs and grouped into issues."
      />
      <WorkspaceWarnings stages={stages.data} />
      <Switch>
        <Match when={stages.data?.length === 0}>
          <EmptyState
            icon={<Cloud />}
            title="No stages yet"
            action={
              <ButtonLink
                href={`/${workspace().slug}/settings/accounts${isAdmin() ? "?connect=1" : ""}`}
                variant="primary"
              >
                {isAdmin() ? "Connect an AWS account" : "See AWS accounts"}
              </ButtonLink>
            }
          >
            Issues come from the functions of your SST apps. Connect the AWS account they are deployed to, and errors
            appear here within seconds.
          </EmptyState>
        </Match>
        <Match when={true}>
          <IssueList stages={stages.data} detailHref={(issue) => workspaceIssuePath(workspace().slug, issue.id)} />
        </Match>
      </Switch>
    </Page>
  );
}
