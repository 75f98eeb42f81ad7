/**
 * How an invocation reaches a function: `Invoke` with `LogType: Tail` in the customer's
 * account through the connection's role, answered in Lambda's own shape.
 *
 * One seam exists for local development: the AWS emulator's Lambda runs no code, so the
 * local runtime (packages/functions/src/local) registers a `LocalInvoker` that claims the
 * functions of its demo account and runs their programs itself, answering in the same
 * shape (status, function error, payload, base64 log tail). Nothing else registers one;
 * on AWS every invocation goes to Lambda.
 */
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { Customer, type Credentials } from "../aws/customer";

/** The function to invoke, and where. */
export interface InvokeTarget {
  accountId: string;
  connectionId: string;
  region: string;
  arn: string;
  name: string;
  logGroup: string;
}

/** What Lambda answers to a synchronous `Invoke` (the fields the console reads). */
export interface LambdaAnswer {
  statusCode: number;
  /** `Unhandled` (or `Handled`) when the function failed. */
  functionError?: string;
  /** The response payload, as bytes. */
  payload: Uint8Array;
  /** The base64 of the last 4 KB of the invocation's log (`LogType: Tail`). */
  logResult?: string;
  /** Lambda's request id, which is the invocation's `awsRequestId`. */
  requestId?: string;
  executedVersion?: string;
}

/** Claims a target (returns how to run it) or leaves it to Lambda (undefined). */
export type LocalInvoker = (target: InvokeTarget) => ((payload: string) => Promise<LambdaAnswer>) | undefined;

let local: LocalInvoker | undefined;

export namespace Invoker {
  /** The local runtime's seam (see above); `undefined` removes it. */
  export function setLocal(invoker: LocalInvoker | undefined) {
    local = invoker;
  }

  /** Invokes `target` with `payload` (JSON text) as the assumed role. Throws what the SDK throws. */
  export async function invoke(target: InvokeTarget, credentials: Credentials, payload: string): Promise<LambdaAnswer> {
    const claimed = local?.(target);
    if (claimed) return claimed(payload);
    const lambda = Customer.client(LambdaClient, { region: target.region, credentials, accountId: target.accountId, connectionId: target.connectionId });
    try {
      const res = await lambda.send(
        new InvokeCommand({ FunctionName: target.arn, InvocationType: "RequestResponse", LogType: "Tail", Payload: new TextEncoder().encode(payload) }),
      );
      return {
        statusCode: res.StatusCode ?? 200,
        functionError: res.FunctionError || undefined,
        payload: res.Payload ?? new Uint8Array(),
        logResult: res.LogResult || undefined,
        requestId: res.$metadata.requestId,
        executedVersion: res.ExecutedVersion,
      };
    } finally {
      lambda.destroy();
    }
  }
}
