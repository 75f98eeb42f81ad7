/**
 * Connecting AWS accounts to a workspace.
 *
 * A connection starts pending, with a random external id made for it alone (never
 * the workspace id). The account id is recorded only once the console has assumed
 * the role the stack created, with that external id, and STS has confirmed which
 * account it is in: from the stack's custom resource (Create/Update), or from the
 * user's "Check" on a console that AWS cannot call back. Scans and disconnects run
 * as events, so they survive the request that started them.
 */
import { and, asc, eq, inArray, isNull, lt } from "drizzle-orm";
import { z } from "zod";
import {
  PARAMETERS,
  isAccountId,
  quickCreateUrl,
  roleArn as roleArnFor,
  stackName as stackNameFor,
  type PolicyVariant,
} from "@console/workspace-template";
import { Actor } from "../actor";
import { Audit } from "../audit";
import { Database } from "../db";
import { NotFoundError, VisibleError } from "../error";
import { Bus, defineEvent } from "../event";
import { createId, createSecret } from "../id";
import { AssumeRoleError, Customer, type RoleAccess } from "../aws/customer";
import { decrypt, encrypt } from "../util/crypto";
import { fn } from "../util/fn";
import { awsAccountTable, type AccountStatus, type ScanProgress } from "./account.sql";
import { ConsoleIdentity } from "./config";
import { ConnectionStatus } from "./status";

export { awsAccountTable, awsRegionTable, accountStatuses, type AccountStatus, type ScanProgress } from "./account.sql";
export { ConsoleIdentity } from "./config";

const SEAL = "external-id";

export interface AccountInfo {
  id: string;
  accountId: string | null;
  status: AccountStatus;
  method: "stack" | "manual" | "demo";
  reason: string | null;
  progress: ScanProgress | null;
  roleArn: string | null;
  timeCreated: Date;
  timeConnected: Date | null;
  timeScanned: Date | null;
}

export interface ConnectInfo {
  connectionId: string;
  stackName: string;
  region: "us-east-1";
  /** Where CloudFormation reads the template, when the console publishes one. */
  templateUrl: string | null;
  /** The quick-create link (needs a published template). */
  quickCreateUrl: string | null;
  /** Whether the stack tells the console itself (a custom resource) or the user presses Check. */
  callback: boolean;
  parameters: Record<string, string>;
}

const accountColumns = {
  id: awsAccountTable.id,
  accountId: awsAccountTable.accountId,
  status: awsAccountTable.status,
  method: awsAccountTable.method,
  reason: awsAccountTable.reason,
  progress: awsAccountTable.progress,
  roleArn: awsAccountTable.roleArn,
  timeCreated: awsAccountTable.timeCreated,
  timeConnected: awsAccountTable.timeConnected,
  timeScanned: awsAccountTable.timeScanned,
};

const accountIdSchema = z.string().trim().regex(/^\d{12}$/, "An AWS account id has 12 digits");

export namespace Account {
  export const Events = {
    Connected: defineEvent("account.connected", z.object({ connectionId: z.string() })),
    ScanRequested: defineEvent("account.scan_requested", z.object({ connectionId: z.string() })),
    DisconnectRequested: defineEvent("account.disconnect_requested", z.object({ connectionId: z.string() })),
  };

  export async function list(): Promise<AccountInfo[]> {
    const workspaceId = Actor.workspaceId();
    return Database.use((db) =>
      db.select(accountColumns).from(awsAccountTable).where(eq(awsAccountTable.workspaceId, workspaceId)).orderBy(asc(awsAccountTable.timeCreated)),
    );
  }

  export async function get(id: string): Promise<AccountInfo> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select(accountColumns)
        .from(awsAccountTable)
        .where(and(eq(awsAccountTable.workspaceId, workspaceId), eq(awsAccountTable.id, id))),
    );
    if (!row) throw new NotFoundError("AWS account");
    return row;
  }

  /** The role and external id to act in this connection's account (system use only). */
  export async function access(id: string): Promise<RoleAccess & { accountId: string }> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select({ accountId: awsAccountTable.accountId, roleArn: awsAccountTable.roleArn, sealed: awsAccountTable.externalIdSealed })
        .from(awsAccountTable)
        .where(and(eq(awsAccountTable.workspaceId, workspaceId), eq(awsAccountTable.id, id))),
    );
    if (!row) throw new NotFoundError("AWS account");
    if (!row.accountId || !row.roleArn) throw new VisibleError("conflict", "This AWS account is not connected yet");
    return { accountId: row.accountId, roleArn: row.roleArn, externalId: decrypt(row.sealed, SEAL) };
  }

  async function externalId(id: string): Promise<string> {
    const workspaceId = Actor.workspaceId();
    const [row] = await Database.use((db) =>
      db
        .select({ sealed: awsAccountTable.externalIdSealed })
        .from(awsAccountTable)
        .where(and(eq(awsAccountTable.workspaceId, workspaceId), eq(awsAccountTable.id, id))),
    );
    if (!row) throw new NotFoundError("AWS account");
    return decrypt(row.sealed, SEAL);
  }

  /** Starts a connection (admin): a pending row with a fresh external id. */
  export const create = fn(
    z.object({ method: z.enum(["stack", "manual", "demo"]).default("stack") }).default({ method: "stack" }),
    async (input): Promise<{ account: AccountInfo; connect: ConnectInfo }> => {
      Actor.assertRole("admin");
      const workspaceId = Actor.workspaceId();
      const id = createId();
      await Database.transaction(async (tx) => {
        await tx.insert(awsAccountTable).values({
          workspaceId,
          id,
          externalIdSealed: encrypt(createSecret(32), SEAL),
          method: input.method,
          status: "connecting",
        });
        await Audit.record("account.connect.start", { type: "aws_account", id }, { method: input.method });
      });
      return { account: await get(id), connect: await connectInfo(id) };
    },
  );

  /** What the user needs to deploy the stack for connection `id` (admin: it holds the external id). */
  export async function connectInfo(id: string, variant: PolicyVariant = "least"): Promise<ConnectInfo> {
    Actor.assertRole("admin");
    const secret = await externalId(id);
    const serviceToken = ConsoleIdentity.serviceToken();
    const parameters: Record<string, string> = {
      [PARAMETERS.connectionId]: id,
      [PARAMETERS.externalId]: secret,
      [PARAMETERS.consoleAccountId]: await ConsoleIdentity.accountId(),
      [PARAMETERS.consoleBusArn]: await ConsoleIdentity.busArn(),
      ...(serviceToken ? { [PARAMETERS.serviceToken]: serviceToken } : {}),
    };
    const templateUrl = ConsoleIdentity.templateUrl(variant) ?? null;
    return {
      connectionId: id,
      stackName: stackNameFor(id),
      region: "us-east-1",
      templateUrl,
      quickCreateUrl: templateUrl
        ? quickCreateUrl({
            templateUrl,
            connectionId: id,
            externalId: secret,
            parameters: Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== PARAMETERS.connectionId && k !== PARAMETERS.externalId)),
          })
        : null,
      callback: !!serviceToken,
      parameters,
    };
  }

  /**
   * Verifies the role of connection `id` in `accountId` and records the account.
   * Used by the user's "Check", by the demo flow and by the custom resource.
   */
  async function attach(id: string, accountId: string, source: "check" | "stack" | "demo", stackId?: string): Promise<AccountInfo> {
    const current = await get(id);
    if (current.status === "disconnecting") throw new VisibleError("conflict", "This AWS account is being disconnected");
    if (current.accountId && current.accountId !== accountId) {
      throw new VisibleError("conflict", `This connection belongs to account ${current.accountId}`);
    }
    const access: RoleAccess = { roleArn: roleArnFor(accountId, id), externalId: await externalId(id) };
    try {
      await Customer.verify(access, accountId);
    } catch (err) {
      const reason = err instanceof AssumeRoleError ? err.message : `Could not reach AWS: ${(err as Error).message}`;
      if (!current.accountId) await ConnectionStatus.set(id, "failed", { reason });
      await Audit.record("account.connect.fail", { type: "aws_account", id, label: accountId }, { reason, source });
      throw err instanceof AssumeRoleError ? err : new VisibleError("unavailable", reason);
    }
    const first = !current.accountId || current.status === "failed" || current.status === "connecting";
    try {
      await Database.transaction(async (tx) => {
        await tx
          .update(awsAccountTable)
          .set({
            accountId,
            roleArn: access.roleArn,
            // The first scan starts right away (account.connected): say so at once, so a
            // page that connects an account keeps following it until the scan is done.
            status: first ? "scanning" : current.status,
            ...(first ? { progress: { regionsTotal: 0, regionsDone: 0, current: [], stagesFound: 0, startedAt: new Date().toISOString() } } : {}),
            reason: null,
            ...(stackId ? { stackId } : {}),
            ...(first ? { timeConnected: new Date() } : {}),
          })
          .where(and(eq(awsAccountTable.workspaceId, Actor.workspaceId()), eq(awsAccountTable.id, id)));
        if (first) {
          await Audit.record("account.connect", { type: "aws_account", id, label: accountId }, { source });
          await Bus.publish(Events.Connected, { connectionId: id });
        }
      });
    } catch (err) {
      if (Database.isDuplicate(err)) {
        const reason = `Account ${accountId} is already connected to this workspace`;
        await ConnectionStatus.set(id, "failed", { reason });
        throw new VisibleError("conflict", reason);
      }
      throw err;
    }
    return get(id);
  }

  /** The manual path: the user deployed the stack and asks the console to check account `accountId` (admin). */
  export const check = fn(z.object({ id: z.string().min(1).max(64), accountId: accountIdSchema }), async (input) => {
    Actor.assertRole("admin");
    return attach(input.id, input.accountId, "check");
  });

  /** For the local demo and tests: verify as if the stack had been deployed (admin). */
  export async function attachDemo(id: string, accountId: string) {
    Actor.assertRole("admin");
    return attach(id, accountId, "demo");
  }

  /**
   * The stack's custom resource, as the system: `connectionId` is looked up across
   * workspaces, but nothing is attached unless the role in `accountId` answers to that
   * connection's external id.
   */
  export async function fromStack(input: {
    requestType: "Create" | "Update" | "Delete";
    connectionId: string;
    accountId: string;
    roleArn?: string;
    stackId?: string;
  }): Promise<{ physicalId: string; workspaceId?: string }> {
    const physicalId = `console-connection-${input.connectionId}`.slice(0, 255);
    if (!isAccountId(input.accountId)) throw new VisibleError("validation", "AccountId must be a 12-digit AWS account id");
    const [row] = await Database.use((db) =>
      db
        .select({ workspaceId: awsAccountTable.workspaceId, accountId: awsAccountTable.accountId })
        .from(awsAccountTable)
        .where(eq(awsAccountTable.id, input.connectionId))
        .limit(1),
    );
    if (input.requestType === "Delete") {
      // The stack (and its role) are going away: the account leaves the workspace.
      if (row && row.accountId === input.accountId) {
        await Actor.system("stack-deleted", { id: row.workspaceId, slug: "" }, async () => {
          await ConnectionStatus.set(input.connectionId, "disconnecting", { reason: "The connection stack was deleted" });
          await Audit.record("account.disconnect", { type: "aws_account", id: input.connectionId, label: input.accountId }, { source: "stack" });
          await Bus.publish(Events.DisconnectRequested, { connectionId: input.connectionId });
        });
      }
      return { physicalId, workspaceId: row?.workspaceId };
    }
    if (!row) throw new VisibleError("not_found", `Unknown connection ${input.connectionId}: start the connection from the console again`);
    if (input.roleArn && input.roleArn !== roleArnFor(input.accountId, input.connectionId)) {
      throw new VisibleError("validation", "RoleArn does not match the connection's role");
    }
    await Actor.system("stack", { id: row.workspaceId, slug: "" }, () => attach(input.connectionId, input.accountId, "stack", input.stackId));
    return { physicalId, workspaceId: row.workspaceId };
  }

  /** Asks for a scan of connection `id` (admin). */
  export async function rescan(id: string) {
    Actor.assertRole("admin");
    const account = await get(id);
    if (account.status !== "connected" && account.status !== "scanning" && !(account.status === "failed" && account.accountId)) {
      throw new VisibleError("conflict", "Connect the account before scanning it");
    }
    await Audit.record("account.scan", { type: "aws_account", id, label: account.accountId ?? undefined });
    await Bus.publish(Events.ScanRequested, { connectionId: id });
  }

  /** Starts a disconnect (admin): the cleanup runs as an event, then the account leaves. */
  export async function disconnect(id: string) {
    Actor.assertRole("admin");
    const account = await get(id);
    await Database.transaction(async () => {
      await ConnectionStatus.set(id, "disconnecting");
      await Audit.record("account.disconnect", { type: "aws_account", id, label: account.accountId ?? undefined });
      await Bus.publish(Events.DisconnectRequested, { connectionId: id });
    });
  }

  /** Connections never completed (no account) and untouched for a week go away (system, daily). */
  export async function prunePending(now = new Date()) {
    const cutoff = new Date(now.getTime() - 7 * 86_400_000);
    await Database.use((db) =>
      db
        .delete(awsAccountTable)
        .where(and(isNull(awsAccountTable.accountId), inArray(awsAccountTable.status, ["connecting", "failed"]), lt(awsAccountTable.timeUpdated, cutoff))),
    );
  }
}

