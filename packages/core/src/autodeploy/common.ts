/** What the autodeploy modules share: the app named in a path, and links to the console's pages. */
import { and, eq, or } from "drizzle-orm";
import { Actor } from "../actor";
import { appTable } from "../app/app.sql";
import { Database } from "../db";
import { env } from "../env";
import { NotFoundError } from "../error";
import { workspaceTable } from "../workspace/workspace.sql";

export interface AppRef {
  id: string;
  name: string;
}

/** The workspace's app named by its id or its name (the web app's paths use the name). */
export async function resolveApp(key: string): Promise<AppRef> {
  const workspaceId = Actor.workspaceId();
  const rows = await Database.use((db) =>
    db
      .select({ id: appTable.id, name: appTable.name })
      .from(appTable)
      .where(and(eq(appTable.workspaceId, workspaceId), or(eq(appTable.id, key), eq(appTable.name, key))))
      .limit(2),
  );
  const found = rows.find((r) => r.id === key) ?? rows[0];
  if (!found) throw new NotFoundError("App");
  return found;
}

export function publicUrl(): string {
  return (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** The current workspace's slug (a system actor's scope carries none). */
export async function workspaceSlug(): Promise<string> {
  const ws = Actor.workspace();
  if (ws.slug) return ws.slug;
  const [row] = await Database.use((db) => db.select({ slug: workspaceTable.slug }).from(workspaceTable).where(eq(workspaceTable.id, ws.id)));
  return row?.slug ?? ws.id;
}

/** The console page of a run. */
export function runUrl(slug: string, appName: string, runId: string): string {
  return `${publicUrl()}/${slug}/app/${encodeURIComponent(appName)}/autodeploy/runs/${runId}`;
}

export function githubUrl(fullName: string): string {
  return `${env.GITHUB_URL.replace(/\/$/, "")}/${fullName}`;
}
