/**
 * The Issues tab of a stage: what stops issues from arriving (warnings with Retry), then
 * the stage's issues (tabs, filters, bulk actions; polls every 5 s).
 */
import { createMemo } from "solid-js";
import { useWorkspace } from "../../layout/workspace-context";
import { api } from "../../lib/api";
import { stageIssuePath } from "../../lib/issues";
import { createQuery } from "../../lib/query";
import { IssueList } from "../issues/IssueList";
import { StageWarnings } from "../issues/Warnings";
import { useStage } from "./stage-context";

export default function StageIssues() {
  const { workspace } = useWorkspace();
  const { stage, stages, path } = useStage();
  // The stage's functions: their component names, and the function filter.
  const detail = createQuery(
    createMemo(() => stage().id),
    (id) => api.stages.get(workspace().id, id),
  );
  return (
    <>
      <StageWarnings stage={stage()} functions={detail.data()?.functions} />
      <IssueList
        stage={stage()}
        stages={stages()}
        functions={detail.data()?.functions}
        detailHref={(issue) => stageIssuePath(path("issues"), issue.id)}
      />
    </>
  );
}
