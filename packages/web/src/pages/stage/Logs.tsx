/** The Logs tab of a stage (placeholder: past and live logs come next). */
import ScrollText from "lucide-solid/icons/scroll-text";
import { useStage } from "./stage-context";
import { ComingNext } from "./ComingNext";

export default function StageLogs() {
  const { stage } = useStage();
  return (
    <ComingNext icon={<ScrollText />} title="Logs come next">
      Past and live logs of {stage().name}'s functions, with their invocations, will be shown here.
    </ComingNext>
  );
}
