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
import { log } from "../util/log";
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
  /** The stack reported its deletion but the console could not confirm it: an admin confirms the removal. */
  timeStackDeleted: Date | null;
}

/** What a custom resource request did: attached the account, disconnected it, recorded an unconfirmed deletion, or nothing. */
export type StackOutcome = "attached" | "disconnected" | "reported" | "ignored";

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
  timeStackDeleted: awsAccountTable.timeStackDeleted,
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
            // The stack answered again (a Create or Update, or the user's Check): it is there.
            timeStackDeleted: null,
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
   * The stack's custom resource, as the system. Nothing in the request is trusted:
   * `connectionId` is looked up across workspaces, and the console acts only once it has
   * assumed that connection's role (the stored role, or the one the stack names, checked
   * against the account) with the connection's own external id and STS has confirmed the
   * account. Create and Update attach the account (or fail). A Delete disconnects only
   * when the role still answers (CloudFormation deletes the custom resource before the
   * role it depends on); when it does not, the connection stays and the report is
   * recorded (`timeStackDeleted`) for an admin to confirm in the console. A Delete that
   * names another account, role or stack than the connection's is ignored.
   */
  export async function fromStack(input: {
    requestType: "Create" | "Update" | "Delete";
    connectionId: string;
    accountId: string;
    roleArn?: string;
    stackId?: string;
  }): Promise<{ physicalId: string; workspaceId?: string; outcome: StackOutcome }> {
    const physicalId = `console-connection-${input.connectionId}`.slice(0, 255);
    if (!isAccountId(input.accountId)) throw new VisibleError("validation", "AccountId must be a 12-digit AWS account id");
    const [row] = await Database.use((db) =>
      db
        .select({
          workspaceId: awsAccountTable.workspaceId,
          accountId: awsAccountTable.accountId,
          roleArn: awsAccountTable.roleArn,
          stackId: awsAccountTable.stackId,
          status: awsAccountTable.status,
          sealed: awsAccountTable.externalIdSealed,
          timeStackDeleted: awsAccountTable.timeStackDeleted,
        })
        .from(awsAccountTable)
        .where(eq(awsAccountTable.id, input.connectionId))
        .limit(1),
    );
    const expectedRole = roleArnFor(input.accountId, input.connectionId);
    const stackAccount = input.stackId ? /^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:(\d{12}):stack\/[^/]+\/[^/]+$/.exec(input.stackId)?.[1] : undefined;
    const mismatch =
      input.roleArn && input.roleArn !== expectedRole
        ? "RoleArn does not match the connection's role"
        : input.stackId && stackAccount !== input.accountId
          ? "StackId is not a stack of that account"
          : undefined;

    if (input.requestType === "Delete") {
      const ignore = (why: string): { physicalId: string; workspaceId?: string; outcome: StackOutcome } => {
        log.warn("stack deletion ignored", { connectionId: input.connectionId, why });
        return { physicalId, workspaceId: row?.workspaceId, outcome: "ignored" };
      };
      if (!row) return ignore("unknown connection");
      if (mismatch) return ignore(mismatch);
      if (!row.accountId || row.accountId !== input.accountId) return ignore("not this connection's account");
      if (row.stackId && input.stackId && row.stackId !== input.stackId) return ignore("not this connection's stack");
      if (row.status === "disconnecting") return { physicalId, workspaceId: row.workspaceId, outcome: "ignored" };
      const access: RoleAccess = { roleArn: row.roleArn ?? expectedRole, externalId: decrypt(row.sealed, SEAL) };
      let proof: string | undefined;
      try {
        await Customer.verify(access, row.accountId);
      } catch (err) {
        proof = err instanceof AssumeRoleError ? err.message : `Could not reach AWS: ${(err as Error).message}`;
      }
      const accountId = row.accountId;
      return Actor.system("stack-deleted", { id: row.workspaceId, slug: "" }, async () => {
        const target = { type: "aws_account", id: input.connectionId, label: accountId };
        if (proof === undefined) {
          // The role answered to the connection's external id: the stack is going away.
          await Database.transaction(async () => {
            await ConnectionStatus.set(input.connectionId, "disconnecting", { reason: "The connection stack was deleted" });
            await Audit.record("account.disconnect", target, { source: "stack" });
            await Bus.publish(Events.DisconnectRequested, { connectionId: input.connectionId });
          });
          return { physicalId, workspaceId: row.workspaceId, outcome: "disconnected" as const };
        }
        if (!row.timeStackDeleted) {
          await Database.transaction(async () => {
            await ConnectionStatus.set(input.connectionId, row.status, { timeStackDeleted: new Date() });
            await Audit.record("account.stack_deleted", target, { source: "stack", unconfirmed: proof });
          });
        }
        return { physicalId, workspaceId: row.workspaceId, outcome: "reported" as const };
      });
    }
    if (!row) throw new VisibleError("not_found", `Unknown connection ${input.connectionId}: start the connection from the console again`);
    if (mismatch) throw new VisibleError("validation", mismatch);
    await Actor.system("stack", { id: row.workspaceId, slug: "" }, () =>
      // The stack is recorded by its Create (a Delete must later name the same one).
      attach(input.connectionId, input.accountId, "stack", input.requestType === "Create" ? input.stackId : undefined),
    );
    return { physicalId, workspaceId: row.workspaceId, outcome: "attached" };
  }

  /**
   * The admin's answer to a stack that reported its deletion without proof (see
   * `fromStack`): the account is disconnected as if the admin had pressed Disconnect.
   */
  export async function confirmRemoval(id: string) {
    Actor.assertRole("admin");
    const account = await get(id);
    if (!account.timeStackDeleted) throw new VisibleError("conflict", "The stack of this AWS account has not reported its deletion");
    if (account.status === "disconnecting") throw new VisibleError("conflict", "This AWS account is being disconnected");
    await Database.transaction(async () => {
      await ConnectionStatus.set(id, "disconnecting", { reason: "The connection stack was deleted" });
      await Audit.record("account.disconnect", { type: "aws_account", id, label: account.accountId ?? undefined }, { source: "stack-confirmed" });
      await Bus.publish(Events.DisconnectRequested, { connectionId: id });
    });
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

