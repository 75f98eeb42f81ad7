/**
 * Routes. Every page is its own chunk (`lazy`), so a page loads only its own code;
 * the signed-in frame (top bar, command bar) is a chunk of its own too.
 */
import { Navigate, Route, Router, useNavigate, useParams, type RouteSectionProps } from "@solidjs/router";
import { QueryClientProvider } from "@tanstack/solid-query";
import { Suspense, lazy, onMount } from "solid-js";
import { queryClient } from "./data/query";
import { clearSession } from "./data/session";
import { setUnauthorizedHandler } from "./lib/api";
import { Toaster } from "./components/Toast";
import { PageSkeleton } from "./layout/PageSkeleton";

const SignIn = lazy(() => import("./pages/auth/SignIn"));
const Shell = lazy(() => import("./layout/Shell"));
const Home = lazy(() => import("./pages/Home"));
const NewWorkspace = lazy(() => import("./pages/workspace/NewWorkspace"));
const Invitations = lazy(() => import("./pages/Invitations"));
const WorkspaceLayout = lazy(() => import("./layout/WorkspaceLayout"));
const Overview = lazy(() => import("./pages/workspace/Overview"));
const SettingsLayout = lazy(() => import("./layout/SettingsLayout"));
const General = lazy(() => import("./pages/settings/General"));
const Accounts = lazy(() => import("./pages/settings/Accounts"));
const Members = lazy(() => import("./pages/settings/Members"));
const Audit = lazy(() => import("./pages/settings/Audit"));
const Alerts = lazy(() => import("./pages/settings/Alerts"));
const Soon = lazy(() => import("./pages/settings/Soon"));
const Usage = lazy(() => import("./pages/settings/Usage"));
const AppLayout = lazy(() => import("./pages/app/AppLayout"));
const AppStages = lazy(() => import("./pages/app/AppStages"));
const Autodeploy = lazy(() => import("./pages/app/Autodeploy"));
const RunPage = lazy(() => import("./pages/app/RunPage"));
const StageLayout = lazy(() => import("./pages/stage/StageLayout"));
const StageResources = lazy(() => import("./pages/stage/Resources"));
const StageIssues = lazy(() => import("./pages/stage/Issues"));
const StageLogs = lazy(() => import("./pages/stage/Logs"));
const StageLocal = lazy(() => import("./pages/stage/Local"));
const StageDeploys = lazy(() => import("./pages/stage/Deploys"));
const StageIssueDetail = lazy(() => import("./pages/stage/IssueDetail"));
const FunctionPage = lazy(() => import("./pages/functions/FunctionPage"));
const WorkspaceIssues = lazy(() => import("./pages/issues/WorkspaceIssues"));
const IssuePage = lazy(() => import("./pages/issues/IssuePage"));
const NotFound = lazy(() => import("./pages/NotFound"));
const LocalRedirect = lazy(() => import("./pages/local/LocalRedirect"));

function Root(props: RouteSectionProps) {
  const navigate = useNavigate();
  onMount(() => {
    setUnauthorizedHandler(() => {
      clearSession(queryClient);
      const here = window.location.pathname + window.location.search;
      if (window.location.pathname.startsWith("/auth")) return;
      const next = here !== "/" ? `?next=${encodeURIComponent(here)}` : "";
      navigate(`/auth${next}`, { replace: true });
    });
  });
  return (
    <>
      <Suspense fallback={<PageSkeleton />}>{props.children}</Suspense>
      <Toaster />
    </>
  );
}

function SettingsIndex() {
  const params = useParams();
  return <Navigate href={`/${params.workspace}/settings/general`} />;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Routes />
    </QueryClientProvider>
  );
}

function Routes() {
  return (
    <Router root={Root}>
      <Route path="/auth" component={SignIn} />
      <Route path="/" component={Shell}>
        <Route path="/" component={Home} />
        <Route path="/workspace/new" component={NewWorkspace} />
        <Route path="/invitations" component={Invitations} />
        <Route path={["/local", "/local/:app/:stage"]} component={LocalRedirect} />
        <Route path="/:workspace" component={WorkspaceLayout}>
          <Route path="/" component={Overview} />
          <Route path="/settings" component={SettingsLayout}>
            <Route path="/" component={SettingsIndex} />
            <Route path="/general" component={General} />
            <Route path="/accounts" component={Accounts} />
            <Route path="/members" component={Members} />
            <Route path="/audit" component={Audit} />
            <Route path="/alerts" component={Alerts} />
            <Route path="/usage" component={Usage} />
          </Route>
          <Route path="/issues" component={WorkspaceIssues} />
          <Route path="/issues/:issue" component={IssuePage} />
          {/* An app's own pages (static segments win over :stage: a stage named "autodeploy" keeps its tabs but not its Resources page). */}
          <Route path="/app/:app" component={AppLayout}>
            <Route path="/" component={AppStages} />
            <Route path="/autodeploy" component={Autodeploy} />
            <Route path="/autodeploy/runs/:run" component={RunPage} />
          </Route>
          <Route path="/app/:app/:stage" component={StageLayout}>
            <Route path="/" component={StageResources} />
            <Route path="/issues" component={StageIssues} />
            <Route path="/issues/:issue" component={StageIssueDetail} />
            <Route path="/logs" component={StageLogs} />
            <Route path="/logs/:function" component={FunctionPage} />
            <Route path="/local" component={StageLocal} />
            <Route path="/deploys" component={StageDeploys} />
          </Route>
          <Route path="/*rest" component={NotFound} />
        </Route>
      </Route>
    </Router>
  );
}
