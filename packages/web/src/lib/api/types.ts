/**
 * Names for the server's answers, read from the typed client: nothing here is declared by
 * hand, so a change of shape on the server shows up where the web app reads it.
 *
 * To name a new answer: `export type Thing = Data<typeof w.things[":thing"].$get>;`
 * (`w` is the workspace-scoped part of the client). Item types come from list answers
 * with `[number]`.
 */
import type { Data, client } from "./client";

type C = typeof client.api;
type W = C["workspaces"][":workspace"];

export type Me = Data<C["me"]["$get"]>;
export type User = Me["user"];
export type VerifyResult = Data<C["auth"]["verify"]["$post"]>;
export type ConsoleConfig = Data<C["config"]["$get"]>;

export type Workspace = Data<W["$get"]>;
export type Role = Workspace["role"];
export type Member = Data<W["members"]["$get"]>[number];
export type Invitation = Data<W["invitations"]["$get"]>[number];
/** An invitation the signed-in person received. */
export type PendingInvitation = Data<C["invitations"]["$get"]>[number];
export type AuditPage = Data<W["audit"]["$get"]>;
export type AuditEntry = AuditPage["entries"][number];

export type Account = Data<W["accounts"][":account"]["$get"]>;
export type AccountStatus = Account["status"];
export type AccountMethod = Account["method"];
export type ScanProgress = NonNullable<Account["progress"]>;
export type ConnectInfo = Data<W["accounts"][":account"]["connect"]["$get"]>;
export type TemplateVariant = NonNullable<NonNullable<Parameters<C["template"]["$get"]>[0]>["query"]["variant"]>;

export type StageDetail = Data<W["stages"][":stage"]["$get"]>;
export type Stage = Data<W["stages"]["$get"]>[number];
export type LambdaFunction = StageDetail["functions"][number];
export type Resource = StageDetail["resources"][number];
export type DeployPage = Data<W["stages"][":stage"]["deploys"]["$get"]>;
export type DeploySummary = DeployPage["deploys"][number];
export type DeployDetail = Data<W["stages"][":stage"]["deploys"][":deploy"]["$get"]>;
export type DeployChange = DeployDetail["changes"][number];
/** A function as search knows it (`GET /functions`). */
export type FunctionName = Data<W["functions"]["$get"]>[number];

export type IssuePage = Data<W["issues"]["$get"]>;
export type IssueSummary = IssuePage["issues"][number];
export type IssueStatus = IssueSummary["status"];
export type IssueCounts = Data<W["issues"]["counts"]["$get"]>;
export type IssueDetail = Data<W["issues"][":issue"]["$get"]>;
export type Occurrence = IssueDetail["occurrences"][number];
export type DetectedError = IssueDetail["issue"]["error"];
export type IssueKind = DetectedError["kind"];
export type IssueRuntime = DetectedError["runtime"];
export type Frame = DetectedError["frames"][number];
export type ErrorCause = NonNullable<DetectedError["causes"]>[number];
export type SourceContext = NonNullable<Frame["context"]>;
export type OccurrenceLogs = Data<W["issues"][":issue"]["occurrences"][":occurrence"]["logs"]["$get"]>;
export type LogLine = OccurrenceLogs["lines"][number];

/** Past logs of a function (`GET /functions/:function/logs`). */
export type FunctionLogs = Data<W["functions"][":function"]["logs"]["$get"]>;
export type Invocation = FunctionLogs["invocations"][number];
export type InvocationStatus = Invocation["status"];

/** What a page of past logs asks: a time range (ms), a filter pattern, the cursor of the previous page. */
export interface LogQuery {
  start?: number;
  end?: number;
  q?: string;
  cursor?: string | null;
}

/** The workspace's GitHub App installations (`GET /github`). */
export type GithubStatus = Data<W["github"]["$get"]>;
export type GithubInstallation = GithubStatus["installations"][number];

/** An app's autodeploy (`/apps/:app/...`). */
type A = W["apps"][":app"];
export type Repository = NonNullable<Data<A["repository"]["$get"]>["repository"]>;
/** A repository the workspace's GitHub App installations can see. */
export type GithubRepository = Data<W["github"]["repositories"]["$get"]>["repositories"][number];
export type Targets = Data<A["targets"]["$get"]>;
export type BranchTarget = Targets["branches"][number];
export type EnvironmentVariable = Targets["environment"][number];
export type RunPage = Data<A["runs"]["$get"]>;
export type Run = RunPage["runs"][number];
export type RunStatus = Run["status"];
export type RunLogPage = Data<A["runs"][":run"]["logs"]["$get"]>;
export type RunLogLine = RunLogPage["lines"][number];

export type ConsoleWarning = Data<W["warnings"]["$get"]>[number];
export type WarningType = ConsoleWarning["type"];
export type WarningRetryResult = Data<W["warnings"][":warning"]["retry"]["$post"]>;

/** The filters of an issue list (`GET /issues`). */
export interface IssueQuery {
  status: IssueStatus;
  stage?: string;
  function?: string;
  /** Words searched in the type and message. */
  q?: string;
  sort?: IssueSort;
  limit?: number;
  before?: string | null;
}

export type IssueSort = "last" | "first" | "events";
