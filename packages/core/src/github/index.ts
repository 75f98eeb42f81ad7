/**
 * GitHub, for autodeploy: the console is a GitHub App.
 *
 * - Webhooks: a delivery is taken only when `X-Hub-Signature-256` verifies against the
 *   app's webhook secret (`@octokit/webhooks`), and once: its `X-GitHub-Delivery` id is
 *   recorded, so a replayed delivery (GitHub's redelivery, or someone replaying a captured
 *   one) does nothing again. Pushes and pull requests become git events (../autodeploy).
 * - Acting in a repository: only with an installation token (`@octokit/app`: a JWT of the
 *   app, exchanged for a token of one installation that GitHub expires within the hour).
 *   Tokens are made when needed and never stored.
 *
 * `GITHUB_API_URL` points the clients at a local fake in tests.
 */
import { App } from "@octokit/app";
import { Octokit } from "@octokit/core";
import { Webhooks } from "@octokit/webhooks";
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, lt } from "drizzle-orm";
import { Actor } from "../actor";
import { Audit } from "../audit";
import { Database } from "../db";
import { createId } from "../id";
import { env } from "../env";
import { NotFoundError, VisibleError } from "../error";
import { gitEventFromGithub, type GitEvent } from "../autodeploy/targets";
import { githubDeliveryTable, githubInstallStateTable, githubInstallationTable } from "./github.sql";

export { githubDeliveryTable, githubInstallStateTable, githubInstallationTable } from "./github.sql";

export interface InstallationInfo {
  id: string;
  installationId: number;
  accountLogin: string;
  accountType: string;
  timeCreated: Date;
}

const STATE_TTL_MS = 10 * 60_000;
const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

export interface Delivery {
  /** `X-GitHub-Delivery`. */
  id: string | undefined;
  /** `X-GitHub-Event`. */
  name: string | undefined;
  /** `X-Hub-Signature-256`. */
  signature: string | undefined;
  /** The raw body, exactly as received (the signature covers its bytes). */
  body: string;
}

/** The commit a push or pull request delivery is about (what a run shows). */
export interface DeliveryCommit {
  sha: string;
  message: string;
  author: string;
  url: string;
}

export type DeliveryOutcome =
  | {
      outcome: "accepted";
      event: string;
      installationId: number | null;
      repository: string | null;
      /** GitHub's id of the repository (stable across renames). */
      repositoryId: number | null;
      git: GitEvent | null;
      /** For a git event: its commit, as the payload tells it. */
      commit: DeliveryCommit | null;
    }
  | { outcome: "replay"; event: string };

const firstLine = (s: string) => s.split("\n")[0]!.slice(0, 1000);

/** The commit of a push (its head commit) or pull request (its head), read from the payload. */
function commitOf(name: string, payload: unknown, git: GitEvent, repository: string | null): DeliveryCommit | null {
  const p = payload as Record<string, any>;
  const base = env.GITHUB_URL.replace(/\/$/, "");
  const built = (sha: string) => (repository ? `${base}/${repository}/commit/${sha}` : `${base}`);
  if (git.type === "pull_request") {
    const pr = p.pull_request ?? {};
    const sha = git.commit;
    return {
      sha,
      message: typeof pr.title === "string" ? firstLine(pr.title) : `Pull request #${git.number}`,
      author: String(pr.user?.login ?? p.sender?.login ?? "").slice(0, 255),
      url: built(sha),
    };
  }
  if (git.type !== "branch" || !git.commit) return null;
  const head = p.head_commit ?? {};
  const sha = git.commit;
  return {
    sha,
    message: typeof head.message === "string" ? firstLine(head.message) : "",
    author: String(head.author?.username ?? head.author?.name ?? p.pusher?.name ?? p.sender?.login ?? "").slice(0, 255),
    url: typeof head.url === "string" && /^https?:\/\//.test(head.url) ? head.url.slice(0, 1024) : built(sha),
  };
}

const DELIVERY_ID = /^[0-9a-fA-F-]{8,64}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

export namespace Github {
  export function configured(): boolean {
    return !!(env.GITHUB_APP_ID && env.GITHUB_APP_PRIVATE_KEY && env.GITHUB_WEBHOOK_SECRET);
  }

  function required() {
    if (!configured()) throw new VisibleError("unavailable", "GitHub is not configured on this console");
    return { appId: env.GITHUB_APP_ID!, privateKey: env.GITHUB_APP_PRIVATE_KEY!.replace(/\\n/g, "\n"), secret: env.GITHUB_WEBHOOK_SECRET! };
  }

  function app() {
    const { appId, privateKey, secret } = required();
    const oauth = env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET ? { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET } : undefined;
    return new App({ appId, privateKey, webhooks: { secret }, ...(oauth ? { oauth } : {}), Octokit: Octokit.defaults({ baseUrl: env.GITHUB_API_URL }) });
  }

  /** Whether installs can start: the app, its URL name and its OAuth client (to check who installs). */
  export function installable(): boolean {
    return configured() && !!(env.GITHUB_APP_SLUG && env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET);
  }

  /** The workspace's installations (member). */
  export async function installations(): Promise<InstallationInfo[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db
        .select({
          id: githubInstallationTable.id,
          installationId: githubInstallationTable.installationId,
          accountLogin: githubInstallationTable.accountLogin,
          accountType: githubInstallationTable.accountType,
          timeCreated: githubInstallationTable.timeCreated,
        })
        .from(githubInstallationTable)
        .where(eq(githubInstallationTable.workspaceId, workspaceId))
        .orderBy(asc(githubInstallationTable.timeCreated)),
    );
  }

  /** Starts an install (admin): GitHub's install page with a fresh state bound to this workspace and user. */
  export async function startInstall(now = new Date()): Promise<{ url: string }> {
    Actor.assertRole("admin");
    if (!installable()) throw new VisibleError("unavailable", "GitHub is not configured on this console");
    const state = randomBytes(32).toString("base64url");
    await Database.use((db) =>
      db.insert(githubInstallStateTable).values({
        hash: hashState(state),
        workspaceId: Actor.workspaceId(),
        userId: Actor.userId(),
        timeExpires: new Date(now.getTime() + STATE_TTL_MS),
      }),
    );
    const url = new URL(`${env.GITHUB_URL.replace(/\/$/, "")}/apps/${env.GITHUB_APP_SLUG}/installations/new`);
    url.searchParams.set("state", state);
    return { url: url.toString() };
  }

  /**
   * Takes the state of an install callback: it exists, is unexpired and is the signed-in
   * user's; it is deleted as it is read (single use). Returns its workspace.
   */
  export async function consumeState(state: string, now = new Date()): Promise<{ workspaceId: string }> {
    const userId = Actor.userId();
    const refused = () => new VisibleError("bad_request", "This GitHub install is not valid (expired, already used, or started by someone else). Start again from the console");
    if (!state || state.length > 256) throw refused();
    const workspaceId = await Database.transaction(async (tx) => {
      const [row] = await tx.select().from(githubInstallStateTable).where(eq(githubInstallStateTable.hash, hashState(state))).for("update");
      if (!row) return "";
      await tx.delete(githubInstallStateTable).where(eq(githubInstallStateTable.hash, row.hash));
      return row.userId === userId && row.timeExpires.getTime() > now.getTime() ? row.workspaceId : "";
    });
    if (!workspaceId) throw refused();
    return { workspaceId };
  }

  /**
   * Links an installation to the current workspace (admin, after `consumeState`). The
   * installation id comes from the browser, so it is trusted only when GitHub says the
   * user (by the OAuth `code` of the same redirect) can see that installation.
   */
  export async function finishInstall(input: { installationId: number; code: string }): Promise<InstallationInfo> {
    Actor.assertRole("admin");
    const gh = app();
    let visible: number[];
    try {
      const { authentication } = await gh.oauth.createToken({ code: input.code });
      const user = new (Octokit.defaults({ baseUrl: env.GITHUB_API_URL }))({ auth: authentication.token });
      const res = await user.request("GET /user/installations", { per_page: 100 });
      visible = (res.data.installations as { id: number }[]).map((i) => i.id);
    } catch (err) {
      throw new VisibleError("bad_request", `GitHub refused the authorization (${(err as Error).message})`);
    }
    if (!visible.includes(input.installationId)) throw new VisibleError("forbidden", "That installation is not one you can see on GitHub");
    const info = await gh.octokit.request("GET /app/installations/{installation_id}", { installation_id: input.installationId });
    const account = info.data.account as { login?: string; slug?: string; type?: string } | null;
    const row = {
      workspaceId: Actor.workspaceId(),
      id: createId(),
      installationId: input.installationId,
      accountLogin: (account?.login ?? account?.slug ?? String(input.installationId)).slice(0, 255),
      accountType: (account?.type ?? "Enterprise").slice(0, 32),
      installedBy: Actor.userId(),
    };
    try {
      await Database.transaction(async (tx) => {
        await tx.insert(githubInstallationTable).values(row);
        await Audit.record("github.install", { type: "github_installation", id: row.id, label: row.accountLogin });
      });
    } catch (err) {
      if (Database.isDuplicate(err)) throw new VisibleError("conflict", "This GitHub installation is already linked to a workspace");
      throw err;
    }
    return { id: row.id, installationId: row.installationId, accountLogin: row.accountLogin, accountType: row.accountType, timeCreated: new Date() };
  }

  /** Unlinks an installation from the workspace (admin). Uninstalling the app stays the owner's act on GitHub. */
  export async function removeInstallation(id: string) {
    Actor.assertRole("admin");
    const workspaceId = Actor.workspaceId();
    await Database.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(githubInstallationTable)
        .where(and(eq(githubInstallationTable.workspaceId, workspaceId), eq(githubInstallationTable.id, id)));
      if (!row) throw new NotFoundError("GitHub installation");
      await tx.delete(githubInstallationTable).where(and(eq(githubInstallationTable.workspaceId, workspaceId), eq(githubInstallationTable.id, id)));
      await Audit.record("github.uninstall", { type: "github_installation", id, label: row.accountLogin });
    });
  }

  /** Verifies and takes one webhook delivery. A wrong or missing signature: 401; a replay: taken, nothing done. */
  export async function receive(delivery: Delivery): Promise<DeliveryOutcome> {
    const { secret } = required();
    if (!delivery.signature || !(await new Webhooks({ secret }).verify(delivery.body, delivery.signature).catch(() => false))) {
      throw new VisibleError("unauthorized", "The webhook signature does not verify");
    }
    if (!delivery.id || !DELIVERY_ID.test(delivery.id) || !delivery.name || !EVENT_NAME.test(delivery.name)) {
      throw new VisibleError("bad_request", "A GitHub delivery names its id and event");
    }
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.body);
    } catch {
      throw new VisibleError("bad_request", "The delivery is not JSON");
    }
    const fresh = await Database.use(async (db) => {
      const res = await db.insert(githubDeliveryTable).ignore().values({ id: delivery.id!, event: delivery.name! });
      return (res as unknown as [{ affectedRows: number }])[0].affectedRows === 1;
    });
    if (!fresh) return { outcome: "replay", event: delivery.name };
    const p = payload as { action?: unknown; installation?: { id?: unknown }; repository?: { full_name?: unknown; id?: unknown } };
    if (delivery.name === "installation" && p.action === "deleted" && typeof p.installation?.id === "number") {
      // Uninstalled on GitHub: no workspace keeps it.
      const installationId = p.installation.id;
      await Database.use((db) => db.delete(githubInstallationTable).where(eq(githubInstallationTable.installationId, installationId)));
    }
    const repository = typeof p.repository?.full_name === "string" ? p.repository.full_name : null;
    const git = gitEventFromGithub(delivery.name, payload);
    return {
      outcome: "accepted",
      event: delivery.name,
      installationId: typeof p.installation?.id === "number" ? p.installation.id : null,
      repository,
      repositoryId: typeof p.repository?.id === "number" ? p.repository.id : null,
      git,
      commit: git ? commitOf(delivery.name, payload, git, repository) : null,
    };
  }

  /** How long delivery ids are kept against replays (GitHub redelivers within 3 days). */
  export const KEEP_DELIVERIES_MS = 30 * 86_400_000;

  /** Cron: forgets delivery ids older than `KEEP_DELIVERIES_MS` and install states past their time. */
  export async function prune(now = new Date()) {
    await Database.use((db) => db.delete(githubDeliveryTable).where(lt(githubDeliveryTable.timeCreated, new Date(now.getTime() - KEEP_DELIVERIES_MS))));
    await Database.use((db) => db.delete(githubInstallStateTable).where(lt(githubInstallStateTable.timeExpires, now)));
  }

  export interface RepositoryInfo {
    githubRepositoryId: number;
    fullName: string;
    defaultBranch: string;
    private: boolean;
  }

  const toRepository = (r: { id: number; full_name: string; default_branch?: string; private?: boolean }): RepositoryInfo => ({
    githubRepositoryId: r.id,
    fullName: r.full_name,
    defaultBranch: r.default_branch ?? "main",
    private: !!r.private,
  });

  /** Most repositories listed of one installation (10 pages of 100). */
  export const MAX_REPOSITORIES = 1000;

  /** The repositories an installation can see, asked with its own token. */
  export async function repositories(installationId: number): Promise<RepositoryInfo[]> {
    const octokit = await app().getInstallationOctokit(installationId);
    const out: RepositoryInfo[] = [];
    for (let page = 1; out.length < MAX_REPOSITORIES; page++) {
      const res = await octokit.request("GET /installation/repositories", { per_page: 100, page });
      const list = (res.data as { repositories: Parameters<typeof toRepository>[0][] }).repositories;
      out.push(...list.map(toRepository));
      if (list.length < 100) break;
    }
    return out.slice(0, MAX_REPOSITORIES);
  }

  /**
   * Repository `fullName` as installation `installationId` sees it, or null when that
   * installation cannot see it. GitHub is asked which installation covers the repository
   * (with the app's JWT: a public repository is readable by any token, so reading it
   * proves nothing), then the repository is read with that installation's token.
   */
  export async function repository(installationId: number, fullName: string): Promise<RepositoryInfo | null> {
    const [owner, repo] = fullName.split("/");
    if (!owner || !repo) return null;
    const gh = app();
    try {
      const covering = await gh.octokit.request("GET /repos/{owner}/{repo}/installation", { owner, repo });
      if ((covering.data as { id: number }).id !== installationId) return null;
      const octokit = await gh.getInstallationOctokit(installationId);
      const res = await octokit.request("GET /repos/{owner}/{repo}", { owner, repo });
      return toRepository(res.data as Parameters<typeof toRepository>[0]);
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  export interface CommitStatus {
    state: "pending" | "success" | "failure" | "error";
    context: string;
    description: string;
    targetUrl: string;
  }

  /** Sets a commit status (`statuses: write`) with the installation's token. */
  export async function setStatus(installationId: number, fullName: string, sha: string, status: CommitStatus) {
    const [owner, repo] = fullName.split("/");
    const octokit = await app().getInstallationOctokit(installationId);
    await octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
      owner: owner!,
      repo: repo!,
      sha,
      state: status.state,
      context: status.context.slice(0, 255),
      // GitHub refuses a description over 140 characters.
      description: status.description.length > 140 ? `${status.description.slice(0, 139)}…` : status.description,
      target_url: status.targetUrl,
    });
  }

  /** GitHub's web address (repositories, commits): GITHUB_URL. */
  export function webUrl(): string {
    return env.GITHUB_URL.replace(/\/$/, "");
  }

  /** A short-lived token of one installation (never stored): what a run checks out and reports with. */
  export async function installationToken(installationId: number): Promise<{ token: string; expiresAt: Date }> {
    const octokit = await app().getInstallationOctokit(installationId);
    const auth = (await octokit.auth({ type: "installation" })) as { token: string; expiresAt: string };
    return { token: auth.token, expiresAt: new Date(auth.expiresAt) };
  }
}
