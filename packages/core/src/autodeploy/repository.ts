/**
 * The GitHub repository an app deploys from. Linking is checked with GitHub: the
 * installation named must be the workspace's, and GitHub must say that this installation
 * covers the repository (`Github.repository`). Unlinking stops new runs (queued ones are
 * cancelled); runs already running finish and keep their history.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { Actor } from "../actor";
import { Audit } from "../audit";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { Github } from "../github";
import { githubInstallationTable } from "../github/github.sql";
import { createId } from "../id";
import { parse } from "../util/fn";
import { log } from "../util/log";
import { autodeployRepositoryTable, autodeployRunTable } from "./autodeploy.sql";
import { githubUrl, resolveApp } from "./common";
import { report } from "./run";

export interface Repository {
  id: string;
  appId: string;
  installationId: string;
  githubRepositoryId: number;
  fullName: string;
  defaultBranch: string;
  url: string;
  timeCreated: Date;
}

export interface AvailableRepository {
  installationId: string;
  githubRepositoryId: number;
  fullName: string;
  defaultBranch: string;
  private: boolean;
}

export const linkSchema = z
  .object({
    installationId: z.string().length(26),
    fullName: z
      .string()
      .max(255)
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be owner/name"),
  })
  .strict();

function toRepository(row: typeof autodeployRepositoryTable.$inferSelect): Repository {
  return {
    id: row.id,
    appId: row.appId,
    installationId: row.installationId,
    githubRepositoryId: row.githubRepositoryId,
    fullName: row.fullName,
    defaultBranch: row.defaultBranch,
    url: githubUrl(row.fullName),
    timeCreated: row.timeCreated,
  };
}

export async function getRepository(appKey: string): Promise<Repository | null> {
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const [row] = await Database.use((db) =>
    db
      .select()
      .from(autodeployRepositoryTable)
      .where(and(eq(autodeployRepositoryTable.workspaceId, workspaceId), eq(autodeployRepositoryTable.appId, app.id))),
  );
  return row ? toRepository(row) : null;
}

/** The repositories the workspace's installations can see (each asked with its own token). */
export async function availableRepositories(): Promise<AvailableRepository[]> {
  const installations = await Github.installations();
  const out: AvailableRepository[] = [];
  for (const i of installations) {
    let repos: Github.RepositoryInfo[];
    try {
      repos = await Github.repositories(i.installationId);
    } catch (err) {
      // One installation GitHub no longer answers for does not hide the others'.
      log.warn("github repositories not listed", { installation: i.id, status: (err as { status?: number }).status });
      continue;
    }
    for (const r of repos) out.push({ installationId: i.id, ...r });
  }
  return out;
}

/** Links (or relinks) an app's repository (admin). */
export async function linkRepository(appKey: string, input: unknown): Promise<Repository> {
  Actor.assertRole("admin");
  const body = parse(linkSchema, input);
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const [installation] = await Database.use((db) =>
    db
      .select()
      .from(githubInstallationTable)
      .where(and(eq(githubInstallationTable.workspaceId, workspaceId), eq(githubInstallationTable.id, body.installationId))),
  );
  if (!installation) throw new NotFoundError("GitHub installation");
  const repo = await Github.repository(installation.installationId, body.fullName);
  if (!repo) throw new VisibleError("not_found", `GitHub repository ${body.fullName} not found, or the installation on ${installation.accountLogin} cannot see it`);
  const values = {
    installationId: installation.id,
    githubRepositoryId: repo.githubRepositoryId,
    fullName: repo.fullName.slice(0, 255),
    defaultBranch: repo.defaultBranch.slice(0, 255),
  };
  try {
    await Database.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(autodeployRepositoryTable)
        .where(and(eq(autodeployRepositoryTable.workspaceId, workspaceId), eq(autodeployRepositoryTable.appId, app.id)))
        .for("update");
      if (current) {
        await tx
          .update(autodeployRepositoryTable)
          .set(values)
          .where(and(eq(autodeployRepositoryTable.workspaceId, workspaceId), eq(autodeployRepositoryTable.id, current.id)));
      } else {
        await tx.insert(autodeployRepositoryTable).values({ workspaceId, id: createId(), appId: app.id, ...values });
      }
      await Audit.record("autodeploy.repository.link", { type: "app", id: app.id, label: app.name }, { repository: values.fullName });
    });
  } catch (err) {
    if (Database.isDuplicate(err)) throw new VisibleError("conflict", `${repo.fullName} is already linked to another app of this workspace`);
    throw err;
  }
  return (await getRepository(app.id))!;
}

/** Unlinks an app's repository (admin); its queued runs are cancelled. */
export async function unlinkRepository(appKey: string): Promise<void> {
  Actor.assertRole("admin");
  const app = await resolveApp(appKey);
  const workspaceId = Actor.workspaceId();
  const now = new Date();
  const cancelled = await Database.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(autodeployRepositoryTable)
      .where(and(eq(autodeployRepositoryTable.workspaceId, workspaceId), eq(autodeployRepositoryTable.appId, app.id)))
      .for("update");
    if (!row) throw new NotFoundError("Repository");
    await tx.delete(autodeployRepositoryTable).where(and(eq(autodeployRepositoryTable.workspaceId, workspaceId), eq(autodeployRepositoryTable.id, row.id)));
    const queued = await tx
      .select()
      .from(autodeployRunTable)
      .where(and(eq(autodeployRunTable.workspaceId, workspaceId), eq(autodeployRunTable.appId, app.id), eq(autodeployRunTable.status, "queued")))
      .for("update");
    if (queued.length) {
      await tx
        .update(autodeployRunTable)
        .set({ status: "cancelled", error: "The repository was unlinked", timeCompleted: now })
        .where(and(eq(autodeployRunTable.workspaceId, workspaceId), inArray(autodeployRunTable.id, queued.map((q) => q.id)), eq(autodeployRunTable.status, "queued")));
    }
    await Audit.record("autodeploy.repository.unlink", { type: "app", id: app.id, label: app.name }, { repository: row.fullName });
    return queued.map((q) => ({ ...q, status: "cancelled" as const, error: "The repository was unlinked", timeCompleted: now }));
  });
  // Their commits stop showing "pending" on GitHub.
  for (const run of cancelled) await report(run);
}
