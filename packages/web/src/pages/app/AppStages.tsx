/** An app's first tab: its stages (the overview's table of this app), each opening its stage. */
import { Section } from "../../components/Page";
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { StageTable } from "../workspace/StageTable";
import { useApp } from "./app-context";

export default function AppStages() {
  const { app, stages, allStages } = useApp();
  useBreadcrumbs(() => [{ label: app().name }]);
  return (
    <Section title="Stages" description="Every stage of this app that Console found in the connected AWS accounts.">
      <StageTable app={app().name} stages={stages()} all={allStages()} />
    </Section>
  );
}
