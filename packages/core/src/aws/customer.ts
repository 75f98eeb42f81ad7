/**
 * Access to a customer's AWS account: assume the connection's role with its
 * external id, cache the temporary credentials, and build SDK clients with them.
 *
 * Every client made here passes its calls through one middleware, so tests can
 * record each AWS call the console makes in a customer account (and check it is
 * allowed by the least-privilege template) and benchmarks can count them.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { VisibleError } from "../error";
import { AwsConfig, type ClientConfig } from "./config";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface AwsCall {
  service: string;
  operation: string;
  region: string;
  accountId?: string;
  /** The workspace connection the call was made for. */
  connectionId?: string;
  input: Record<string, unknown>;
}

type CallListener = (call: AwsCall) => void;
const listeners = new Set<CallListener>();

/** Records AWS calls made in customer accounts while `fn` runs (and after, until stop()). */
export const AwsCalls = {
  listen(listener: CallListener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Collects every call until the returned `stop` is called. */
  record() {
    const calls: AwsCall[] = [];
    const stop = AwsCalls.listen((c) => calls.push(c));
    return { calls, stop };
  },
};

export class AssumeRoleError extends VisibleError {
  constructor(
    readonly roleArn: string,
    readonly awsCode: string,
    awsMessage: string,
  ) {
    super(
      "forbidden",
      `Could not assume ${roleArn}: ${awsMessage || awsCode}. Check that the stack finished deploying in us-east-1 and was created from this connection's link.`,
    );
  }
}

interface CachedCredentials {
  credentials: Credentials;
  expires: number;
}

const cache = new Map<string, CachedCredentials>();
let sts: STSClient | undefined;

const httpHandler = new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 60_000 });

function stsClient() {
  sts ??= new STSClient({ ...AwsConfig.console("us-east-1") });
  return sts;
}

export interface RoleAccess {
  roleArn: string;
  externalId: string;
}

export namespace Customer {
  /** Assumes the role with the external id; temporary credentials are cached until shortly before they expire. */
  export async function credentials(access: RoleAccess): Promise<Credentials> {
    const key = `${access.roleArn}\u0000${access.externalId}`;
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.credentials;
    let result;
    try {
      result = await stsClient().send(
        new AssumeRoleCommand({
          RoleArn: access.roleArn,
          RoleSessionName: "console",
          ExternalId: access.externalId,
          DurationSeconds: 3600,
        }),
      );
    } catch (err) {
      const e = err as { name?: string; message?: string };
      throw new AssumeRoleError(access.roleArn, e.name ?? "Error", e.message ?? "");
    }
    const c = result.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AssumeRoleError(access.roleArn, "NoCredentials", "no credentials returned");
    const credentials: Credentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    const expires = (c.Expiration?.getTime() ?? Date.now() + 3_600_000) - 5 * 60_000;
    cache.set(key, { credentials, expires });
    return credentials;
  }

  /**
   * Proves the console can act in `expectedAccount` through this role: assume it with
   * the external id, then ask STS who we are. Returns the account the role lives in.
   */
  export async function verify(access: RoleAccess, expectedAccount?: string): Promise<{ accountId: string; credentials: Credentials }> {
    forget(access);
    const credentials = await Customer.credentials(access);
    const identity = await client(STSClient, { region: "us-east-1", credentials }).send(new GetCallerIdentityCommand({}));
    const accountId = identity.Account;
    if (!accountId) throw new AssumeRoleError(access.roleArn, "NoIdentity", "STS did not say which account this is");
    if (expectedAccount && accountId !== expectedAccount) {
      throw new AssumeRoleError(access.roleArn, "WrongAccount", `the role belongs to ${accountId}, not ${expectedAccount}`);
    }
    // The role itself must exist as the stack made it (AWS refuses AssumeRole otherwise;
    // the emulator does not, so this check also keeps local connections honest).
    const roleName = access.roleArn.slice(access.roleArn.lastIndexOf("/") + 1);
    try {
      await client(IAMClient, { region: "us-east-1", credentials, accountId, connectionId: roleName.replace(/^console-/, "") }).send(
        new GetRoleCommand({ RoleName: roleName }),
      );
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === "NoSuchEntity" || e.name === "NoSuchEntityException") {
        throw new AssumeRoleError(access.roleArn, "NoSuchEntity", "the role does not exist; deploy the connection stack first");
      }
      throw new AssumeRoleError(access.roleArn, e.name ?? "Error", e.message ?? "");
    }
    return { accountId, credentials };
  }

  export function forget(access: RoleAccess) {
    cache.delete(`${access.roleArn}\u0000${access.externalId}`);
  }

  /** An SDK client acting in a customer account. */
  export function client<C extends { middlewareStack: any; config: any }>(
    Ctor: new (config: ClientConfig) => C,
    options: { region: string; credentials: Credentials; accountId?: string; connectionId?: string },
  ): C {
    const endpoint = AwsConfig.endpoint();
    const instance = new Ctor({
      region: options.region,
      credentials: options.credentials,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      requestHandler: httpHandler,
      maxAttempts: 4,
    });
    instance.middlewareStack.add(
      (next: (args: any) => Promise<any>, context: { clientName?: string; commandName?: string }) => async (args: any) => {
        if (listeners.size) {
          const call: AwsCall = {
            service: (context.clientName ?? "").replace(/Client$/, ""),
            operation: (context.commandName ?? "").replace(/Command$/, ""),
            region: options.region,
            accountId: options.accountId,
            connectionId: options.connectionId,
            input: args.input ?? {},
          };
          for (const l of listeners) l(call);
        }
        return next(args);
      },
      { step: "initialize", name: "consoleCallRecorder" },
    );
    return instance;
  }
}
