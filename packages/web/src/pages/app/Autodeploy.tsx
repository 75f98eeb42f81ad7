/**
 * An app's Autodeploy tab: its GitHub repository, its recent runs, and its targets (which
 * branches deploy which stage, where, with which environment). See docs/api.md, Autodeploy.
 */
import { useBreadcrumbs } from "../../lib/breadcrumbs";
import { useApp } from "./app-context";
import { RepositorySection } from "./RepositorySection";
import { RunsSection } from "./RunsSection";
import { TargetsSection } from "./TargetsEditor";

export default function Autodeploy() {
  const { app, path } = useApp();
  useBreadcrumbs(() => [{ label: app().name, href: path() }, { label: "Autodeploy" }]);
  return (
    <>
      <RepositorySection />
      <RunsSection />
      <TargetsSection />
    </>
  );
}
