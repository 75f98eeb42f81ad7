/** The Local tab of a stage (placeholder: the invocations of `sst dev` come next). */
import Laptop from "lucide-solid/icons/laptop";
import { useStage } from "./stage-context";
import { ComingNext } from "./ComingNext";

export default function StageLocal() {
  const { stage } = useStage();
  return (
    <ComingNext icon={<Laptop />} title="Local comes next">
      {stage().personal
        ? `When you run sst dev for ${stage().name}, the invocations of its local functions will stream here.`
        : "When someone runs sst dev, the invocations of their local functions will stream here."}
    </ComingNext>
  );
}
