/**
 * The Issues tab of a stage: what stops issues from arriving (warnings with Retry), then
 * the stage's issues (tabs, filters, bulk actions; polls every 5 s).
 */
import { useStageFunctions } from "../../data/stages";
import { useWorkspace } from "../../layout/workspace-context";
import { stageIssuePath } from "../../lib/issues";
import { IssueList } from "../issues/list/IssueList";
import { StageWarnings } from "../issues/Warnings";
import { useStage } from "./stage-context";

export default function StageIssues() {
  const { workspace } = useWorkspace();
  const { stage, stages, path } = useStage();
  // The stage's functions: their component names, and the function filter.
  const functions = useStageFunctions(
    () => workspace().id,
    () => stage().id,
  );
  return (
    <>
      <StageWarnings stage={stage()} functions={functions()} />
      <IssueList
        stage={stage()}
        stages={stages()}
        functions={functions()}
        detailHref={(issue) => stageIssuePath(path("issues"), issue.id)}
      />
    </>
  );
}
