/**
 * What `npm run dev` says in the terminal as the console works: one line when an
 * issue is detected (new or regressed) and one when someone signs in.
 */
import { and, eq } from "drizzle-orm";
import { Auth } from "@console/core/auth";
import { Database } from "@console/core/db";
import { Bus } from "@console/core/event";
import { Issue, issueTable } from "@console/core/issue";
import { appTable, stageTable } from "@console/core/app";
import { workspaceTable } from "@console/core/workspace";

/** One line: no newlines, at most `max` characters. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Prints a line per detected issue and per sign-in through `say`; `baseUrl` makes issue links. Returns how to stop the sign-in lines. */
export function announceActivity(say: (line: string) => void, baseUrl: () => string | undefined): () => void {
  Bus.subscribe(Issue.Events.Detected, async (event) => {
    const workspaceId = event.metadata.workspaceId;
    if (!workspaceId) return;
    const [row] = await Database.use((db) =>
      db
        .select({ type: issueTable.type, message: issueTable.message, slug: workspaceTable.slug, app: appTable.name, stage: stageTable.name })
        .from(issueTable)
        .innerJoin(workspaceTable, eq(workspaceTable.id, issueTable.workspaceId))
        .leftJoin(stageTable, and(eq(stageTable.workspaceId, issueTable.workspaceId), eq(stageTable.id, issueTable.stageId)))
        .leftJoin(appTable, and(eq(appTable.workspaceId, stageTable.workspaceId), eq(appTable.id, stageTable.appId)))
        .where(and(eq(issueTable.workspaceId, workspaceId), eq(issueTable.id, event.properties.issueId))),
    );
    if (!row) return;
    const where = row.app && row.stage ? `${row.app}/${row.stage}` : row.slug;
    const what = oneLine(row.message ? `${row.type}: ${row.message}` : row.type, 120);
    const base = baseUrl();
    const link = base ? `  ${base}/${row.slug}/issues/${event.properties.issueId}` : "";
    say(`Console: ${event.properties.reason === "regression" ? "issue regressed" : "new issue"} in ${where}: ${what}${link}`);
  });
  return Auth.onSignIn((user) => say(`Console: ${user.email} signed in`));
}
