/** `/:workspace/app/:app/:stage/issues/:issue`: an issue under its stage's Issues tab. */
import { useParams } from "@solidjs/router";
import { IssueDetail } from "../issues/detail/IssueDetail";
import { useStage } from "./stage-context";

export default function StageIssueDetail() {
  const params = useParams();
  const { stage, stages, path } = useStage();
  return (
    <IssueDetail
      issueId={params.issue ?? ""}
      nested
      stages={stages()}
      back={{ href: path("issues"), label: `Issues of ${stage().name}` }}
    />
  );
}
