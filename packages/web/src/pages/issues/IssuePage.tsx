/** `/:workspace/issues/:issue`: an issue on its own page (from the workspace's Issues page). */
import { useParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal } from "solid-js";
import { Page } from "../../components/Page";
import { useWorkspace } from "../../layout/workspace-context";
import { api } from "../../lib/api";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { createQuery } from "../../lib/query";
import { rememberStages } from "../../lib/stages";
import { IssueDetail } from "./IssueDetail";

export default function IssuePage() {
  const params = useParams();
  const { workspace } = useWorkspace();
  const [type, setType] = createSignal<string | undefined>(undefined);
  useBreadcrumbs(() => [{ label: "Issues", href: `/${workspace().slug}/issues` }, { label: type() ?? "Issue" }]);
  const stages = createQuery(
    createMemo(() => workspace().id),
    (ws) => api.stages.list(ws),
  );
  createEffect(() => {
    const list = stages.data();
    if (list) rememberStages(workspace().id, list);
  });
  return (
    <Page wide>
      <IssueDetail
        issueId={params.issue ?? ""}
        stages={stages.data()}
        back={{ href: `/${workspace().slug}/issues`, label: "All issues" }}
        onLoad={(d) => setType(d.issue.type)}
      />
    </Page>
  );
}
