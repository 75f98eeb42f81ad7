/** The Issues tab of a stage (placeholder: the issue list of this stage comes next). */
import Bug from "lucide-solid/icons/bug";
import { useStage } from "./stage-context";
import { ComingNext } from "./ComingNext";

export default function StageIssues() {
  const { stage } = useStage();
  return (
    <ComingNext icon={<Bug />} title="Issues come next">
      The errors of {stage().name}'s functions, detected in their logs and grouped into issues, will be listed here.
    </ComingNext>
  );
}
