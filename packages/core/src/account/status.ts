/**
 * Writers of a connection's status (system use): the scan reports its progress and
 * outcome here, disconnect removes the connection's rows. Kept apart from
 * ./index.ts so that the scan and the cleanup can write a status without importing
 * the whole account domain.
 */
import { and, eq } from "drizzle-orm";
import { Actor } from "../actor";
import { Database } from "../db";
import { awsAccountTable, awsRegionTable, type AccountStatus, type ScanProgress } from "./account.sql";

export namespace ConnectionStatus {
  export async function set(connectionId: string, status: AccountStatus, values: Partial<typeof awsAccountTable.$inferInsert> = {}) {
    const workspaceId = Actor.workspaceId();
    await Database.use((db) =>
      db
        .update(awsAccountTable)
        .set({ status, ...values })
        .where(and(eq(awsAccountTable.workspaceId, workspaceId), eq(awsAccountTable.id, connectionId))),
    );
  }

  export async function scanning(connectionId: string, progress: ScanProgress) {
    await set(connectionId, "scanning", { progress });
  }

  export async function progress(connectionId: string, progress: ScanProgress) {
    const workspaceId = Actor.workspaceId();
    await Database.use((db) =>
      db
        .update(awsAccountTable)
        .set({ progress })
        .where(and(eq(awsAccountTable.workspaceId, workspaceId), eq(awsAccountTable.id, connectionId))),
    );
  }

  export async function scanned(connectionId: string, result: { reason?: string | null; failed?: boolean }) {
    await set(connectionId, result.failed ? "failed" : "connected", {
      progress: null,
      reason: result.reason ?? null,
      // A scan that went through assumed the role: the stack is there after all.
      ...(result.failed ? {} : { timeScanned: new Date(), timeStackDeleted: null }),
    });
  }

  /** Removes the connection's rows after cleanup. */
  export async function forget(connectionId: string) {
    const workspaceId = Actor.workspaceId();
    await Database.transaction(async (tx) => {
      await tx.delete(awsRegionTable).where(and(eq(awsRegionTable.workspaceId, workspaceId), eq(awsRegionTable.connectionId, connectionId)));
      await tx.delete(awsAccountTable).where(and(eq(awsAccountTable.workspaceId, workspaceId), eq(awsAccountTable.id, connectionId)));
    });
  }
}
