/**
 * Test helpers for customer accounts in the emulator: fresh account ids (so test
 * files sharing one moto server never collide), connecting an account through the
 * real API, and clients acting as the customer.
 */
import { randomInt } from "node:crypto";
import { Bus } from "../../packages/core/src/event";
import { deployConnectionStack } from "../../packages/functions/src/local/stack";
import { actAsAccount } from "@console/testkit/aws";
import { call } from "./api";

export const motoUrl = () => {
  const url = process.env.MOTO_URL;
  if (!url) throw new Error("MOTO_URL is not set: the test global setup starts moto_server");
  return url;
};

export function randomAccountId() {
  return String(randomInt(100_000, 999_999)) + String(randomInt(100_000, 999_999));
}

/** A client acting as `accountId` in the emulator (as the customer, not through the console). */
export function customerClient<C extends { middlewareStack: any }>(Ctor: new (config: any) => C, accountId: string, region = "us-east-1"): C {
  return actAsAccount(
    new Ctor({ region, endpoint: motoUrl(), forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } }),
    accountId,
  );
}

/** Creates a connection, deploys its stack as the customer, presses Check, and waits for the scan. */
export async function connectAccount(token: string, workspace: string, accountId: string, options: { autodeploy?: boolean } = {}) {
  const created = await call("POST", `/api/workspaces/${workspace}/accounts`, { token, body: {} });
  if (created.status !== 201) throw new Error(`create connection failed: ${JSON.stringify(created.body)}`);
  await deployConnectionStack({
    endpoint: motoUrl(),
    accountId,
    info: created.body.connect,
    ...(options.autodeploy ? { parameters: { Autodeploy: "true" } } : {}),
  });
  const checked = await call("POST", `/api/workspaces/${workspace}/accounts/${created.body.account.id}/check`, { token, body: { accountId } });
  if (checked.status !== 200) throw new Error(`check failed: ${JSON.stringify(checked.body)}`);
  await Bus.idle();
  return { id: created.body.account.id as string, connect: created.body.connect };
}
