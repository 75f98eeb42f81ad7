/** `/:workspace/issues/:issue`: an issue on its own page (from the workspace's Issues page). */
import { useParams } from "@solidjs/router";
import { Page } from "../../components/Page";
import { useIssue } from "../../data/issues";
import { useStages } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { IssueDetail } from "./detail/IssueDetail";

export default function IssuePage() {
  const params = useParams();
  const { workspace } = useWorkspace();
  const ws = () => workspace().id;
  // The same cached query as the detail's: the breadcrumb names the issue once it is loaded.
  const issue = useIssue(ws, () => params.issue ?? "");
  useBreadcrumbs(() => [{ label: "Issues", href: `/${workspace().slug}/issues` }, { label: issue.data?.issue.type ?? "Issue" }]);
  const stages = useStages(ws);
  return (
    <Page wide>
      <IssueDetail issueId={params.issue ?? ""} stages={stages.data} back={{ href: `/${workspace().slug}/issues`, label: "All issues" }} />
    </Page>
  );
}
